using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Stakker.Analyzers.Tests;

/// <summary>What test compilations reference: the net10.0 reference assemblies and Stakker itself</summary>
/// <remarks>The reference assemblies come from a NuGet package restored with the project
/// (Basic.Reference.Assemblies.Net100), so the tests download nothing when they run. The testing
/// library's own ReferenceAssemblies would fetch a targeting pack from a feed instead; it is given an
/// empty set here.</remarks>
internal static class TestReferences
{
    /// <summary>No package to resolve: every reference is added explicitly</summary>
    public static readonly ReferenceAssemblies None = new("net10.0");

    public static readonly MetadataReference Stakker = MetadataReference.CreateFromFile(typeof(global::Stakker.Core).Assembly.Location);

    public static IEnumerable<MetadataReference> All => Basic.Reference.Assemblies.Net100.References.All.Append(Stakker);

    /// <summary>Usings every test source starts with, as a project with implicit usings would have</summary>
    public const string Usings = "using System; using System.Collections.Generic; using System.IO; using System.Threading; using System.Threading.Tasks; using Stakker;\n";
}
