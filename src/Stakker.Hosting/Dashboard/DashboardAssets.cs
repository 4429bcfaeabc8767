using System.Collections.Frozen;

namespace Stakker.Hosting.Dashboard;

/// <summary>The page's files, embedded in the assembly (hand-written, nothing fetched at build or run time)</summary>
internal static class DashboardAssets
{
    static readonly FrozenDictionary<string, (string ContentType, byte[] Body)> Files = Load();

    static FrozenDictionary<string, (string, byte[])> Load()
    {
        var files = new Dictionary<string, (string, byte[])>();
        Add(files, "/", "index.html", "text/html; charset=utf-8");
        Add(files, "/dashboard.css", "dashboard.css", "text/css; charset=utf-8");
        Add(files, "/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8");
        return files.ToFrozenDictionary();
    }

    static void Add(Dictionary<string, (string, byte[])> files, string path, string name, string contentType)
    {
        using Stream s = typeof(DashboardAssets).Assembly.GetManifestResourceStream("Stakker.Hosting.Dashboard." + name)
            ?? throw new InvalidOperationException($"The dashboard's {name} is not embedded.");
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        files[path] = (contentType, copy.ToArray());
    }

    internal static bool TryGet(string path, out string contentType, out byte[] body)
    {
        if (Files.TryGetValue(path == "/index.html" ? "/" : path, out var file))
        {
            (contentType, body) = file;
            return true;
        }
        contentType = "";
        body = [];
        return false;
    }
}
