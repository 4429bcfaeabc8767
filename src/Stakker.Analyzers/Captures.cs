using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Stakker.Analyzers;

/// <summary>What a lambda captures from the code around it</summary>
internal readonly struct Captures
{
    /// <summary>Captured locals and parameters, in order of first use</summary>
    public readonly List<ISymbol> Variables;
    /// <summary>True if the lambda uses <c>this</c> (explicitly or through a member)</summary>
    public readonly bool This;
    /// <summary>True if the lambda assigns a captured variable (passing it by value would change the meaning)</summary>
    public readonly bool Writes;

    Captures(List<ISymbol> variables, bool @this, bool writes)
    {
        Variables = variables;
        This = @this;
        Writes = writes;
    }

    public bool Any => This || Variables.Count > 0;

    /// <summary>Walks the lambda's body once; no semantic model queries</summary>
    public static Captures Of(IAnonymousFunctionOperation lambda)
    {
        var vars = new List<ISymbol>();
        bool self = false, writes = false;
        foreach (var op in lambda.Body.Descendants())
        {
            ISymbol? s = op switch
            {
                ILocalReferenceOperation l => l.Local,
                IParameterReferenceOperation p => p.Parameter,
                _ => null,
            };
            if (op is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }) self = true;
            if (s is null || IsInside(s.ContainingSymbol, lambda.Symbol)) continue;
            if (!vars.Exists(v => SymbolEqualityComparer.Default.Equals(v, s))) vars.Add(s);
            if (op.Parent is IAssignmentOperation a && a.Target == op) writes = true;
            if (op.Parent is IIncrementOrDecrementOperation) writes = true;
        }
        return new Captures(vars, self, writes);
    }

    /// <summary>True if <paramref name="s"/> is <paramref name="lambda"/> or declared within it</summary>
    public static bool IsInside(ISymbol? s, ISymbol lambda)
    {
        for (; s is not null; s = s.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(s, lambda)) return true;
            if (s is INamedTypeSymbol) return false;
        }
        return false;
    }

    /// <summary>"'this', 'count'"</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (This) parts.Add("'this'");
        foreach (var v in Variables) parts.Add("'" + v.Name + "'");
        return string.Join(", ", parts);
    }

    /// <summary>The lambda's head, from its first token to the arrow: a short span to underline</summary>
    public static Location Head(SyntaxNode lambda)
    {
        if (lambda is LambdaExpressionSyntax l)
            return Location.Create(lambda.SyntaxTree, TextSpan.FromBounds(lambda.SpanStart, l.ArrowToken.Span.End));
        return lambda.GetLocation();
    }
}
