using System.Text.RegularExpressions;

namespace Stakker.Tests;

/// <summary>The folders of src/Stakker use each other only as docs/architecture.md says: no cycles</summary>
/// <remarks>Reads the sources: a type counts as used by a folder when its name appears in code (not
/// comments or strings) of a file there. A type declared in several folders (a partial type extended
/// by a higher layer, as the cross-Core parts of the call shapes are) belongs to the folder holding
/// the file named after it.</remarks>
public partial class FolderLayeringTests
{
    /// <summary>What each folder may use, besides the Core facade at the root</summary>
    static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Internal"] = [],
        ["Calls"] = ["Internal"],
        ["Returns"] = ["Calls", "Internal"],
        ["Timers"] = ["Calls", "Internal"],
        ["Actors"] = ["Calls", "Returns", "Timers", "Internal"],
        ["Sharing"] = ["Actors", "Internal"],
        ["Threads"] = ["Actors", "Calls", "Returns", "Internal"],
        ["Async"] = ["Actors", "Calls", "Returns", "Timers", "Threads", "Internal"],
        ["CrossCore"] = ["Actors", "Calls", "Returns", "Threads", "Internal"],
        ["Diagnostics"] = ["Actors", "Calls", "Returns", "Internal"],
        ["Drivers"] = ["Actors", "Calls", "Returns", "Timers", "Threads", "Async", "CrossCore", "Internal"],
    };

    [Fact]
    public void EachFolder_UsesOnlyTheFoldersBelowIt()
    {
        string src = Path.Combine(RepoRoot(), "src", "Stakker");
        string[] folders = Directory.GetDirectories(src).Select(d => Path.GetFileName(d)).Where(d => d is not ("bin" or "obj")).ToArray();
        Assert.Equal(Allowed.Keys.Order(), folders.Order());

        // Which folder owns each type name.
        var declared = new Dictionary<string, HashSet<string>>();
        foreach (string folder in folders)
            foreach (string file in Directory.GetFiles(Path.Combine(src, folder), "*.cs"))
                foreach (Match m in Declaration().Matches(File.ReadAllText(file)))
                {
                    string name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                    (declared.TryGetValue(name, out var set) ? set : declared[name] = []).Add(folder);
                }
        var owner = new Dictionary<string, string>();
        foreach (var (type, inFolders) in declared)
        {
            var named = inFolders.Where(f => File.Exists(Path.Combine(src, f, type + ".cs"))).ToArray();
            if (inFolders.Count == 1) owner[type] = inFolders.First();
            else if (named.Length == 1) owner[type] = named[0];
        }

        var wrong = new List<string>();
        foreach (string folder in folders)
            foreach (string file in Directory.GetFiles(Path.Combine(src, folder), "*.cs"))
            {
                string code = Strings().Replace(Comments().Replace(File.ReadAllText(file), ""), "\"\"");
                foreach (Match word in Identifier().Matches(code))
                    if (owner.TryGetValue(word.Value, out string? used) && used != folder && !Allowed[folder].Contains(used))
                        wrong.Add($"{folder}/{Path.GetFileName(file)} uses {used}/{word.Value}");
            }
        Assert.True(wrong.Count == 0, "Folders used against the layering of docs/architecture.md:\n" + string.Join("\n", wrong.Distinct()));
    }

    [Fact]
    public void TheLayering_HasNoCycle()
    {
        // Depth-first over the allowed uses: a folder met again on the current path is a cycle.
        var state = new Dictionary<string, int>();
        bool Cyclic(string f)
        {
            if (state.TryGetValue(f, out int s)) return s == 1;
            state[f] = 1;
            bool found = Allowed[f].Any(Cyclic);
            state[f] = 2;
            return found;
        }
        Assert.DoesNotContain(Allowed.Keys, Cyclic);
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Stakker.slnx"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (with Stakker.slnx) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record)\s+([A-Z]\w*)|\bdelegate\s+[\w<>?,\s\[\]]+?\s([A-Z]\w*)\s*[<(]")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"@?""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();
}
