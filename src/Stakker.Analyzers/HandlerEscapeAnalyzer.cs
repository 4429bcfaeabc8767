using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Stakker.Analyzers;

/// <summary>STK0007: Run, Query or WaitForWake inside a handler; an AsyncCx kept beyond its coroutine's turns</summary>
/// <remarks>A Cx is a ref struct: the compiler already refuses to store it in a field (CS8345), to
/// capture it (CS9108) or to take it into an async method (CS4012). What it cannot see is left
/// here: driver calls made from inside the Core's turn, and the coroutine context, which is a class.</remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HandlerEscapeAnalyzer : StakkerAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rules.HandlerEscape];

    /// <inheritdoc/>
    private protected override void Start(CompilationStartAnalysisContext start, StakkerTypes types)
    {
        start.RegisterOperationAction(c => CheckDriverCall(c, types), OperationKind.Invocation);
        start.RegisterOperationAction(c => CheckStore(c, types), OperationKind.SimpleAssignment);
        start.RegisterOperationAction(c => CheckCapture(c, types), OperationKind.AnonymousFunction);
    }

    static void CheckDriverCall(OperationAnalysisContext c, StakkerTypes types)
    {
        var call = (IInvocationOperation)c.Operation;
        IMethodSymbol m = call.TargetMethod;
        string? advice = m.Name switch
        {
            "Run" when StakkerTypes.Is(m.ContainingType, types.Core) || StakkerTypes.Is(m.ContainingType, types.RealTimeDriver) =>
                "return from the handler: the driver runs the queue",
            "WaitForWake" when StakkerTypes.Is(m.ContainingType, types.Core) => "return from the handler: the driver waits",
            "Query" or "TryQuery" when types.IsActor(m.ContainingType) => "send a call carrying a Ret instead",
            _ => null,
        };
        if (advice is null) return;
        HandlerContext where = HandlerContext.Of(call, c.ContainingSymbol, types);
        if (where.Kind == HandlerKind.None) return;
        // A Query from a Core callback (CoreThread.InvokeAsync, Core.Defer) is allowed: no handler is running.
        if (m.Name is "Query" or "TryQuery" && where.Kind == HandlerKind.Callback) return;
        c.ReportDiagnostic(Diagnostic.Create(Rules.HandlerEscape, call.Syntax.GetLocation(),
            $"'{m.Name}' is for drivers and throws inside {where.Describe()}: {advice}"));
    }

    static void CheckStore(OperationAnalysisContext c, StakkerTypes types)
    {
        var assign = (ISimpleAssignmentOperation)c.Operation;
        if (assign.Target is not (IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation)) return;
        IOperation value = assign.Value;
        while (value is IConversionOperation conv) value = conv.Operand;
        if (!types.IsAsyncCx(value.Type)) return;
        c.ReportDiagnostic(Diagnostic.Create(Rules.HandlerEscape, assign.Syntax.GetLocation(),
            $"The coroutine context '{value.Syntax}' is stored in '{assign.Target.Syntax}': it is valid only during its coroutine's turns"));
    }

    static void CheckCapture(OperationAnalysisContext c, StakkerTypes types)
    {
        var lambda = (IAnonymousFunctionOperation)c.Operation;
        if (!RunsLater(lambda, types)) return;
        foreach (var op in lambda.Body.Descendants())
        {
            ISymbol? s = op switch
            {
                IParameterReferenceOperation p when types.IsAsyncCx(p.Type) => p.Parameter,
                ILocalReferenceOperation l when types.IsAsyncCx(l.Type) => l.Local,
                _ => null,
            };
            if (s is null || Captures.IsInside(s.ContainingSymbol, lambda.Symbol)) continue;
            c.ReportDiagnostic(Diagnostic.Create(Rules.HandlerEscape, op.Syntax.GetLocation(),
                $"The coroutine context '{s.Name}' is captured by a lambda that runs later, outside its coroutine's turns"));
            return;
        }
    }

    /// <summary>True for a lambda that is queued, handed to another thread, or kept for later</summary>
    static bool RunsLater(IAnonymousFunctionOperation lambda, StakkerTypes types)
    {
        if (CapturingHandlerAnalyzer.IsQueuedHandler(lambda.Parent?.Type) || HandlerContext.IsCoreCallback(lambda, types)) return true;
        IOperation? p = lambda.Parent;
        while (p is IDelegateCreationOperation or IConversionOperation) p = p.Parent;
        switch (p)
        {
            case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } or IEventAssignmentOperation:
                return true;
            case IArgumentOperation { Parent: IInvocationOperation call }:
                return call.TargetMethod.Name is "Run" or "StartNew" or "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" or "ContinueWith" or "Register" or "UnsafeRegister";
            case IArgumentOperation { Parent: IObjectCreationOperation create }:
                return create.Type?.Name is "Thread" or "Timer";
        }
        return false;
    }
}
