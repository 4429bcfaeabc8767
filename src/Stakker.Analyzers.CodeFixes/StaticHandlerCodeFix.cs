using System.Collections.Generic;
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
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Stakker.Analyzers;

/// <summary>STK0005 fix: make the handler static and pass what it captured as call arguments</summary>
/// <remarks>
/// Two shapes, after the overloads Stakker has. Calls, inits, spawns and Cx timers take trailing
/// arguments that the handler receives after its own (<c>Call(static (a, cx, n) => ..., n)</c>;
/// for Spawn they go before the notify Ret). Ret end-points take one fixed argument before the
/// handler, received before the answer (<c>Ret.To(actor, id, static (a, cx, id, answer) => ...)</c>).
/// The rewritten call must bind (checked speculatively), so a capture count the API cannot carry,
/// or an explicit type argument list that no longer fits, gets no fix.
/// Passing a value reads it when the call is made rather than when the handler runs: for an actor
/// message that is nearly always what was meant.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StaticHandlerCodeFix)), Shared]
public sealed class StaticHandlerCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [Rules.CapturingHandler.Id];

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;
        foreach (Diagnostic d in context.Diagnostics)
        {
            if (!d.Properties.TryGetValue(CapturingHandlerAnalyzer.CapturedKey, out string? list) || string.IsNullOrEmpty(list)) continue;
            var lambda = root.FindToken(d.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<LambdaExpressionSyntax>().FirstOrDefault();
            if (lambda?.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax call } } arg) continue;
            string[] names = list!.Split(',');
            if (Rewrite(call, arg, lambda, names, model, context.CancellationToken) is not { } fixedCall) continue;
            context.RegisterCodeFix(CodeAction.Create("Make the handler static and pass " + string.Join(", ", names) + " as arguments",
                ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(call, fixedCall))), nameof(StaticHandlerCodeFix)), d);
        }
    }

    static InvocationExpressionSyntax? Rewrite(InvocationExpressionSyntax call, ArgumentSyntax arg, LambdaExpressionSyntax lambda,
        string[] names, SemanticModel model, CancellationToken ct)
    {
        if (model.GetSymbolInfo(call, ct).Symbol is not IMethodSymbol target) return null;
        if (model.GetSymbolInfo(lambda, ct).Symbol is not IMethodSymbol handler) return null;
        var args = call.ArgumentList.Arguments.ToList();
        int handlerIndex = args.IndexOf(arg);
        IEnumerable<ArgumentSyntax> extra = names.Select(n => Argument(IdentifierName(n)));
        int paramInsert;
        switch (target.Name)
        {
            case "Call" or "Init" or "After" or "At":
                args.AddRange(extra);
                paramInsert = handler.Parameters.Length;
                break;
            case "Spawn":
                args.InsertRange(args.Count - 1, extra);
                paramInsert = handler.Parameters.Length;
                break;
            case "To" or "SomeTo" or "Ret" when names.Length == 1 && handler.Parameters.Length == 3:
                args.InsertRange(handlerIndex, extra);
                paramInsert = 2;   // after the state and the Cx, before the answer
                break;
            default:
                return null;
        }
        var newParams = names.Select(n => TypedParameter(n, lambda, model, ct)).ToList();
        LambdaExpressionSyntax newLambda = MakeStatic(lambda, paramInsert, newParams);
        args[args.IndexOf(arg)] = arg.WithExpression(newLambda);
        var newCall = call.WithArgumentList(call.ArgumentList.WithArguments(SeparatedList(args)));
        // Explicit type arguments no longer match the longer overload: let inference find them.
        if (newCall.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax g } m)
            newCall = newCall.WithExpression(m.WithName(IdentifierName(g.Identifier)));
        else if (newCall.Expression is GenericNameSyntax gn)
            newCall = newCall.WithExpression(IdentifierName(gn.Identifier));
        return model.GetSpeculativeSymbolInfo(call.SpanStart, newCall, SpeculativeBindingOption.BindAsExpression).Symbol is IMethodSymbol
            ? newCall.WithTriviaFrom(call) : null;
    }

    /// <summary>A parameter for a captured name, typed only if the lambda's own parameters are</summary>
    static ParameterSyntax TypedParameter(string name, LambdaExpressionSyntax lambda, SemanticModel model, CancellationToken ct)
    {
        var p = Parameter(Identifier(name));
        if (lambda is ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters: var ps } && ps.Count > 0 && ps[0].Type is not null)
        {
            var id = lambda.DescendantNodes().OfType<IdentifierNameSyntax>().FirstOrDefault(i => i.Identifier.ValueText == name);
            if (id is not null && model.GetTypeInfo(id, ct).Type is { } t)
                p = p.WithType(ParseTypeName(t.ToMinimalDisplayString(model, lambda.SpanStart)).WithTrailingTrivia(Space));
        }
        return p;
    }

    static LambdaExpressionSyntax MakeStatic(LambdaExpressionSyntax lambda, int insertAt, List<ParameterSyntax> added)
    {
        ParameterListSyntax list = lambda switch
        {
            ParenthesizedLambdaExpressionSyntax p => p.ParameterList,
            SimpleLambdaExpressionSyntax s => ParameterList(SingletonSeparatedList(s.Parameter.WithoutTrivia())),
            _ => ParameterList(),
        };
        var ps = list.Parameters.ToList();
        ps.InsertRange(insertAt, added);
        var parameters = ParameterList(SeparatedList(ps)).WithTrailingTrivia(Space);
        var staticToken = Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(Space);
        var modifiers = lambda.Modifiers.Any(SyntaxKind.StaticKeyword) ? lambda.Modifiers : lambda.Modifiers.Insert(0, staticToken);
        var result = ParenthesizedLambdaExpression(parameters, lambda.Body)
            .WithModifiers(modifiers)
            .WithArrowToken(lambda.ArrowToken)
            .WithLeadingTrivia(lambda.GetLeadingTrivia());
        return result;
    }
}
