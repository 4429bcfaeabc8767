using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Stakker.Analyzers;

/// <summary>STK0008: a max/min timer key kept in a local, or a Waker that nobody keeps or disposes</summary>
/// <remarks>Fixed timer keys are not checked: a fixed timer fires once and frees itself, so dropping
/// its key (the usual fire-and-forget <c>cx.After</c>) leaks nothing.</remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TimerWakerLeakAnalyzer : StakkerAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rules.TimerWakerLeak];

    /// <inheritdoc/>
    private protected override void Start(CompilationStartAnalysisContext start, StakkerTypes types)
    {
        start.RegisterOperationAction(c => CheckTimer(c, types), OperationKind.Invocation);
        start.RegisterOperationAction(c => CheckDiscardedWaker(c, ((IExpressionStatementOperation)c.Operation).Operation, types), OperationKind.ExpressionStatement);
        start.RegisterOperationAction(c =>
        {
            var assign = (ISimpleAssignmentOperation)c.Operation;
            if (assign.Target is IDiscardOperation) CheckDiscardedWaker(c, assign.Value, types);
        }, OperationKind.SimpleAssignment);
        start.RegisterOperationAction(c => CheckWakerLocal(c, types), OperationKind.VariableDeclarator);
    }

    static void CheckTimer(OperationAnalysisContext c, StakkerTypes types)
    {
        var call = (IInvocationOperation)c.Operation;
        if (call.TargetMethod.Name is not ("TimerMax" or "TimerMin") || !types.IsCx(call.TargetMethod.ContainingType)) return;
        if (call.Arguments.Length == 0 || call.Arguments[0].Value is not ILocalReferenceOperation key) return;
        if (UsedElsewhere(key.Local, call, Root(call))) return;
        c.ReportDiagnostic(Diagnostic.Create(Rules.TimerWakerLeak, call.Arguments[0].Syntax.GetLocation(),
            $"The {key.Local.Type.Name} is kept in local '{key.Local.Name}' and lost when the handler returns: the next '{call.TargetMethod.Name}' starts another timer instead of moving this one; keep the key in a field"));
    }

    /// <summary>True if the local is read or written anywhere but in TimerMax/TimerMin calls (the code keeps it somehow)</summary>
    static bool UsedElsewhere(ILocalSymbol local, IInvocationOperation call, IOperation root)
    {
        foreach (var op in root.Descendants())
        {
            if (op is not ILocalReferenceOperation r || !SymbolEqualityComparer.Default.Equals(r.Local, local)) continue;
            if (r.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "TimerMax" or "TimerMin" } }) continue;
            return true;
        }
        return false;
    }

    static void CheckDiscardedWaker(OperationAnalysisContext c, IOperation value, StakkerTypes types)
    {
        while (value is IConversionOperation conv) value = conv.Operand;
        if (value is not IInvocationOperation { TargetMethod.Name: "CreateWaker" } call || !StakkerTypes.Is(call.Type, types.Waker)) return;
        c.ReportDiagnostic(Diagnostic.Create(Rules.TimerWakerLeak, call.Syntax.GetLocation(),
            "The Waker made here is discarded: nothing can wake the Core with it, and it stays counted live until a garbage collection finalizes it; keep it and dispose it when done"));
    }

    static void CheckWakerLocal(OperationAnalysisContext c, StakkerTypes types)
    {
        var decl = (IVariableDeclaratorOperation)c.Operation;
        if (!StakkerTypes.Is(decl.Symbol.Type, types.Waker)) return;
        // Only the creator owns a waker; one received from elsewhere is someone else's to dispose.
        IOperation? init = decl.Initializer?.Value;
        while (init is IConversionOperation conv) init = conv.Operand;
        if (init is not IInvocationOperation { TargetMethod.Name: "CreateWaker" }) return;
        for (IOperation? p = decl.Parent; p is IVariableDeclarationOperation or IVariableDeclarationGroupOperation or IUsingDeclarationOperation or IUsingOperation; p = p.Parent)
            if (p is IUsingDeclarationOperation or IUsingOperation) return;
        foreach (var op in Root(decl).Descendants())
        {
            if (op is not ILocalReferenceOperation r || !SymbolEqualityComparer.Default.Equals(r.Local, decl.Symbol)) continue;
            // Waking is the only use that keeps nothing: anything else (dispose, pass, store, capture) hands it on.
            if (r.Parent is IInvocationOperation { TargetMethod.Name: "Wake" } w && w.Instance == r) continue;
            return;
        }
        c.ReportDiagnostic(Diagnostic.Create(Rules.TimerWakerLeak, decl.Syntax.GetLocation(),
            $"The Waker '{decl.Symbol.Name}' is never disposed nor handed on: it stays counted live until a garbage collection finalizes it; dispose it when done"));
    }

    static IOperation Root(IOperation op)
    {
        while (op.Parent is not null) op = op.Parent;
        return op;
    }
}
