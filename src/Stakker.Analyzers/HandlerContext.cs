using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Stakker.Analyzers;

/// <summary>What kind of code runs on a Core's thread as part of an actor's (or the Core's) turn</summary>
internal enum HandlerKind
{
    /// <summary>Not known to run on the Core's turn</summary>
    None,
    /// <summary>A method or lambda taking a Cx: actor calls, inits, Ret and Fwd end-points, timers, queries</summary>
    Handler,
    /// <summary>The body of an actor coroutine (takes an AsyncCx)</summary>
    Coroutine,
    /// <summary>A plain callback the Core runs in its turn: Ret.From, Fwd.From, Core.Defer, Core timers</summary>
    Callback,
}

/// <summary>Where an operation sits: the innermost function around it and what kind of handler that is</summary>
internal readonly struct HandlerContext
{
    public readonly HandlerKind Kind;
    /// <summary>The actor state type, for handlers and coroutines</summary>
    public readonly ITypeSymbol? ActorType;
    /// <summary>The innermost lambda or local function, or null for the member body itself</summary>
    public readonly IOperation? Function;
    /// <summary>The innermost function's symbol (lambda, local function or member)</summary>
    public readonly IMethodSymbol? Method;

    HandlerContext(HandlerKind kind, ITypeSymbol? actorType, IOperation? function, IMethodSymbol? method)
    {
        Kind = kind;
        ActorType = actorType;
        Function = function;
        Method = method;
    }

    public bool IsAsync => Method is { IsAsync: true };

    /// <summary>"a handler of Light", "a coroutine of Light", "a Core callback"</summary>
    public string Describe() => Kind switch
    {
        HandlerKind.Handler => "a handler of " + ActorType?.Name,
        HandlerKind.Coroutine => "a coroutine of " + ActorType?.Name,
        HandlerKind.Callback => "a callback run by the Core",
        _ => "code",
    };

    /// <summary>Classifies the innermost function around <paramref name="op"/></summary>
    /// <remarks>Walks parents only as far as the first lambda or local function: code in a nested lambda
    /// handed elsewhere (Task.Run, a LINQ query) is judged by that lambda, not by the handler around it.</remarks>
    public static HandlerContext Of(IOperation op, ISymbol containingSymbol, StakkerTypes types)
    {
        for (IOperation? p = op.Parent; p is not null; p = p.Parent)
        {
            if (p is IAnonymousFunctionOperation lambda) return OfLambda(lambda, types);
            if (p is ILocalFunctionOperation local) return OfMethod(local.Symbol, local, types);
        }
        return containingSymbol is IMethodSymbol m ? OfMethod(m, null, types) : default;
    }

    static HandlerContext OfMethod(IMethodSymbol m, IOperation? function, StakkerTypes types)
    {
        if (types.HasCxParameter(m) is { } t) return new HandlerContext(HandlerKind.Handler, t, function, m);
        if (types.HasAsyncCxParameter(m) is { } c) return new HandlerContext(HandlerKind.Coroutine, c, function, m);
        return new HandlerContext(HandlerKind.None, null, function, m);
    }

    static HandlerContext OfLambda(IAnonymousFunctionOperation lambda, StakkerTypes types)
    {
        HandlerContext byParameters = OfMethod(lambda.Symbol, lambda, types);
        if (byParameters.Kind != HandlerKind.None) return byParameters;
        if (IsCoreCallback(lambda, types)) return new HandlerContext(HandlerKind.Callback, null, lambda, lambda.Symbol);
        return byParameters;
    }

    /// <summary>True for a lambda given to one of Stakker's plain-callback parameters</summary>
    public static bool IsCoreCallback(IOperation lambda, StakkerTypes types)
    {
        if (ArgumentOf(lambda) is not { } arg) return false;
        IMethodSymbol? target = arg.Parent switch
        {
            IInvocationOperation call => call.TargetMethod,
            IObjectCreationOperation create => create.Constructor,
            _ => null,
        };
        if (target is null || !StakkerTypes.IsStakkerMember(target)) return false;
        // Ret.From, Fwd.From, Core.Defer/Lazy/Idle/Post/After/At, Core.SpawnTask, CoreThread's start, Post and InvokeAsync.
        return arg.Parameter?.Name is "callback" or "onItem" or "onEnd" or "action" or "body" or "start" or "fn";
    }

    /// <summary>The argument a lambda or method group is passed as, looking through the delegate conversion</summary>
    public static IArgumentOperation? ArgumentOf(IOperation fn)
    {
        IOperation? p = fn.Parent;
        while (p is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation) p = p.Parent;
        return p as IArgumentOperation;
    }
}
