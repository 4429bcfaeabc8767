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
        var capturedTypes = names.Select(n => CapturedType(n, lambda, model, ct)).ToList();
        if (capturedTypes.Any(t => t is null)) return null;
        int paramInsert, typeInsert;
        switch (target.Name)
        {
            case "Call" or "Init" or "After" or "At":
                args.AddRange(extra);
                paramInsert = handler.Parameters.Length;
                typeInsert = target.TypeArguments.Length;
                break;
            case "Spawn":
                args.InsertRange(args.Count - 1, extra);
                paramInsert = handler.Parameters.Length;
                typeInsert = target.TypeArguments.Length;
                break;
            case "Ret" or "RetSome" when names.Length == 1 && handler.Parameters.Length == 3:
                args.InsertRange(handlerIndex, extra);
                paramInsert = 2;   // after the state and the Cx, before the answer
                typeInsert = target.TypeArguments.Length - 1;   // before the answer's type
                break;
            default:
                return null;
        }
        var newParams = names.Select((n, i) => TypedParameter(n, capturedTypes[i]!, lambda, model)).ToList();
        LambdaExpressionSyntax newLambda = MakeStatic(lambda, paramInsert, newParams);
        args[args.IndexOf(arg)] = arg.WithExpression(newLambda);
        var newCall = call.WithArgumentList(call.ArgumentList.WithArguments(SeparatedList(args)));

        // First let inference find the type arguments; where it cannot (a lambda's parameters never
        // drive inference), spell out the longer overload's list.
        var typeArgs = target.TypeArguments.ToList();
        typeArgs.InsertRange(typeInsert, capturedTypes!);
        var typeList = TypeArgumentList(SeparatedList(typeArgs.Select(t => ParseTypeName(t.ToMinimalDisplayString(model, call.SpanStart)))));
        foreach (var candidate in new[] { WithTypeArguments(newCall, null), WithTypeArguments(newCall, typeList) })
        {
            if (candidate is not null && model.GetSpeculativeSymbolInfo(call.SpanStart, candidate, SpeculativeBindingOption.BindAsExpression).Symbol is IMethodSymbol)
                return candidate.WithTriviaFrom(call);
        }
        return null;
    }

    /// <summary>The call with its method name given these type arguments (null: none)</summary>
    static InvocationExpressionSyntax? WithTypeArguments(InvocationExpressionSyntax call, TypeArgumentListSyntax? types)
    {
        SimpleNameSyntax Named(SimpleNameSyntax name) =>
            types is null ? IdentifierName(name.Identifier) : GenericName(name.Identifier, types);
        return call.Expression switch
        {
            MemberAccessExpressionSyntax m => call.WithExpression(m.WithName(Named(m.Name))),
            SimpleNameSyntax n => call.WithExpression(Named(n)),
            _ => null,
        };
    }

    static ITypeSymbol? CapturedType(string name, LambdaExpressionSyntax lambda, SemanticModel model, CancellationToken ct)
    {
        var id = lambda.DescendantNodes().OfType<IdentifierNameSyntax>().FirstOrDefault(i => i.Identifier.ValueText == name);
        return model.GetSymbolInfo(id!, ct).Symbol switch
        {
            ILocalSymbol l => l.Type,
            IParameterSymbol p => p.Type,
            _ => null,
        };
    }

    /// <summary>A parameter for a captured name, typed only if the lambda's own parameters are</summary>
    static ParameterSyntax TypedParameter(string name, ITypeSymbol type, LambdaExpressionSyntax lambda, SemanticModel model)
    {
        var p = Parameter(Identifier(name));
        if (lambda is ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters: var ps } && ps.Count > 0 && ps[0].Type is not null)
            p = p.WithType(ParseTypeName(type.ToMinimalDisplayString(model, lambda.SpanStart)).WithTrailingTrivia(Space));
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
