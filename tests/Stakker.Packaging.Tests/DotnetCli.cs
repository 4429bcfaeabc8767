using System.Diagnostics;
using System.Text;

namespace Stakker.Packaging.Tests;

/// <summary>Runs the dotnet CLI as a user would, isolated from the test run's own build and bounded in time</summary>
internal static class DotnetCli
{
    /// <summary>The dotnet executable running these tests (the CLI sets DOTNET_HOST_PATH for its children)</summary>
    static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p && File.Exists(p) ? p : "dotnet";

    internal sealed record Result(int ExitCode, string Output, string Errors, TimeSpan Took);

    internal static async Task<Result> Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(Dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        // The test host runs under MSBuild's variables; a nested build must find its own SDK.
        foreach (string key in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // No build servers left behind: they would outlive the test and hold its output pipes open.
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["UseSharedCompilation"] = "false";
        foreach ((string key, string value) in environment) psi.Environment[key] = value;

        var output = new StringBuilder();
        var errors = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} took longer than {timeout}:\n{output}\n{errors}");
        }
        lock (output) lock (errors)
            return new Result(process.ExitCode, output.ToString(), errors.ToString(), clock.Elapsed);
    }

    /// <summary>Runs and throws (with the whole output) unless the command succeeded</summary>
    internal static async Task<Result> Ok(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        Result r = await Run(workingDirectory, environment, timeout, args);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} exited with {r.ExitCode}:\n{r.Output}\n{r.Errors}");
        return r;
    }
}
