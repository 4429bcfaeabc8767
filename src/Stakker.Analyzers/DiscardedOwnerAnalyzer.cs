using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Stakker.Analyzers;

/// <summary>STK0003: the ActorOwn returned by Spawn, Create, Owned (or any method) is thrown away</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DiscardedOwnerAnalyzer : StakkerAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rules.DiscardedOwner];

    /// <inheritdoc/>
    private protected override void Start(CompilationStartAnalysisContext start, StakkerTypes types)
    {
        start.RegisterOperationAction(c => Check(c, ((IExpressionStatementOperation)c.Operation).Operation, types), OperationKind.ExpressionStatement);
        start.RegisterOperationAction(c =>
        {
            var assign = (ISimpleAssignmentOperation)c.Operation;
            if (assign.Target is IDiscardOperation) Check(c, assign.Value, types);
        }, OperationKind.SimpleAssignment);
    }

    static void Check(OperationAnalysisContext c, IOperation value, StakkerTypes types)
    {
        while (value is IConversionOperation conv) value = conv.Operand;
        if (value is not IInvocationOperation call || !types.IsActorOwn(call.Type)) return;
        // Of Stakker's own methods only the makers of owners count (a Query returning one does not make it).
        if (StakkerTypes.IsStakkerMember(call.TargetMethod) && call.TargetMethod.Name is not ("Spawn" or "Create" or "Owned")) return;
        var state = ((INamedTypeSymbol)call.Type!).TypeArguments[0];
        c.ReportDiagnostic(Diagnostic.Create(Rules.DiscardedOwner, call.Syntax.GetLocation(), state.Name, call.TargetMethod.Name));
    }
}
