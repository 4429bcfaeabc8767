using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Stakker.Redis.Tests;

/// <summary>The built server (Stakker.Redis.dll, copied next to the tests) as its own process, as a user runs it</summary>
public sealed partial class ServerProcess : IDisposable
{
    public readonly Process Process;
    public readonly int Port;

    /// <summary>The line the server printed when it was ready (its port and Core threads)</summary>
    public readonly string Ready;

    public ServerProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Stakker.Redis.dll"));
        foreach (string a in (string[])["--port", "0", .. args]) start.ArgumentList.Add(a);
        Process = Process.Start(start)!;
        Task<string?> line = Process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(20)) || line.Result is not { } ready || ReadyLine().Match(ready) is not { Success: true } m)
            throw new TimeoutException("The server did not say it was ready within 20 s: " + (line.IsCompleted ? line.Result : "(nothing)"));
        Port = int.Parse(m.Groups[1].Value);
        Ready = ready;
    }

    [GeneratedRegex(@"ready on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ReadyLine();

    /// <summary>Resident memory of the process, from /proc (Linux)</summary>
    public long RssBytes()
    {
        string status = File.ReadAllText($"/proc/{Process.Id}/status");
        Match m = Regex.Match(status, @"VmRSS:\s+(\d+) kB");
        return long.Parse(m.Groups[1].Value) * 1024;
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill();
        Process.WaitForExit(10_000);
        Process.Dispose();
    }
}

// The server as a separate process: how it ends on a signal, and what it gives back to the system.
public sealed class ServerProcessTests
{
    [Fact]
    public void SigTerm_StopsTheServer_WithExitStatus0()
    {
        if (OperatingSystem.IsWindows()) return;   // no POSIX signals there
        using var server = new ServerProcess();
        using (var c = new RawClient(server.Port)) Assert.Equal("+PONG", c.Call("PING"));
        using (var kill = Process.Start("kill", ["-TERM", server.Process.Id.ToString()]))
        {
            Assert.True(kill.WaitForExit(10_000));
            Assert.Equal(0, kill.ExitCode);
        }
        Assert.True(server.Process.WaitForExit(10_000), "still running 10 s after SIGTERM");
        Assert.Equal(0, server.Process.ExitCode);
    }

    [Fact]
    public void FlushAllOfAMillionKeys_GivesTheMemoryBack()
    {
        if (!OperatingSystem.IsLinux()) return;   // reads /proc
        using var server = new ServerProcess();
        using var c = new RawClient(server.Port, timeoutMs: 60_000);
        for (int batch = 0; batch < 10; batch++)
        {
            var mset = new List<byte[]>(200_001) { "MSET"u8.ToArray() };
            for (int i = 0; i < 100_000; i++)
            {
                mset.Add(Encoding.ASCII.GetBytes("key:" + (batch * 100_000 + i)));
                mset.Add(Encoding.ASCII.GetBytes("value" + i));
            }
            c.Send(RawClient.Frame(mset));
            Assert.Equal("+OK", c.ReadReply());
        }
        Assert.Equal(":1000000", c.Call("DBSIZE"));
        long full = server.RssBytes();
        Assert.Equal("+OK", c.Call("FLUSHALL"));
        Assert.Equal(":0", c.Call("DBSIZE"));
        // The memory goes back shortly after the reply (the collection runs on the next turn).
        var deadline = Stopwatch.StartNew();
        long rss;
        while ((rss = server.RssBytes()) > full * 0.4 && deadline.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(50);
        Assert.True(rss <= full * 0.4, $"resident memory {rss >> 20} MB after FLUSHALL, {full >> 20} MB with a million keys");
        Assert.Equal("+PONG", c.Call("PING"));
    }
}
