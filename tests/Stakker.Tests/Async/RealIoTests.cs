using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stakker.Tests.Async;

public class RealIoTests
{
    sealed class Fetcher
    {
        public readonly List<string> Log = [];
        public int Pings;
        public string? Body;
        public Fetcher(Cx<Fetcher> cx) { }

        public void Fetch(Cx<Fetcher> cx, string url) =>
            _ = cx.StartAsync(async co =>
            {
                using var http = new HttpClient();
                co.State.Log.Add("request sent");
                // Real I/O on a BCL Task API: completes on a pool thread, resumes here as a call.
                string body = await http.GetStringAsync(url, co.Token);
                co.State.Log.Add($"response after {co.State.Pings} pings");
                co.State.Body = body;
            });

        public void Ping(Cx<Fetcher> cx) => Pings++;
    }

    [Fact]
    public void HttpClient_InCoroutine_ActorKeepsServingCallsWhileRequestIsInFlight()
    {
        int port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        using var release = new SemaphoreSlim(0);
        // The server holds its reply until the test says so, so the calls below really happen mid-request.
        var server = Task.Run(async () =>
        {
            HttpListenerContext ctx = await listener.GetContextAsync();
            await release.WaitAsync(TimeSpan.FromSeconds(30));
            byte[] reply = Encoding.UTF8.GetBytes("hello from " + ctx.Request.Url!.AbsolutePath);
            ctx.Response.ContentLength64 = reply.Length;
            await ctx.Response.OutputStream.WriteAsync(reply);
            ctx.Response.Close();
        });

        var core = new Core(Instant.Zero);
        using var f = core.Spawn<Fetcher>(static cx => new Fetcher(cx), Ret.Nop<StopCause>());
        f.Call(static (a, cx, url) => a.Fetch(cx, url), $"http://127.0.0.1:{port}/data");
        core.Run(core.Now, false);
        for (int i = 0; i < 5; i++)
        {
            f.Call(static (a, cx) => a.Ping(cx));
            core.Run(core.Now, false);
        }
        Assert.Equal(5, f.Actor.Query(static (a, cx) => a.Pings));
        Assert.Null(f.Actor.Query(static (a, cx) => a.Body));
        release.Release();
        AsyncTestDriver.RunWithWakes(core, () => f.Actor.Query(static (a, cx) => a.Body) is not null, TimeSpan.FromSeconds(30));
        Assert.Equal("hello from /data", f.Actor.Query(static (a, cx) => a.Body));
        Assert.Equal(["request sent", "response after 5 pings"], f.Actor.Query(static (a, cx) => a.Log));
        AsyncTestDriver.RunWithWakes(core, () => server.IsCompleted, TimeSpan.FromSeconds(10));
        Assert.True(server.IsCompletedSuccessfully);
    }

    sealed class Reader
    {
        public string? Text;
        public Reader(Cx<Reader> cx) { }
    }

    [Fact]
    public void FileRead_SpawnTaskToRet_ResultArrivesAsCall()
    {
        string path = Path.Combine(Path.GetTempPath(), "stakker-" + Guid.NewGuid() + ".txt");
        File.WriteAllText(path, "file contents");
        try
        {
            var core = new Core(Instant.Zero);
            using var r = core.Spawn<Reader>(static cx => new Reader(cx), Ret.Nop<StopCause>());
            r.Call(static (a, cx, path) => cx.SpawnTask(co => File.ReadAllTextAsync(path, co.Token),
                                           cx.RetSome<string>(static (a, cx, text) => a.Text = text)), path);
            AsyncTestDriver.RunWithWakes(core, () => r.Actor.Query(static (a, cx) => a.Text) is not null, TimeSpan.FromSeconds(30));
            Assert.Equal("file contents", r.Actor.Query(static (a, cx) => a.Text));
        }
        finally { File.Delete(path); }
    }

    static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
