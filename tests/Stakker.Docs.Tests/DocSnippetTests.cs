namespace Stakker.Docs.Tests;

/// <summary>The docs show exactly the code that compiles and runs here.</summary>
public class DocSnippetTests
{
    public static TheoryData<string> Pages() => new(DocSources.CompiledPages);

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryCSharpBlockIsACompiledRegionOrMarkedAsQuoted(string page)
    {
        var blocks = DocSources.Blocks(page);
        Assert.NotEmpty(blocks);
        var unmarked = blocks.Where(b => b.Marker is null).Select(b => $"{b.Page}:{b.Line}").ToList();
        Assert.True(unmarked.Count == 0,
            "```csharp blocks with no <!-- doc:NAME -->, <!-- same: FILE --> or <!-- quoted: SOURCE --> line above: " + string.Join(", ", unmarked));
    }

    [Fact]
    public void EveryMarkedBlockIsIdenticalToItsRegion()
    {
        var regions = DocSources.Regions();
        var duplicates = regions.GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "regions named twice: " + string.Join(", ", duplicates));
        var byName = regions.ToDictionary(r => r.Name);

        var problems = new List<string>();
        foreach (var block in AllMarkedBlocks())
        {
            if (!block.Marker!.StartsWith("doc:", StringComparison.Ordinal)) continue;
            string name = block.Marker["doc:".Length..];
            if (!byName.TryGetValue(name, out var region))
                problems.Add($"{block.Page}:{block.Line}: no region doc:{name} under tests/");
            else if (region.Text != block.Text)
                problems.Add($"{block.Page}:{block.Line} differs from {region.File}:{region.Line} ({name}) at line {FirstDifference(block.Text, region.Text)}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// A block marked "same: FILE" repeats a block of another page that a test already compiles and
    /// runs: the package READMEs' examples, which Stakker.Packaging.Tests builds against the packed
    /// packages in a fresh project.
    /// </summary>
    [Fact]
    public void EveryBlockMarkedSameIsInItsSource()
    {
        var problems = new List<string>();
        foreach (var block in AllMarkedBlocks())
        {
            if (!block.Marker!.StartsWith("same:", StringComparison.Ordinal)) continue;
            string source = block.Marker["same:".Length..];
            if (!File.Exists(Path.Combine(DocSources.RepoRoot, source)))
                problems.Add($"{block.Page}:{block.Line}: {source} does not exist");
            else if (!DocSources.Blocks(source).Any(b => b.Text == block.Text))
                problems.Add($"{block.Page}:{block.Line}: no identical ```csharp block in {source}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EveryRegionIsShownOnAPage()
    {
        var shown = AllMarkedBlocks().Select(b => b.Marker!).ToHashSet();
        var orphans = DocSources.Regions().Where(r => !shown.Contains("doc:" + r.Name))
            .Select(r => $"{r.Name} ({r.File}:{r.Line})").ToList();
        Assert.True(orphans.Count == 0, "regions no page shows: " + string.Join(", ", orphans));
    }

    [Fact]
    public void ADifferenceIsReportedAtItsLine()
    {
        Assert.Equal(2, FirstDifference("a\nb\nc", "a\nB\nc"));
        Assert.Equal(3, FirstDifference("a\nb", "a\nb\n"));
        Assert.Equal(0, FirstDifference("a\nb", "a\nb"));
    }

    static IEnumerable<DocSources.Block> AllMarkedBlocks() =>
        Directory.EnumerateFiles(Path.Combine(DocSources.RepoRoot, "docs"), "*.md", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(DocSources.RepoRoot, f).Replace('\\', '/'))
            .SelectMany(DocSources.Blocks)
            .Where(b => b.Marker is not null);

    static int FirstDifference(string a, string b)
    {
        string[] x = a.Split('\n'), y = b.Split('\n');
        for (int i = 0; i < Math.Max(x.Length, y.Length); i++)
            if (i >= x.Length || i >= y.Length || x[i] != y[i]) return i + 1;
        return 0;
    }
}
