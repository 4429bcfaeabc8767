using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Stakker.Analyzers;

/// <summary>STK0001 fix, inside an async function: await the asynchronous form instead of blocking</summary>
/// <remarks>Offered only where the analyzer found a rewrite (<see cref="BlockingFix"/>) and the function is
/// already async. In a plain handler there is nothing to await: the fix there is a design change
/// (a timer, a coroutine, a Ret), which is left to the author.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingCallCodeFix)), Shared]
public sealed class BlockingCallCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [Rules.BlockingCall.Id];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;
        foreach (Diagnostic d in context.Diagnostics)
        {
            if (!d.Properties.TryGetValue(BlockingFix.Key, out string? kind) || kind is null) continue;
            if (root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax node) continue;
            d.Properties.TryGetValue(BlockingFix.TwinKey, out string? twin);
            if (Rewrite(node, kind, twin, model, context.CancellationToken) is not { } awaited) continue;
            context.RegisterCodeFix(CodeAction.Create("Await the asynchronous form",
                ct => Replace(context.Document, root, node, awaited), nameof(BlockingCallCodeFix)), d);
        }
    }

    static Task<Document> Replace(Document doc, SyntaxNode root, ExpressionSyntax node, ExpressionSyntax replacement) =>
        Task.FromResult(doc.WithSyntaxRoot(root.ReplaceNode(node, replacement.WithTriviaFrom(node))));

    /// <summary>The awaiting expression that replaces <paramref name="node"/>, or null if none binds</summary>
    static ExpressionSyntax? Rewrite(ExpressionSyntax node, string kind, string? twin, SemanticModel model, CancellationToken ct)
    {
        ExpressionSyntax? operand = kind switch
        {
            BlockingFix.Delay => DelayFor(node, model, ct),
            BlockingFix.Await => AwaitedTask(node),
            BlockingFix.WhenAll when node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m } call =>
                call.WithExpression(m.WithName(IdentifierName("WhenAll"))),
            BlockingFix.AsyncTwin when twin is not null && node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m } call =>
                Binds(call.WithExpression(m.WithName(IdentifierName(twin))), node, model),
            _ => null,
        };
        if (operand is null) return null;
        ExpressionSyntax awaited = AwaitExpression(operand.WithoutTrivia());
        // A statement needs no parentheses; inside an expression they keep the await's precedence.
        if (node.Parent is not ExpressionStatementSyntax) awaited = ParenthesizedExpression(awaited).WithAdditionalAnnotations(Simplifier.Annotation);
        return awaited;
    }

    static ExpressionSyntax? Binds(InvocationExpressionSyntax candidate, SyntaxNode at, SemanticModel model) =>
        model.GetSpeculativeSymbolInfo(at.SpanStart, candidate, SpeculativeBindingOption.BindAsExpression).Symbol is IMethodSymbol ? candidate : null;

    /// <summary>t.Result, t.Wait(), t.GetAwaiter().GetResult(): the task t</summary>
    static ExpressionSyntax? AwaitedTask(ExpressionSyntax node) => node switch
    {
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } m => m.Expression,
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetResult", Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } awaiter } } } => awaiter.Expression,
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" } m } => m.Expression,
        _ => null,
    };

    /// <summary>Thread.Sleep(d): co.Delay(d) in a coroutine (virtual time, ends with the actor), else Task.Delay(d)</summary>
    static ExpressionSyntax? DelayFor(ExpressionSyntax node, SemanticModel model, CancellationToken ct)
    {
        if (node is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } call) return null;
        ExpressionSyntax arg = call.ArgumentList.Arguments[0].Expression;
        string? co = CoroutineContext(node, model, ct);
        if (co is null) return ParseExpression(TypeName(model, node, "System.Threading.Tasks", "Task") + ".Delay(" + arg + ")");
        bool isTimeSpan = model.GetTypeInfo(arg, ct).Type?.Name == "TimeSpan";
        string span = isTimeSpan ? arg.ToString() : TypeName(model, node, "System", "TimeSpan") + ".FromMilliseconds(" + arg + ")";
        return ParseExpression(co + ".Delay(" + span + ")");
    }

    /// <summary>The type's simple name if it means that type here, else its full name</summary>
    static string TypeName(SemanticModel model, SyntaxNode at, string ns, string name)
    {
        foreach (var s in model.LookupNamespacesAndTypes(at.SpanStart, name: name))
            if (s is INamedTypeSymbol t && t.ContainingNamespace.ToDisplayString() == ns) return name;
        return "global::" + ns + "." + name;
    }

    /// <summary>The name of the AsyncCx parameter of the innermost function around <paramref name="node"/>, if any</summary>
    static string? CoroutineContext(SyntaxNode node, SemanticModel model, CancellationToken ct)
    {
        foreach (var fn in node.Ancestors())
        {
            if (fn is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax)) continue;
            ISymbol? s = fn is AnonymousFunctionExpressionSyntax ? model.GetSymbolInfo(fn, ct).Symbol : model.GetDeclaredSymbol(fn, ct);
            if (s is not IMethodSymbol method) return null;
            return method.Parameters.FirstOrDefault(p => p.Type is INamedTypeSymbol { Name: "AsyncCx" })?.Name;
        }
        return null;
    }
}
