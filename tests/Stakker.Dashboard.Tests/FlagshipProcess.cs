using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Stakker.Dashboard.Tests;

/// <summary>The flagship (Stakker.Redis.dll, copied next to the tests) as its own process, with its dashboard</summary>
sealed partial class FlagshipProcess : IDisposable
{
    readonly Process _process;
    public readonly int Port;
    public readonly Uri Dashboard;

    public FlagshipProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Stakker.Redis.dll"));
        foreach (string a in (string[])["--port", "0", "--dashboard", "0", .. args]) start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        Uri? dashboard = null;
        int port = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (port == 0)
        {
            Task<string?> line = _process.StandardOutput.ReadLineAsync();
            if (!line.Wait(deadline - DateTime.UtcNow) || line.Result is not { } text)
                throw new TimeoutException("The flagship did not say it was ready.");
            if (DashboardLine().Match(text) is { Success: true } d) dashboard = new Uri(d.Groups[1].Value);
            if (ReadyLine().Match(text) is { Success: true } r) port = int.Parse(r.Groups[1].Value);
        }
        Port = port;
        Dashboard = dashboard ?? throw new InvalidOperationException("The flagship did not print its dashboard's address.");
    }

    [GeneratedRegex(@"dashboard on (http://\S+)")]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"ready on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ReadyLine();

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
