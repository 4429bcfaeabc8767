using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Stakker.Benchmarks;

/// <summary>Entry point</summary>
/// <remarks>
/// <c>--quick</c> [case filters...]: the in-process Stopwatch harness (about a minute), printing the
/// comparison table. <c>--footprint</c>: bytes retained per live actor only. Anything else goes to
/// BenchmarkDotNet's switcher, e.g. <c>--filter *PingPong* --job short</c>.
/// </remarks>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine(Machine.Describe());
        if (args.Contains("--quick")) return QuickRunner.Run([.. args.Where(a => a != "--quick")]);
        if (args.Contains("--footprint"))
        {
            FootprintRunner.Print(FootprintRunner.Run());
            return 0;
        }
        IConfig config = DefaultConfig.Instance;
        // Results go beside this project (bench/Stakker.Benchmarks/BenchmarkDotNet.Artifacts), not the
        // current directory, unless --artifacts says otherwise.
        if (!args.Contains("--artifacts") && ProjectDirectory() is { } dir)
            config = config.WithArtifactsPath(Path.Combine(dir, "BenchmarkDotNet.Artifacts"));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }

    static string? ProjectDirectory()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Stakker.Benchmarks.csproj"))) return d.FullName;
        return null;
    }
}
