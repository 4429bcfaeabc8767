using System.Text;
using System.Text.RegularExpressions;

namespace Stakker.Docs.Tests;

/// <summary>
/// The two sides that must agree: the ```csharp blocks of the Markdown pages and the regions of this
/// project's .cs files that hold the same code compiled.
/// </summary>
static partial class DocSources
{
    /// <summary>Pages whose every C# block is compiled here; a block in them without a marker fails.</summary>
    public static readonly string[] CompiledPages =
    [
        "docs/README.md",
        "docs/getting-started.md",
        "docs/concepts.md",
        "docs/cookbook.md",
        "docs/migrating-from-akka.md",
        "docs/async.md",
        "docs/testing.md",
    ];

    public static string RepoRoot { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Stakker.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("Stakker.slnx not found above " + AppContext.BaseDirectory);
    }

    public sealed record Region(string Name, string File, int Line, string Text);

    public sealed record Block(string Page, int Line, string? Marker, string Text);

    [GeneratedRegex(@"^\s*#region doc:(?<name>[\w.-]+)\s*$")]
    private static partial Regex RegionStart();

    [GeneratedRegex(@"^\s*#endregion\b")]
    private static partial Regex RegionEnd();

    [GeneratedRegex(@"^<!--\s*(?<kind>doc|quoted|same):\s*(?<value>.+?)\s*-->$")]
    private static partial Regex Marker();

    /// <summary>Every "#region doc:NAME" of the tests' sources, dedented as a page shows it.</summary>
    /// <remarks>Most live in this project; a page's worked example may stay in the test project it
    /// belongs to (the simulator's in Stakker.Testing.Tests) and be marked there.</remarks>
    public static IReadOnlyList<Region> Regions()
    {
        string dir = Path.Combine(RepoRoot, "tests");
        var regions = new List<Region>();
        foreach (string file in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") ||
                file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                continue;
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                Match m = RegionStart().Match(lines[i]);
                if (!m.Success) continue;
                int end = i + 1;
                while (end < lines.Length && !RegionEnd().IsMatch(lines[end]))
                {
                    if (RegionStart().IsMatch(lines[end]))
                        throw new InvalidOperationException($"{file}:{end + 1}: doc regions do not nest");
                    end++;
                }
                if (end == lines.Length)
                    throw new InvalidOperationException($"{file}:{i + 1}: region {m.Groups["name"].Value} has no #endregion");
                regions.Add(new Region(m.Groups["name"].Value, Path.GetRelativePath(RepoRoot, file), i + 1,
                    Dedent(lines.AsSpan(i + 1, end - i - 1))));
                i = end;
            }
        }
        return regions;
    }

    /// <summary>The ```csharp blocks of a page, each with the marker comment on the line above it, if any.</summary>
    public static IReadOnlyList<Block> Blocks(string page)
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepoRoot, page));
        var blocks = new List<Block>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp") continue;
            int end = i + 1;
            while (end < lines.Length && lines[end].Trim() != "```") end++;
            string? marker = null;
            int above = i - 1;
            while (above >= 0 && lines[above].Trim().Length == 0) above--;
            if (above >= 0 && Marker().Match(lines[above].Trim()) is { Success: true } m)
                marker = m.Groups["kind"].Value + ":" + m.Groups["value"].Value;
            blocks.Add(new Block(page, i + 1, marker, string.Join('\n', lines[(i + 1)..end])));
            i = end;
        }
        return blocks;
    }

    static string Dedent(ReadOnlySpan<string> lines)
    {
        int indent = int.MaxValue;
        foreach (string line in lines)
            if (line.Trim().Length > 0)
                indent = Math.Min(indent, line.Length - line.TrimStart(' ').Length);
        var sb = new StringBuilder();
        foreach (string line in lines)
        {
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(line.Trim().Length == 0 ? "" : line[indent..].TrimEnd());
        }
        return sb.ToString();
    }
}
