using System.Text.RegularExpressions;

namespace Stakker.Packaging.Tests;

/// <summary>The getting-started example of a package README: its C# program and the output it promises</summary>
internal sealed partial record Readme(string Program, string[] ExpectedOutput)
{
    /// <summary>The first <c>csharp</c> block after "## Getting started" and the first <c>text</c> block after that</summary>
    internal static Readme GettingStarted(string path)
    {
        string text = File.ReadAllText(path).ReplaceLineEndings("\n");
        int section = text.IndexOf("## Getting started", StringComparison.Ordinal);
        if (section < 0) throw new InvalidOperationException($"{path} has no '## Getting started' section.");
        Match code = CSharpBlock().Match(text, section);
        if (!code.Success) throw new InvalidOperationException($"{path}: no ```csharp block in Getting started.");
        Match output = TextBlock().Match(text, code.Index + code.Length);
        if (!output.Success) throw new InvalidOperationException($"{path}: no ```text block with the expected output after the example.");
        string[] lines = output.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new Readme(code.Groups[1].Value, lines);
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"```text\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex TextBlock();
}
