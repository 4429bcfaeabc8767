using System.Xml.Linq;

namespace Stakker.Packaging.Tests;

/// <summary>The libraries packed once into a local folder, with a version no cache can already hold</summary>
/// <remarks>
/// Everything lives under one fresh temporary folder, deleted at the end: the packages, the build's
/// own bin/obj (UseArtifactsOutput, so the repository's are not touched while other tests run), the
/// consumer projects and their NuGet package cache (NUGET_PACKAGES), so no Stakker package ever
/// lands in the user's cache. Dependencies from nuget.org are read from the user's cache as a
/// fallback folder when they are there, else downloaded into the private one.
/// </remarks>
public sealed class PackedFeed : IAsyncLifetime
{
    /// <summary>The one collection of the tests that share the packed folder: packing runs once</summary>
    internal const string Collection = "packed feed";

    internal static readonly string[] Libraries = ["Stakker", "Stakker.IO", "Stakker.Hosting", "Stakker.Testing", "Stakker.Remote"];
    internal static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);

    internal string RepoRoot { get; } = FindRepoRoot();
    internal string Root { get; } = Directory.CreateTempSubdirectory("stakker-packaging-").FullName;
    internal string Feed => Path.Combine(Root, "feed");
    internal string Version { get; private set; } = "";
    internal TimeSpan PackTook { get; private set; }
    internal Dictionary<string, string> ConsumerEnvironment { get; } = [];
    internal string UserPackages { get; } = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
        ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The version prefix from the one place it is set</summary>
    internal string VersionPrefix => XDocument.Load(Path.Combine(RepoRoot, "Directory.Build.props"))
        .Descendants("VersionPrefix").Single().Value;

    public async Task InitializeAsync()
    {
        Version = $"{VersionPrefix}-pkgtest.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        string solution = Path.Combine(Root, "packages.slnx");
        File.WriteAllText(solution, new XElement("Solution",
            Libraries.Select(l => new XElement("Project", new XAttribute("Path", Path.Combine(RepoRoot, "src", l, l + ".csproj"))))).ToString());
        DotnetCli.Result r = await DotnetCli.Ok(Root, new Dictionary<string, string>(), StepTimeout,
            "pack", solution, "-c", "Release", "-o", Feed,
            "-p:VersionSuffix=" + Version[(VersionPrefix.Length + 1)..],
            "-p:ContinuousIntegrationBuild=true",
            "-p:UseArtifactsOutput=true", "-p:ArtifactsPath=" + Path.Combine(Root, "artifacts"),
            "-nodeReuse:false");
        PackTook = r.Took;
        ConsumerEnvironment["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-packages");
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }   // a file still held open: the temporary folder is the system's to clean
        return Task.CompletedTask;
    }

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stakker.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("Stakker.slnx not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(PackedFeed.Collection)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>;
