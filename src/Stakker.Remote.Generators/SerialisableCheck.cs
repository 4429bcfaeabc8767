using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Stakker.Remote.Generators;

/// <summary>Decides at compile time whether a type may travel: MemoryPack can write it, and its
/// nesting is bounded because no type contains itself (so a frame cannot nest without limit)</summary>
internal sealed class SerialisableCheck
{
    const int MaxDepth = 32;
    readonly List<ITypeSymbol> _path = new();

    public string? Problem(ITypeSymbol type) => Visit(type, 0);

    string? Visit(ITypeSymbol type, int depth)
    {
        if (depth > MaxDepth) return $"its types nest more than {MaxDepth} deep";
        switch (type)
        {
            case IArrayTypeSymbol array:
                return Visit(array.ElementType, depth + 1);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol or IDynamicTypeSymbol:
                return $"'{type.ToDisplayString()}' cannot be serialised";
            case ITypeParameterSymbol:
                return $"'{type.ToDisplayString()}' is an open type parameter";
        }
        if (type is not INamedTypeSymbol named) return $"'{type.ToDisplayString()}' cannot be serialised";
        if (named.SpecialType is SpecialType.System_Object) return "'object' cannot be serialised safely (no type on the wire)";
        if (named.TypeKind == TypeKind.Delegate) return $"'{type.ToDisplayString()}' is a delegate";
        if (named.SpecialType != SpecialType.None || named.TypeKind == TypeKind.Enum) return null;

        if (HasAttribute(named, "MemoryPackableAttribute"))
        {
            if (_path.Contains(named, SymbolEqualityComparer.Default))
                return $"'{named.ToDisplayString()}' contains itself, so its nesting has no bound";
            _path.Add(named);
            try
            {
                foreach (ITypeSymbol member in MemberTypes(named))
                    if (Visit(member, depth + 1) is { } p) return p;
                foreach (ITypeSymbol union in UnionTypes(named))
                    if (Visit(union, depth + 1) is { } p) return p;
            }
            finally { _path.RemoveAt(_path.Count - 1); }
            return null;
        }

        string ns = named.ContainingNamespace?.ToDisplayString() ?? "";
        if (ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal))
        {
            // Framework types MemoryPack writes (Guid, DateTime, List<T>, Dictionary<K,V>, ValueTuple...):
            // their type arguments must pass too.
            if (named.TypeKind == TypeKind.Interface && !named.IsGenericType)
                return $"'{type.ToDisplayString()}' is an interface MemoryPack cannot construct";
            foreach (ITypeSymbol arg in named.TypeArguments)
                if (Visit(arg, depth + 1) is { } p) return p;
            return null;
        }
        return $"'{type.ToDisplayString()}' is neither a built-in type nor marked [MemoryPackable]";
    }

    static bool HasAttribute(INamedTypeSymbol type, string name) =>
        type.GetAttributes().Any(a => a.AttributeClass?.Name == name && a.AttributeClass.ContainingNamespace?.ToDisplayString() == "MemoryPack");

    static IEnumerable<ITypeSymbol> MemberTypes(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
            foreach (ISymbol m in t.GetMembers())
            {
                if (m.IsStatic || m.GetAttributes().Any(a => a.AttributeClass?.Name == "MemoryPackIgnoreAttribute")) continue;
                if (m is IFieldSymbol { IsImplicitlyDeclared: false } f && (f.DeclaredAccessibility == Accessibility.Public || HasInclude(f))) yield return f.Type;
                else if (m is IPropertySymbol { IsIndexer: false, GetMethod: not null } p && (p.DeclaredAccessibility == Accessibility.Public || HasInclude(p))) yield return p.Type;
            }
    }

    static bool HasInclude(ISymbol s) => s.GetAttributes().Any(a => a.AttributeClass?.Name == "MemoryPackIncludeAttribute");

    static IEnumerable<ITypeSymbol> UnionTypes(INamedTypeSymbol type) =>
        type.GetAttributes()
            .Where(a => a.AttributeClass?.Name == "MemoryPackUnionAttribute" && a.ConstructorArguments.Length == 2)
            .Select(a => a.ConstructorArguments[1].Value as ITypeSymbol)
            .Where(t => t is not null)!;
}
