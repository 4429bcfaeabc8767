using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Stakker.Analyzers;

/// <summary>STK0005: a non-static lambda (or bound method group) that captures state, given as a queued handler</summary>
/// <remarks>Queued handlers are the ActorCall and ActorInit delegates: Call, Init, Spawn, timers,
/// Ret and Fwd end-points. Queries (ActorQuery) run at once, so a capture there costs an allocation
/// but cannot go stale, and is left alone.</remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CapturingHandlerAnalyzer : StakkerAnalyzer
{
    /// <summary>Diagnostic property: the captured names, comma-separated, when the code fix can pass them as arguments</summary>
    public const string CapturedKey = "StakkerCaptured";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rules.CapturingHandler];

    /// <inheritdoc/>
    private protected override void Start(CompilationStartAnalysisContext start, StakkerTypes types)
    {
        start.RegisterOperationAction(CheckLambda, OperationKind.AnonymousFunction);
        start.RegisterOperationAction(CheckMethodGroup, OperationKind.MethodReference);
    }

    /// <summary>True for Stakker's queued handler delegates: ActorCall and ActorInit</summary>
    internal static bool IsQueuedHandler(ITypeSymbol? t) =>
        t is INamedTypeSymbol { TypeKind: TypeKind.Delegate, Name: "ActorCall" or "ActorInit" } d
        && d.ContainingNamespace is { Name: "Stakker", ContainingNamespace.IsGlobalNamespace: true };

    /// <summary>True unless the handler goes to a Stakker method with no overload taking more arguments</summary>
    /// <remarks>TimerMax, TimerMin, Lazy, Idle, Fwd.To and RetSome have no argument slot: there a
    /// capture is the only way to carry a value, so it is not reported.</remarks>
    static bool HasArgumentSlot(IOperation handler)
    {
        if (HandlerContext.ArgumentOf(handler) is not { Parent: IInvocationOperation call }) return true;
        IMethodSymbol m = call.TargetMethod;
        if (!StakkerTypes.IsStakkerMember(m)) return true;
        foreach (var other in m.ContainingType.GetMembers(m.Name))
            if (other is IMethodSymbol o && o.Parameters.Length > m.Parameters.Length) return true;
        return false;
    }

    static void CheckLambda(OperationAnalysisContext c)
    {
        var lambda = (IAnonymousFunctionOperation)c.Operation;
        if (lambda.Symbol.IsStatic || !IsQueuedHandler(lambda.Parent?.Type) || !HasArgumentSlot(lambda)) return;
        Captures captures = Captures.Of(lambda);
        if (!captures.Any) return;
        var props = ImmutableDictionary<string, string?>.Empty;
        if (!captures.This && !captures.Writes)
            props = props.Add(CapturedKey, string.Join(",", captures.Variables.ConvertAll(v => v.Name)));
        c.ReportDiagnostic(Diagnostic.Create(Rules.CapturingHandler, Captures.Head(lambda.Syntax), props, captures.Describe()));
    }

    static void CheckMethodGroup(OperationAnalysisContext c)
    {
        var group = (IMethodReferenceOperation)c.Operation;
        if (group.Instance is null || group.Method.IsStatic || !IsQueuedHandler(group.Parent?.Type) || !HasArgumentSlot(group)) return;
        string bound = group.Instance is IInstanceReferenceOperation ? "this" : group.Instance.Syntax.ToString();
        c.ReportDiagnostic(Diagnostic.Create(Rules.CapturingHandler, group.Syntax.GetLocation(), "'" + bound + "' (a bound method group)"));
    }
}
