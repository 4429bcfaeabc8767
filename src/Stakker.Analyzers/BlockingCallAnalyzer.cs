using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Stakker.Analyzers;

/// <summary>STK0001: a blocking call inside an actor handler, Ret end-point, Core callback or coroutine</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallAnalyzer : StakkerAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rules.BlockingCall];

    /// <inheritdoc/>
    private protected override void Start(CompilationStartAnalysisContext start, StakkerTypes types)
    {
        start.RegisterOperationAction(c => Check(c, ((IInvocationOperation)c.Operation).TargetMethod, types), OperationKind.Invocation);
        start.RegisterOperationAction(c => Check(c, ((IPropertyReferenceOperation)c.Operation).Property, types), OperationKind.PropertyReference);
    }

    static void Check(OperationAnalysisContext c, ISymbol member, StakkerTypes types)
    {
        if (!BlockingApis.IsBlocking(member)) return;
        IOperation op = c.Operation;
        HandlerContext where = HandlerContext.Of(op, c.ContainingSymbol, types);
        if (where.Kind == HandlerKind.None) return;
        if (IsKnownComplete(op, where)) return;

        var props = ImmutableDictionary<string, string?>.Empty;
        if (where.IsAsync && FixFor(op, member) is { } fix)
        {
            props = props.Add(BlockingFix.Key, fix.Kind);
            if (fix.Twin is not null) props = props.Add(BlockingFix.TwinKey, fix.Twin);
        }
        c.ReportDiagnostic(Diagnostic.Create(Rules.BlockingCall, op.Syntax.GetLocation(), props,
            member.ContainingType.Name + "." + member.Name, where.Describe()));
    }

    /// <summary>The rewrite the code fix can make inside an async function, if any</summary>
    static (string Kind, string? Twin)? FixFor(IOperation op, ISymbol member)
    {
        string type = member.ContainingType.Name;
        switch (member.Name)
        {
            case "Sleep" when type == "Thread":
                return (BlockingFix.Delay, null);
            case "Result":
            case "GetResult":
                return (BlockingFix.Await, null);
            case "Wait" when type == "Task" && op is IInvocationOperation { Arguments.Length: 0, Instance: not null }:
                return (BlockingFix.Await, null);
            case "WaitAll" when type == "Task" && IsTaskArray(op):
                return (BlockingFix.WhenAll, null);
            case "WaitAny" when type == "Task" && IsTaskArray(op):
                return (BlockingFix.WhenAny, null);
        }
        string twin = member.Name + "Async";
        return member.ContainingType.GetMembers(twin).Any(m => m is IMethodSymbol) ? (BlockingFix.AsyncTwin, twin) : null;
    }

    static bool IsTaskArray(IOperation op) =>
        op is IInvocationOperation { TargetMethod.Parameters: { Length: 1 } ps } && ps[0].Type is IArrayTypeSymbol { ElementType.Name: "Task" };

    /// <summary>True for <c>t.Result</c>, <c>t.Wait()</c> or <c>t.GetAwaiter().GetResult()</c> on a task the
    /// same function awaited or tested for completion: reading a finished task does not block</summary>
    static bool IsKnownComplete(IOperation op, HandlerContext where)
    {
        IOperation? receiver = op switch
        {
            IPropertyReferenceOperation p => p.Instance,
            IInvocationOperation { TargetMethod.Name: "GetResult", Instance: IInvocationOperation { TargetMethod.Name: "GetAwaiter" } awaiter } => awaiter.Instance,
            IInvocationOperation { TargetMethod.Name: "Wait" } w => w.Instance,
            _ => null,
        };
        while (receiver is IConversionOperation conv) receiver = conv.Operand;
        string? name = receiver switch
        {
            ILocalReferenceOperation l => l.Local.Name,
            IParameterReferenceOperation p => p.Parameter.Name,
            IFieldReferenceOperation f => f.Field.Name,
            _ => null,
        };
        if (name is null) return false;
        SyntaxNode? body = where.Function?.Syntax ?? RootSyntax(op);
        if (body is null) return false;
        foreach (var id in body.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (id.Identifier.ValueText != name) continue;
            if (id.Ancestors().Any(a => a is AwaitExpressionSyntax)) return true;
            // The task itself may be a member (c.Pending): test what is tested, not the identifier alone.
            ExpressionSyntax task = id.Parent is MemberAccessExpressionSyntax owner && owner.Name == id ? owner : id;
            if (task.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsCompleted" or "IsCompletedSuccessfully" or "Status" } m && m.Expression == task) return true;
        }
        return false;
    }

    static SyntaxNode? RootSyntax(IOperation op)
    {
        while (op.Parent is not null) op = op.Parent;
        return op.Syntax;
    }
}
