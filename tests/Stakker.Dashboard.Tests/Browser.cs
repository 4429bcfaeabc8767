using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stakker.Dashboard.Tests;

/// <summary>Headless Chromium driven through the DevTools protocol over a WebSocket (decision 095)</summary>
sealed class Browser : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    readonly Process _process;
    readonly string _profile;
    readonly ClientWebSocket _socket = new();
    readonly Dictionary<int, TaskCompletionSource<JsonNode>> _pending = [];
    readonly Lock _sync = new();
    readonly CancellationTokenSource _stop = new();
    Task? _reading;
    int _next;

    Browser(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<Browser> Start(int width = 1400, int height = 1000)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: apt-get install chromium (.ci/run does)");
        string profile = Directory.CreateTempSubdirectory("stakker-chromium-").FullName;
        var start = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in (string[])["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-extensions", "--disable-background-networking", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                     $"--window-size={width},{height}", "about:blank"])
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var browser = new Browser(process, profile);
        try
        {
            // Chromium writes the port it picked to DevToolsActivePort in its profile.
            string portFile = Path.Combine(profile, "DevToolsActivePort");
            await DashboardServer.Until(() => File.Exists(portFile) && File.ReadAllLines(portFile).Length >= 2, "Chromium listens for DevTools");
            int port = int.Parse(File.ReadAllLines(portFile)[0]);
            using var http = new HttpClient();
            string? pageSocket = null;
            await DashboardServer.Until(() =>
            {
                JsonArray list;
                try { list = JsonNode.Parse(http.GetStringAsync($"http://127.0.0.1:{port}/json/list").Result)!.AsArray(); }
                catch (AggregateException) { return false; }   // not answering yet
                pageSocket = list.FirstOrDefault(t => (string?)t!["type"] == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
                return pageSocket is not null;
            }, "Chromium has a page");
            await browser._socket.ConnectAsync(new Uri(pageSocket!), CancellationToken.None);
            browser._reading = browser.ReadAsync();
            await browser.Call("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonNode> Call(string method, JsonObject? parameters = null)
    {
        int id = Interlocked.Increment(ref _next);
        var done = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync) _pending[id] = done;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        return await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult r = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) return;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                JsonNode node = JsonNode.Parse(message.ToArray())!;
                message.SetLength(0);
                if (node["id"] is not { } idNode) continue;   // an event: not listened to
                TaskCompletionSource<JsonNode>? done;
                lock (_sync) _pending.Remove(idNode.GetValue<int>(), out done);
                if (node["error"] is { } error) done?.TrySetException(new InvalidOperationException("DevTools: " + error.ToJsonString()));
                else done?.TrySetResult(node["result"]!);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }
    }

    public Task Navigate(Uri url) => Call("Page.navigate", new JsonObject { ["url"] = url.ToString() });

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value as JSON</summary>
    public async Task<JsonNode?> Eval(string expression)
    {
        JsonNode r = await Call("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (r["exceptionDetails"] is { } ex) throw new InvalidOperationException("page: " + ex.ToJsonString());
        return r["result"]?["value"];
    }

    public async Task<bool> Check(string expression) => (await Eval(expression))?.GetValue<bool>() == true;

    /// <summary>Polls <paramref name="expression"/> in the page until it is true</summary>
    public async Task Until(string expression, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await Check(expression))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting until " + what);
            await Task.Delay(100);
        }
    }

    public async Task Screenshot(string path)
    {
        JsonNode r = await Call("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(r["data"]!.GetValue<string>()));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { _socket.Abort(); } catch (ObjectDisposedException) { }
        if (_reading is not null) await _reading;
        _socket.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
