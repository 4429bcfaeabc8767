using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Stakker.Hosting;

namespace Stakker.Dashboard.Tests;

/// <summary>A Core on its own thread with diagnostics and a dashboard on a free port, and a raw HTTP client for it</summary>
sealed class DashboardServer : IAsyncDisposable
{
    public readonly StakkerDiagnostics Diagnostics = new();
    public readonly CoreThread Thread;
    public readonly StakkerDashboard Dashboard;

    public DashboardServer(DashboardOptions? options = null, Action<Core>? start = null)
    {
        var ready = new ManualResetEventSlim();
        Thread = new CoreThread(core =>
        {
            Diagnostics.Attach(core, "0");
            start?.Invoke(core);
            ready.Set();
        }, "dashboard test");
        Assert.True(ready.Wait(TimeSpan.FromSeconds(10)));
        options ??= new DashboardOptions();
        options.Port = 0;
        Dashboard = new StakkerDashboard(Diagnostics, options);
        Dashboard.Start();
    }

    public int Port => Dashboard.Port;

    /// <summary>Sends <paramref name="request"/> as it is and reads the whole answer (the server closes after each)</summary>
    public async Task<(int Status, string Head, string Body)> Send(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        NetworkStream s = client.GetStream();
        await s.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var all = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await s.CopyToAsync(all, timeout.Token);
        string text = Encoding.UTF8.GetString(all.ToArray());
        int split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, "an HTTP answer: " + text);
        string head = text[..split];
        return (int.Parse(head.Split(' ')[1]), head, text[(split + 4)..]);
    }

    public Task<(int Status, string Head, string Body)> Get(string path) =>
        Send($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{Port}\r\n\r\n");

    public async Task<JsonElement> GetJson(string path)
    {
        var (status, head, body) = await Get(path);
        Assert.Equal(200, status);
        Assert.Contains("Content-Type: application/json", head);
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Opens the live stream and returns the socket, after the answer's head</summary>
    public async Task<(TcpClient Client, StreamReader Reader)> OpenStream(int receiveBuffer = 0)
    {
        var client = new TcpClient();
        if (receiveBuffer > 0) client.ReceiveBufferSize = receiveBuffer;
        await client.ConnectAsync("127.0.0.1", Port);
        NetworkStream s = client.GetStream();
        await s.WriteAsync(Encoding.ASCII.GetBytes($"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:{Port}\r\n\r\n"));
        var reader = new StreamReader(s, Encoding.UTF8);
        if (receiveBuffer > 0) return (client, reader);
        Assert.Equal("HTTP/1.1 200 OK", await reader.ReadLineAsync());
        while (await reader.ReadLineAsync() is { Length: > 0 }) { }
        return (client, reader);
    }

    /// <summary>The next event's JSON on an open stream</summary>
    public static async Task<JsonElement> NextEvent(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal)) return JsonDocument.Parse(line[6..]).RootElement;
        }
        throw new EndOfStreamException("the stream ended");
    }

    /// <summary>Polls <paramref name="condition"/> (a state another thread changes) until it holds</summary>
    public static async Task Until(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Dashboard.DisposeAsync();
        Thread.Dispose();
        Diagnostics.Dispose();
    }
}
