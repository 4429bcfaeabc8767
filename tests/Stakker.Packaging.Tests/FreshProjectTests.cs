using Xunit.Abstractions;

namespace Stakker.Packaging.Tests;

/// <summary>A user's first minutes: a new console project, the packages from the local folder, the README's example</summary>
[Collection(PackedFeed.Collection)]
public class FreshProjectTests(PackedFeed feed, ITestOutputHelper output)
{
    [Fact]
    public async Task NewConsoleProject_WithStakkerFromTheFeed_RunsTheGettingStartedExample()
    {
        Readme readme = Readme.GettingStarted(Path.Combine(feed.RepoRoot, "src", "Stakker", "README.md"));
        string stdout = await BuildAndRun("Lights", readme.Program, ("Stakker", feed.Version));
        Assert.Equal(readme.ExpectedOutput, stdout.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task NewConsoleProject_WithStakkerHostingFromTheFeed_RunsTheHostingExample()
    {
        Readme readme = Readme.GettingStarted(Path.Combine(feed.RepoRoot, "src", "Stakker.Hosting", "README.md"));
        string stdout = await BuildAndRun("Countdown", readme.Program, ("Stakker.Hosting", feed.Version), ("Microsoft.Extensions.Hosting", "10.0.0"));
        // The host's own log lines come and go around the example's; its lines appear, in order.
        string[] lines = stdout.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(readme.ExpectedOutput, lines.Where(readme.ExpectedOutput.Contains).ToArray());
    }

    [Fact]
    public async Task NewConsoleProject_WithStakkerFromTheFeed_GetsTheAnalyzers_ADiscardedOwnerIsReported()
    {
        const string program = """
            using Stakker;

            var core = new Core(Instant.Zero);
            core.Spawn<Lamp>(static cx => new Lamp(), Ret.Nop<StopCause>());   // STK0003: the owner is dropped
            core.Run(core.Now, false);
            Console.WriteLine("built");

            sealed class Lamp;
            """;
        string build = await Build("Analyzed", program, ("Stakker", feed.Version));
        Assert.Contains("STK0003", build);
        Assert.Contains("Program.cs(4,", build);
    }

    async Task<string> BuildAndRun(string name, string program, params (string Id, string Version)[] packages)
    {
        string dir = Path.Combine(feed.Root, name);
        await SetupAndBuild(dir, name, program, packages);
        DotnetCli.Result run = await DotnetCli.Ok(dir, feed.ConsumerEnvironment, TimeSpan.FromMinutes(1), Path.Combine(dir, "bin", "Release", "net10.0", name + ".dll"));
        Log("run", run.Took);
        Assert.True(File.Exists(Path.Combine(feed.ConsumerEnvironment["NUGET_PACKAGES"], "stakker", feed.Version, $"stakker.{feed.Version}.nupkg")),
            "the package was restored from the local folder into the private cache");
        return run.Output;
    }

    /// <summary>Builds the new project and returns the build's output (its warnings)</summary>
    async Task<string> Build(string name, string program, params (string Id, string Version)[] packages) =>
        (await SetupAndBuild(Path.Combine(feed.Root, name), name, program, packages)).Output;

    async Task<DotnetCli.Result> SetupAndBuild(string dir, string name, string program, (string Id, string Version)[] packages)
    {
        Directory.CreateDirectory(dir);
        // The local folder is added to the user's sources; nuget.org stays for the dependencies.
        File.WriteAllText(Path.Combine(dir, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="stakker-local" value="{feed.Feed}" />
              </packageSources>
            </configuration>
            """);
        var env = feed.ConsumerEnvironment;
        var timeout = PackedFeed.StepTimeout;
        Log("pack (shared by the class)", feed.PackTook);
        Log("dotnet new console", (await DotnetCli.Ok(dir, env, timeout, "new", "console", "--no-restore", "-n", name, "-o", ".")).Took);
        foreach ((string id, string version) in packages)
            Log("dotnet add package " + id, (await DotnetCli.Ok(dir, env, timeout, "add", "package", id, "--version", version, "--no-restore")).Took);
        File.WriteAllText(Path.Combine(dir, "Program.cs"), program);
        DotnetCli.Result build = await DotnetCli.Ok(dir, env, timeout, "build", "-c", "Release", "-nodeReuse:false",
            "-p:RestoreAdditionalProjectFallbackFolders=" + feed.UserPackages);
        Log("dotnet build", build.Took);
        return build;
    }

    void Log(string step, TimeSpan took) => output.WriteLine($"{step}: {took.TotalSeconds:F1} s");
}
