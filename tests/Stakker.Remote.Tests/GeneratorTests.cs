using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Stakker.Remote.Generators;

namespace Stakker.Remote.Tests;

/// <summary>The generator refuses interfaces whose calls could not cross safely, at compile time</summary>
public sealed class GeneratorTests
{
    static (Diagnostic[] Diagnostics, string[] Sources) Run(string code)
    {
        var refs = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .Select(a => MetadataReference.CreateFromFile(a.Location))
            .Append(MetadataReference.CreateFromFile(typeof(RemoteActorAttribute).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Ret).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(MemoryPack.MemoryPackableAttribute).Assembly.Location));
        var compilation = CSharpCompilation.Create("t", [CSharpSyntaxTree.ParseText(code)], refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new RemoteActorGenerator());
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out var diagnostics);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        return (diagnostics.Concat(errors).ToArray(), driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()).ToArray());
    }

    [Fact]
    public void ValidInterface_GeneratesCodeThatCompiles()
    {
        var (diagnostics, sources) = Run("""
            using Stakker; using Stakker.Remote;
            namespace N;
            [RemoteActor] public interface IShop { void Buy(string item, int count, Ret<decimal> price); void Watch(Fwd<string> news); void Ping(); }
            """);
        Assert.Empty(diagnostics);
        string source = Assert.Single(sources);
        Assert.Contains("public static class ShopRemote", source, StringComparison.Ordinal);
        Assert.Contains($"0x{RemoteActorGenerator.MethodId("Buy"):x8}u", source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("int Get();", "STKR002")]
    [InlineData("void A(int a, int b, int c, int d, int e);", "STKR002")]
    [InlineData("void A(ref int a);", "STKR002")]
    [InlineData("void A(int a); void A(string b);", "STKR003")]
    [InlineData("void A(Node n);", "STKR005")]
    [InlineData("void A(Plain p);", "STKR005")]
    [InlineData("void A(object o);", "STKR005")]
    [InlineData("void A(Ret<List<Node>> r);", "STKR005")]
    [InlineData("int Count { get; }", "STKR002")]
    public void UnsafeShapes_AreCompileErrors(string member, string id)
    {
        var (diagnostics, _) = Run($$"""
            using System.Collections.Generic; using MemoryPack; using Stakker; using Stakker.Remote;
            namespace N;
            [MemoryPackable] public partial class Node { public int Value { get; set; } public Node? Next { get; set; } }
            public class Plain { public int X; }
            [RemoteActor] public interface IBad { {{member}} }
            """);
        Assert.Contains(diagnostics, d => d.Id == id);
    }
}
