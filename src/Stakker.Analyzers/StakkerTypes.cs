using Microsoft.CodeAnalysis;

namespace Stakker.Analyzers;

/// <summary>The Stakker types a compilation can see, looked up once per compilation</summary>
/// <remarks>Every analyzer starts from <see cref="TryCreate"/>: a compilation that does not reference
/// Stakker gets no further callbacks, so the analyzers cost nothing outside Stakker users.</remarks>
internal sealed class StakkerTypes
{
    public readonly INamedTypeSymbol Core;
    public readonly INamedTypeSymbol Actor;
    public readonly INamedTypeSymbol ActorOwn;
    public readonly INamedTypeSymbol Cx;
    public readonly INamedTypeSymbol AsyncCx;
    public readonly INamedTypeSymbol RetOf;
    public readonly INamedTypeSymbol? RetFactory;
    public readonly INamedTypeSymbol? FwdOf;
    public readonly INamedTypeSymbol? FwdFactory;
    public readonly INamedTypeSymbol? Waker;
    public readonly INamedTypeSymbol? MaxTimerKey;
    public readonly INamedTypeSymbol? MinTimerKey;
    public readonly INamedTypeSymbol? CoreThread;
    public readonly INamedTypeSymbol? RealTimeDriver;
    public readonly INamedTypeSymbol? Pipes;
    public readonly INamedTypeSymbol? AsyncCxExtensions;

    StakkerTypes(Compilation c, INamedTypeSymbol core, INamedTypeSymbol actor, INamedTypeSymbol own, INamedTypeSymbol cx,
        INamedTypeSymbol asyncCx, INamedTypeSymbol ret)
    {
        Core = core;
        Actor = actor;
        ActorOwn = own;
        Cx = cx;
        AsyncCx = asyncCx;
        RetOf = ret;
        RetFactory = c.GetTypeByMetadataName("Stakker.Ret");
        FwdOf = c.GetTypeByMetadataName("Stakker.Fwd`1");
        FwdFactory = c.GetTypeByMetadataName("Stakker.Fwd");
        Waker = c.GetTypeByMetadataName("Stakker.Waker");
        MaxTimerKey = c.GetTypeByMetadataName("Stakker.MaxTimerKey");
        MinTimerKey = c.GetTypeByMetadataName("Stakker.MinTimerKey");
        CoreThread = c.GetTypeByMetadataName("Stakker.CoreThread");
        RealTimeDriver = c.GetTypeByMetadataName("Stakker.RealTimeDriver");
        Pipes = c.GetTypeByMetadataName("Stakker.Pipes");
        AsyncCxExtensions = c.GetTypeByMetadataName("Stakker.AsyncCxExtensions");
    }

    /// <summary>The types, or null if this compilation does not use Stakker</summary>
    public static StakkerTypes? TryCreate(Compilation c)
    {
        if (c.GetTypeByMetadataName("Stakker.Core") is not { } core) return null;
        if (c.GetTypeByMetadataName("Stakker.Actor`1") is not { } actor) return null;
        if (c.GetTypeByMetadataName("Stakker.ActorOwn`1") is not { } own) return null;
        if (c.GetTypeByMetadataName("Stakker.Cx`1") is not { } cx) return null;
        if (c.GetTypeByMetadataName("Stakker.AsyncCx`1") is not { } asyncCx) return null;
        if (c.GetTypeByMetadataName("Stakker.Ret`1") is not { } ret) return null;
        return new StakkerTypes(c, core, actor, own, cx, asyncCx, ret);
    }

    /// <summary>True if <paramref name="type"/> is a construction of the generic <paramref name="definition"/></summary>
    public static bool IsOf(ITypeSymbol? type, INamedTypeSymbol? definition) =>
        definition is not null && type is INamedTypeSymbol n && SymbolEqualityComparer.Default.Equals(n.OriginalDefinition, definition);

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? t) =>
        t is not null && type is not null && SymbolEqualityComparer.Default.Equals(type, t);

    public bool IsCx(ITypeSymbol? t) => IsOf(t, Cx);
    public bool IsAsyncCx(ITypeSymbol? t) => IsOf(t, AsyncCx);
    public bool IsRet(ITypeSymbol? t) => IsOf(t, RetOf);
    public bool IsActor(ITypeSymbol? t) => IsOf(t, Actor);
    public bool IsActorOwn(ITypeSymbol? t) => IsOf(t, ActorOwn);

    /// <summary>True for a delegate type whose Invoke takes a Cx: ActorCall, ActorInit, ActorQuery</summary>
    public bool IsHandlerDelegate(ITypeSymbol? t) =>
        t is INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke } && HasCxParameter(invoke) is not null;

    /// <summary>The actor state type T of the first Cx&lt;T&gt; parameter, or null</summary>
    public ITypeSymbol? HasCxParameter(IMethodSymbol m)
    {
        foreach (var p in m.Parameters)
            if (IsCx(p.Type)) return ((INamedTypeSymbol)p.Type).TypeArguments[0];
        return null;
    }

    /// <summary>The actor state type T of the first AsyncCx&lt;T&gt; parameter, or null</summary>
    public ITypeSymbol? HasAsyncCxParameter(IMethodSymbol m)
    {
        foreach (var p in m.Parameters)
            if (IsAsyncCx(p.Type)) return ((INamedTypeSymbol)p.Type).TypeArguments[0];
        return null;
    }

    /// <summary>True for a member declared by one of Stakker's own types</summary>
    public static bool IsStakkerMember(ISymbol s) =>
        s.ContainingType is { } t && t.ContainingNamespace is { Name: "Stakker", ContainingNamespace.IsGlobalNamespace: true };
}
