using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Stakker.Analyzers;

/// <summary>STK0004: a Ret parameter that some path neither answers, passes on nor stores</summary>
/// <remarks>Only members, lambdas and local functions that take a Ret build a control flow graph;
/// everything else costs one parameter scan.</remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnansweredRetAnalyzer : StakkerAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rules.UnansweredRet];

    /// <inheritdoc/>
    private protected override void Start(CompilationStartAnalysisContext start, StakkerTypes types)
    {
        start.RegisterOperationBlockStartAction(block =>
        {
            bool wanted = block.OwningSymbol is IMethodSymbol m && RetParameters(m, types).Any();
            block.RegisterOperationAction(op =>
            {
                IMethodSymbol fn = op.Operation is IAnonymousFunctionOperation a ? a.Symbol : ((ILocalFunctionOperation)op.Operation).Symbol;
                if (RetParameters(fn, types).Any()) wanted = true;
            }, OperationKind.AnonymousFunction, OperationKind.LocalFunction);
            block.RegisterOperationBlockEndAction(end =>
            {
                if (wanted) Analyze(end, types);
            });
        });
    }

    static IEnumerable<IParameterSymbol> RetParameters(IMethodSymbol m, StakkerTypes types) =>
        m.Parameters.Where(p => p.RefKind == RefKind.None && types.IsRet(p.Type));

    static void Analyze(OperationBlockAnalysisContext c, StakkerTypes types)
    {
        var done = new HashSet<IOperation>();
        foreach (IOperation block in c.OperationBlocks)
        {
            // A block may be the body inside the member's root operation: the graph is built for the root.
            IOperation root = block;
            while (root.Parent is not null) root = root.Parent;
            if (!done.Add(root) || root.Kind is not (OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block
                or OperationKind.FieldInitializer or OperationKind.PropertyInitializer)) continue;
            ControlFlowGraph cfg = c.GetControlFlowGraph(block);
            IMethodSymbol? owner = root.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block
                ? c.OwningSymbol as IMethodSymbol : null;
            Walk(c, cfg, owner, types);
        }
    }

    /// <summary>Checks the function of <paramref name="cfg"/>, then every lambda and local function inside it</summary>
    static void Walk(OperationBlockAnalysisContext c, ControlFlowGraph cfg, IMethodSymbol? function, StakkerTypes types)
    {
        if (function is not null)
        {
            foreach (var p in RetParameters(function, types))
            {
                if (!new RetPaths(p, types).HasLeakingPath(cfg)) continue;
                var ret = (INamedTypeSymbol)p.Type;
                string where = function.MethodKind == MethodKind.AnonymousFunction ? "this lambda" : function.Name;
                c.ReportDiagnostic(Diagnostic.Create(Rules.UnansweredRet, p.Locations.FirstOrDefault(), ret.TypeArguments[0].ToDisplayString(), p.Name, where));
            }
        }
        foreach (var local in cfg.LocalFunctions)
            Walk(c, cfg.GetLocalFunctionControlFlowGraph(local, c.CancellationToken), local, types);
        foreach (var block in cfg.Blocks)
        {
            foreach (var op in block.Operations.Concat(block.BranchValue is { } v ? [v] : []))
            {
                foreach (var lambda in op.DescendantsAndSelf().OfType<IFlowAnonymousFunctionOperation>())
                    Walk(c, cfg.GetAnonymousFunctionControlFlowGraph(lambda, c.CancellationToken), lambda.Symbol, types);
            }
        }
    }
}
