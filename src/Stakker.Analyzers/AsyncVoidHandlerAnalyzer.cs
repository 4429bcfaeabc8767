using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Stakker.Analyzers;

/// <summary>STK0002: async void lambdas or methods used as handlers, or called from one</summary>
/// <remarks>An async lambda or method cannot take a Cx (the compiler refuses, CS4012), so the
/// mistakes left are async void end-points (Ret.From and Fwd.From callbacks, which run inside
/// whichever handler answers or sends), async void lambdas made inside a handler or coroutine, calls
/// of an async void method from one, and async void methods taking an AsyncCx. Driver-level entries
/// (Core.Defer, Core.Post, CoreThread.Post) are left alone: there an async lambda is how async code
/// is started on the Core, and its failure leaves Run as any callback's does.</remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AsyncVoidHandlerAnalyzer : StakkerAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rules.AsyncVoidHandler];

    /// <inheritdoc/>
    private protected override void Start(CompilationStartAnalysisContext start, StakkerTypes types)
    {
        start.RegisterOperationAction(c => CheckLambda(c, types), OperationKind.AnonymousFunction);
        start.RegisterOperationAction(c => CheckMethodGroup(c, types), OperationKind.MethodReference);
        start.RegisterOperationAction(c => CheckCall(c, types), OperationKind.Invocation);
        start.RegisterSymbolAction(c => CheckDeclaration(c, types), SymbolKind.Method);
    }

    static bool IsAsyncVoid(IMethodSymbol m) => m.IsAsync && m.ReturnsVoid;

    static void CheckLambda(OperationAnalysisContext c, StakkerTypes types)
    {
        var lambda = (IAnonymousFunctionOperation)c.Operation;
        if (!IsAsyncVoid(lambda.Symbol)) return;
        if (IsEndPoint(lambda) || InActor(lambda, c.ContainingSymbol, types))
            c.ReportDiagnostic(Diagnostic.Create(Rules.AsyncVoidHandler, AsyncKeyword(lambda.Syntax), "This async lambda"));
    }

    static void CheckMethodGroup(OperationAnalysisContext c, StakkerTypes types)
    {
        var group = (IMethodReferenceOperation)c.Operation;
        if (!IsAsyncVoid(group.Method)) return;
        if (IsEndPoint(group) || InActor(group, c.ContainingSymbol, types))
            c.ReportDiagnostic(Diagnostic.Create(Rules.AsyncVoidHandler, group.Syntax.GetLocation(), "'" + group.Method.Name + "'"));
    }

    static void CheckCall(OperationAnalysisContext c, StakkerTypes types)
    {
        var call = (IInvocationOperation)c.Operation;
        if (!IsAsyncVoid(call.TargetMethod)) return;
        if (!InActor(call, c.ContainingSymbol, types)) return;
        c.ReportDiagnostic(Diagnostic.Create(Rules.AsyncVoidHandler, call.Syntax.GetLocation(), "'" + call.TargetMethod.Name + "', called here,"));
    }

    static void CheckDeclaration(SymbolAnalysisContext c, StakkerTypes types)
    {
        var m = (IMethodSymbol)c.Symbol;
        if (!IsAsyncVoid(m) || types.HasAsyncCxParameter(m) is null) return;
        foreach (var loc in m.Locations)
            c.ReportDiagnostic(Diagnostic.Create(Rules.AsyncVoidHandler, loc, "Coroutine method '" + m.Name + "'"));
    }

    /// <summary>True for code inside an actor's handler or coroutine</summary>
    static bool InActor(IOperation op, ISymbol containing, StakkerTypes types) =>
        HandlerContext.Of(op, containing, types).Kind is HandlerKind.Handler or HandlerKind.Coroutine;

    /// <summary>True for a Ret.From or Fwd.From callback</summary>
    static bool IsEndPoint(IOperation fn) =>
        HandlerContext.ArgumentOf(fn) is { Parent: IInvocationOperation call, Parameter.Name: "callback" or "onItem" or "onEnd" }
        && StakkerTypes.IsStakkerMember(call.TargetMethod);

    /// <summary>Points at the 'async' keyword rather than the whole lambda</summary>
    static Location AsyncKeyword(SyntaxNode lambda)
    {
        foreach (var token in lambda.ChildTokens())
            if (token.Text == "async") return token.GetLocation();
        return lambda.GetLocation();
    }
}
