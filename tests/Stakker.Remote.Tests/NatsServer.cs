using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stakker.Remote.Tests;

/// <summary>A real nats-server process on a free loopback port, killed on dispose</summary>
/// <remarks>A missing nats-server fails the test (install the Debian package nats-server; .ci/run does).</remarks>
public sealed class NatsServer : IDisposable
{
    readonly Process _process;

    NatsServer(Process process, int port, int clusterPort)
    {
        _process = process;
        Port = port;
        ClusterPort = clusterPort;
    }

    public int Port { get; }
    public int ClusterPort { get; }
    public string Url => $"nats://127.0.0.1:{Port}";

    public static string Binary
    {
        get
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin"))
            {
                string path = Path.Combine(dir, "nats-server");
                if (File.Exists(path)) return path;
            }
            throw new InvalidOperationException("nats-server is not installed (Debian package nats-server); the remote tests need a real server.");
        }
    }

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public static Task<NatsServer> StartAsync() => StartAsync(FreePort(), 0, null);

    /// <summary>Three servers joined in one cluster by routes</summary>
    public static async Task<NatsServer[]> StartClusterAsync()
    {
        int[] cports = [FreePort(), FreePort(), FreePort()];
        string routes = string.Join(",", cports.Select(p => $"nats://127.0.0.1:{p}"));
        var servers = await Task.WhenAll(cports.Select(cp => StartAsync(FreePort(), cp, routes)));
        return servers;
    }

    static async Task<NatsServer> StartAsync(int port, int clusterPort, string? routes)
    {
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-a", "127.0.0.1", "-p", port.ToString() }) psi.ArgumentList.Add(a);
        if (clusterPort != 0)
            foreach (string a in new[] { "--cluster_name", "stk", "--cluster", $"nats://127.0.0.1:{clusterPort}", "--routes", routes! })
                psi.ArgumentList.Add(a);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Server is ready", StringComparison.Ordinal) == true) ready.TrySetResult();
        };
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"nats-server on port {port} exited with {process.ExitCode}"));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(15));
        return new NatsServer(process, port, clusterPort);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
