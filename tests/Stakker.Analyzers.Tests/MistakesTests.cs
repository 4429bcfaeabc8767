using System.Text.RegularExpressions;

namespace Stakker.Analyzers.Tests;

/// <summary>A file of deliberate mistakes, compiled with every shipped analyzer, yields exactly the
/// diagnostics its "// expect:" comments name, on those lines</summary>
public partial class MistakesTests
{
    [GeneratedRegex(@"//\s*expect:\s*(?<ids>(STK\d{4}\s*)+)")]
    private static partial Regex Expect();

    static string Read(string name)
    {
        using var stream = typeof(MistakesTests).Assembly.GetManifestResourceStream("Mistakes/" + name)
            ?? throw new InvalidOperationException("missing embedded resource Mistakes/" + name);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task ChatRoom_YieldsExactlyTheExpectedDiagnostics()
    {
        string source = Read("ChatRoom.cs");
        var expected = new List<string>();
        string[] lines = source.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var m = Expect().Match(lines[i]);
            if (!m.Success) continue;
            foreach (var id in m.Groups["ids"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                expected.Add($"{i + 1}: {id}");
        }

        var diagnostics = await AnalyzerRun.Diagnostics(source, "ChatRoom.cs");
        var actual = diagnostics.Where(d => d.Id.StartsWith("STK", StringComparison.Ordinal) || d.Id.StartsWith("AD", StringComparison.Ordinal))
            .Select(d => $"{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id}")
            .ToList();

        expected.Sort(StringComparer.Ordinal);
        actual.Sort(StringComparer.Ordinal);
        Assert.True(expected.Count >= 8, "the file should hold at least one mistake per rule");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void EveryRule_HasAMistakeInTheFile()
    {
        string source = Read("ChatRoom.cs");
        foreach (var rule in AnalyzerRun.All.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct())
            Assert.Contains("expect: " + rule, source);
    }
}
