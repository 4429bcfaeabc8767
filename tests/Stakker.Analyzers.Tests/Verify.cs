using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Stakker.Analyzers.Tests;

/// <summary>Runs one analyzer over a source whose expected diagnostics are marked inline</summary>
/// <remarks>Marks are the testing library's: <c>{|STK0001:text|}</c> expects that id on exactly that
/// text, and the run fails on any diagnostic not marked, or any compiler error.</remarks>
internal static class Verify<TAnalyzer> where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task Analyzer(string source)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = TestReferences.Usings + source };
        Configure(test);
        return test.RunAsync();
    }

    public static Task CodeFix<TFix>(string source, string fixedSource) where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
        {
            TestCode = TestReferences.Usings + source,
            FixedCode = TestReferences.Usings + fixedSource,
        };
        Configure(test);
        return test.RunAsync();
    }

    static void Configure<TVerifier>(AnalyzerTest<TVerifier> test) where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = TestReferences.None;
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
    }
}
