using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Stakker.Analyzers;

/// <summary>Finds a normal path through a function on which a Ret parameter is never handed over</summary>
/// <remarks>
/// A block "hands over" the Ret if it answers or disposes it, passes it as an argument, stores,
/// returns or captures it, or ends the actor (Stop/Fail: the runtime then answers "no value").
/// The search walks the control flow graph from entry to exit through blocks that do not. Paths
/// that leave by an exception are not followed (an escaping exception fails the actor, which
/// answers the Ret), but a try block may jump to its catch at any point. Any use the search does
/// not understand counts as a hand-over: a missed mistake is better than a false alarm.
/// </remarks>
internal sealed class RetPaths(IParameterSymbol ret, StakkerTypes types)
{
    readonly Dictionary<BasicBlock, bool> _handsOver = [];

    /// <summary>True if some path from entry to exit never hands the Ret over</summary>
    public bool HasLeakingPath(ControlFlowGraph cfg)
    {
        var seen = new HashSet<BasicBlock>();
        var work = new Stack<BasicBlock>();
        work.Push(cfg.Blocks[0]);
        while (work.Count > 0)
        {
            BasicBlock b = work.Pop();
            if (!seen.Add(b)) continue;
            if (b.Kind == BasicBlockKind.Exit) return true;
            // The block may throw before it hands the Ret over: its catch handlers are reachable either way.
            foreach (var handler in CatchEntries(b, cfg)) work.Push(handler);
            if (HandsOver(b)) continue;
            Follow(b.FallThroughSuccessor, cfg, work);
            Follow(b.ConditionalSuccessor, cfg, work);
        }
        return false;
    }

    void Follow(ControlFlowBranch? branch, ControlFlowGraph cfg, Stack<BasicBlock> work)
    {
        if (branch?.Destination is not { } dest) return;
        // Leaving a try through a finally that hands the Ret over counts as handing it over.
        foreach (var fin in branch.FinallyRegions)
            if (RegionHandsOver(fin, cfg)) return;
        work.Push(dest);
    }

    /// <summary>The first blocks of the catch handlers around <paramref name="b"/>: any statement in a try may throw</summary>
    static IEnumerable<BasicBlock> CatchEntries(BasicBlock b, ControlFlowGraph cfg)
    {
        // Stop at this graph's root: a lambda's graph is nested in the regions of the code around it.
        for (ControlFlowRegion? r = b.EnclosingRegion; r is not null && r != cfg.Root; r = r.EnclosingRegion)
        {
            if (r.Kind != ControlFlowRegionKind.Try || r.EnclosingRegion is not { Kind: ControlFlowRegionKind.TryAndCatch } tc) continue;
            for (int i = 1; i < tc.NestedRegions.Length; i++)
                yield return cfg.Blocks[tc.NestedRegions[i].FirstBlockOrdinal];
        }
    }

    bool RegionHandsOver(ControlFlowRegion region, ControlFlowGraph cfg)
    {
        for (int i = region.FirstBlockOrdinal; i <= region.LastBlockOrdinal; i++)
            if (HandsOver(cfg.Blocks[i])) return true;
        return false;
    }

    bool HandsOver(BasicBlock b)
    {
        if (_handsOver.TryGetValue(b, out bool known)) return known;
        bool result = b.Operations.Any(HandsOver) || (b.BranchValue is { } v && HandsOver(v));
        _handsOver[b] = result;
        return result;
    }

    bool HandsOver(IOperation root)
    {
        foreach (var op in root.DescendantsAndSelf())
        {
            switch (op)
            {
                case IParameterReferenceOperation p when SymbolEqualityComparer.Default.Equals(p.Parameter, ret):
                    if (IsHandOver(p)) return true;
                    break;
                case IFlowAnonymousFunctionOperation lambda when Mentions(lambda.Syntax):
                    return true;
                case IInvocationOperation call when EndsActor(call.TargetMethod) || CapturesInLocalFunction(call.TargetMethod):
                    return true;
            }
        }
        return false;
    }

    /// <summary>Whether this use of the Ret parameter hands it over (conservatively yes unless plainly a read)</summary>
    static bool IsHandOver(IOperation use)
    {
        IOperation? parent = use.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            use = parent;
            parent = parent.Parent;
        }
        return parent switch
        {
            IInvocationOperation call when call.Instance == use => call.TargetMethod.Name is "Answer" or "Dispose" or "Abandon",
            IPropertyReferenceOperation => false,
            IBinaryOperation => false,
            IIsPatternOperation => false,
            IInterpolationOperation => false,
            _ => true,
        };
    }

    bool EndsActor(IMethodSymbol m) =>
        m.Name is "Stop" or "Fail" && (types.IsCx(m.ContainingType) || types.IsAsyncCx(m.ContainingType));

    bool CapturesInLocalFunction(IMethodSymbol m) =>
        m.MethodKind == MethodKind.LocalFunction && m.DeclaringSyntaxReferences.Any(r => Mentions(r.GetSyntax()));

    /// <summary>True if the syntax names the Ret parameter (a lambda or local function capturing it)</summary>
    bool Mentions(SyntaxNode node) =>
        node.DescendantTokens().Any(t => t.ValueText == ret.Name && t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken));
}
