using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Stakker.Remote.Generators;

/// <summary>For each interface marked [RemoteActor], emits <c>NameRemote</c>: a proxy that sends its
/// calls and a dispatcher that makes them on an actor (docs/decisions/082-remote-interfaces.md)</summary>
[Generator(LanguageNames.CSharp)]
public sealed class RemoteActorGenerator : IIncrementalGenerator
{
    const string AttributeName = "Stakker.Remote.RemoteActorAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<Generated> results = context.SyntaxProvider.ForAttributeWithMetadataName(
            AttributeName,
            static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.InterfaceDeclarationSyntax,
            static (ctx, _) => Build((INamedTypeSymbol)ctx.TargetSymbol));
        context.RegisterSourceOutput(results, static (spc, g) =>
        {
            foreach (Diagnostic d in g.Diagnostics) spc.ReportDiagnostic(d);
            if (g.Source is not null) spc.AddSource(g.HintName, SourceText.From(g.Source, Encoding.UTF8));
        });
    }

    static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    internal static Generated Build(INamedTypeSymbol iface)
    {
        var diagnostics = new List<Diagnostic>();
        Location where = iface.Locations.FirstOrDefault() ?? Location.None;
        if (iface.ContainingType is not null || iface.IsGenericType)
        {
            diagnostics.Add(Diagnostic.Create(Rules.InterfaceShape, where, iface.Name));
            return new Generated(iface.Name + ".Remote.g.cs", null, diagnostics);
        }

        var methods = new List<MethodModel>();
        var ids = new Dictionary<uint, string>();
        var names = new HashSet<string>();
        foreach (ISymbol member in iface.GetMembers())
        {
            if (member.IsStatic) continue;
            if (member is not IMethodSymbol m || m.MethodKind != MethodKind.Ordinary)
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove }) continue;
                diagnostics.Add(Diagnostic.Create(Rules.MethodShape, member.Locations.FirstOrDefault() ?? where, member.Name, "only methods cross the wire (no properties or events)"));
                continue;
            }
            Location at = m.Locations.FirstOrDefault() ?? where;
            if (!m.ReturnsVoid) { diagnostics.Add(Diagnostic.Create(Rules.MethodShape, at, m.Name, "it must return void (answers come back through a Ret<T>)")); continue; }
            if (m.IsGenericMethod) { diagnostics.Add(Diagnostic.Create(Rules.MethodShape, at, m.Name, "it must not be generic")); continue; }
            if (m.Parameters.Length > 4) { diagnostics.Add(Diagnostic.Create(Rules.MethodShape, at, m.Name, "it takes at most four parameters (group more into one [MemoryPackable] type)")); continue; }
            if (!names.Add(m.Name)) { diagnostics.Add(Diagnostic.Create(Rules.Overload, at, m.Name)); continue; }
            uint id = MethodId(m.Name);
            if (ids.TryGetValue(id, out string? other)) { diagnostics.Add(Diagnostic.Create(Rules.IdCollision, at, m.Name, other)); continue; }
            ids.Add(id, m.Name);

            var ps = new List<ParamModel>();
            bool ok = true;
            foreach (IParameterSymbol p in m.Parameters)
            {
                if (p.RefKind != RefKind.None || p.IsParams)
                {
                    diagnostics.Add(Diagnostic.Create(Rules.MethodShape, at, m.Name, $"parameter '{p.Name}' must be passed by value"));
                    ok = false;
                    continue;
                }
                ParamKind kind = KindOf(p.Type, out ITypeSymbol valueType);
                string? problem = new SerialisableCheck().Problem(valueType);
                if (problem is not null)
                {
                    diagnostics.Add(Diagnostic.Create(Rules.ArgumentType, p.Locations.FirstOrDefault() ?? at, p.Name, m.Name, problem));
                    ok = false;
                    continue;
                }
                ps.Add(new ParamModel(p.Name, p.Type.ToDisplayString(TypeFormat), valueType.ToDisplayString(TypeFormat), kind, DefaultOf(p)));
            }
            if (ok) methods.Add(new MethodModel(m.Name, id, ps));
        }

        string ns = iface.ContainingNamespace.IsGlobalNamespace ? "" : iface.ContainingNamespace.ToDisplayString();
        string className = ClassName(iface.Name);
        string source = Emit.Source(ns, className, iface.ToDisplayString(TypeFormat), iface.ToDisplayString(), iface.DeclaredAccessibility == Accessibility.Public, methods);
        return new Generated((ns.Length > 0 ? ns + "." : "") + className + ".g.cs", source, diagnostics);
    }

    /// <summary>ICounter gives CounterRemote; Counter gives CounterRemote too</summary>
    static string ClassName(string name) =>
        (name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]) ? name.Substring(1) : name) + "Remote";

    /// <summary>A method's wire id: FNV-1a of its UTF-8 name, so ids survive reordering and additions</summary>
    internal static uint MethodId(string name)
    {
        uint h = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(name))
        {
            h ^= b;
            h *= 16777619;
        }
        return h;
    }

    static ParamKind KindOf(ITypeSymbol type, out ITypeSymbol valueType)
    {
        valueType = type;
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.ContainingNamespace?.ToDisplayString() == "Stakker")
        {
            if (named.Name == "Ret") { valueType = named.TypeArguments[0]; return ParamKind.Ret; }
            if (named.Name == "Fwd") { valueType = named.TypeArguments[0]; return ParamKind.Fwd; }
        }
        return ParamKind.Value;
    }

    static string? DefaultOf(IParameterSymbol p)
    {
        if (!p.HasExplicitDefaultValue) return null;
        string type = p.Type.ToDisplayString(TypeFormat);
        object? v = p.ExplicitDefaultValue;
        if (v is null) return $"default({type})!";
        string literal = v switch
        {
            string s => SymbolDisplay.FormatLiteral(s, quote: true),
            char c => SymbolDisplay.FormatLiteral(c, quote: true),
            bool b => b ? "true" : "false",
            float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f",
            double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "d",
            decimal m => m.ToString(System.Globalization.CultureInfo.InvariantCulture) + "m",
            _ => System.Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "0",
        };
        return $"({type})({literal})";
    }
}

internal enum ParamKind { Value, Ret, Fwd }

internal sealed record ParamModel(string Name, string Type, string ValueType, ParamKind Kind, string? Default);

internal sealed record MethodModel(string Name, uint Id, List<ParamModel> Params);

internal sealed class Generated
{
    public Generated(string hintName, string? source, List<Diagnostic> diagnostics)
    {
        HintName = hintName;
        Source = source;
        Diagnostics = diagnostics.ToImmutableArray();
    }

    public string HintName { get; }
    public string? Source { get; }
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    // Incremental caching: equal output and equal diagnostics need no new pass.
    public override bool Equals(object? obj) =>
        obj is Generated g && g.HintName == HintName && g.Source == Source
        && g.Diagnostics.Select(d => d.ToString()).SequenceEqual(Diagnostics.Select(d => d.ToString()));

    public override int GetHashCode() => (Source ?? HintName).GetHashCode();
}
