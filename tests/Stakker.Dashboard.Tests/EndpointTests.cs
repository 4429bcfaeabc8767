using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stakker.Hosting;

namespace Stakker.Dashboard.Tests;

/// <summary>The dashboard's HTTP side: the page, the JSON, the live stream and every bound</summary>
public sealed class EndpointTests
{
    sealed class Worker
    {
        public void Crash(Cx<Worker> cx, string why) => throw new TimeoutException(why);
    }

    sealed class Boss
    {
        public readonly List<ActorOwn<Worker>> Workers = [];
        public void Hire(Cx<Boss> cx, int n)
        {
            for (int i = 0; i < n; i++) Workers.Add(cx.Core.Spawn<Worker>(static cx => new Worker(), Ret.Nop<StopCause>()));
        }
    }

    static Action<Core> Hire(int n) => core =>
    {
        var boss = core.Spawn<Boss>(static cx => new Boss(), Ret.Nop<StopCause>());
        boss.Call(static (b, cx, k) => b.Hire(cx, k), n);
        GC.KeepAlive(boss);
        Bosses.Add(boss);
    };

    static readonly System.Collections.Concurrent.ConcurrentBag<object> Bosses = [];

    [Fact]
    public async Task Page_IsServedFromTheAssembly_WithStrictHeaders()
    {
        await using var server = new DashboardServer();
        var (status, head, body) = await server.Get("/");
        Assert.Equal(200, status);
        Assert.Contains("Content-Type: text/html", head);
        Assert.Contains("Content-Security-Policy: default-src 'self'", head);
        Assert.Contains("X-Frame-Options: DENY", head);
        Assert.Contains("<script src=\"dashboard.js\"", body);
        var js = await server.Get("/dashboard.js");
        Assert.Equal(200, js.Status);
        Assert.Contains("EventSource", js.Body);
        Assert.Contains("text/javascript", js.Head);
        Assert.Equal(200, (await server.Get("/dashboard.css")).Status);
    }

    [Theory]
    [InlineData("GET /nothing HTTP/1.1\r\nHost: 127.0.0.1:{0}\r\n\r\n", 404)]
    [InlineData("DELETE / HTTP/1.1\r\nHost: 127.0.0.1:{0}\r\n\r\n", 405)]
    [InlineData("POST /api/snapshot HTTP/1.1\r\nHost: 127.0.0.1:{0}\r\n\r\n", 405)]
    [InlineData("GET / HTTP/1.1\r\nHost: 127.0.0.1:{0}\r\nContent-Length: 5\r\n\r\nhello", 413)]
    [InlineData("GET / HTTP/1.1\r\nHost: 127.0.0.1:{0}\r\nTransfer-Encoding: chunked\r\n\r\n", 413)]
    [InlineData("GET / HTTP/1.1\r\nHost: evil.example:{0}\r\n\r\n", 421)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", 421)]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: localhost:{0}\r\n\r\n", 200)]
    public async Task Requests_OutsideWhatIsServed_AreRefused(string request, int expected)
    {
        await using var server = new DashboardServer();
        Assert.Equal(expected, (await server.Send(string.Format(request, server.Port))).Status);
    }

    [Fact]
    public async Task RequestHead_OverTheLimit_Is431()
    {
        await using var server = new DashboardServer();
        string big = new('a', StakkerDashboard.MaxRequestHeadBytes);
        var (status, _, _) = await server.Send($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nX-Big: {big}\r\n\r\n");
        Assert.Equal(431, status);
        // Just under the limit is fine.
        string fits = new('a', StakkerDashboard.MaxRequestHeadBytes - 200);
        Assert.Equal(200, (await server.Send($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nX-Big: {fits}\r\n\r\n")).Status);
    }

    [Fact]
    public async Task Snapshot_HasTheDocumentedShape()
    {
        await using var server = new DashboardServer(start: Hire(3));
        JsonElement root = await server.GetJson("/api/snapshot");
        Assert.False(root.GetProperty("allowActions").GetBoolean());
        JsonElement core = Assert.Single(root.GetProperty("cores").EnumerateArray());
        Assert.Equal("0", core.GetProperty("name").GetString());
        foreach (string p in (string[])["callsTaken", "queueLength", "pendingTimers", "wakes", "retsAbandoned", "handlerMs", "actorCount", "maxActors"])
            Assert.Equal(JsonValueKind.Number, core.GetProperty(p).ValueKind);
        Assert.Equal(4, core.GetProperty("actorCount").GetInt32());
        Assert.Equal(500, core.GetProperty("maxActors").GetInt32());
        Assert.False(core.GetProperty("actorsTruncated").GetBoolean());
        JsonElement workers = Assert.Single(core.GetProperty("types").EnumerateArray(), t => t.GetProperty("type").GetString() == nameof(Worker));
        Assert.Equal(3, workers.GetProperty("count").GetInt32());
        JsonElement[] actors = [.. core.GetProperty("actors").EnumerateArray()];
        Assert.Equal(4, actors.Length);
        JsonElement boss = Assert.Single(actors, a => a.GetProperty("type").GetString() == nameof(Boss));
        Assert.Equal(JsonValueKind.Null, boss.GetProperty("ownerId").ValueKind);
        Assert.All(actors.Where(a => a.GetProperty("type").GetString() == nameof(Worker)),
            w => Assert.Equal(boss.GetProperty("id").GetInt64(), w.GetProperty("ownerId").GetInt64()));
        Assert.Equal("Ready", boss.GetProperty("state").GetString());
        foreach (string p in (string[])["ageMs", "callsRun", "queued", "handlerMs", "pendingTimers", "outstandingRets"])
            Assert.Equal(JsonValueKind.Number, boss.GetProperty(p).ValueKind);
        Assert.Empty(core.GetProperty("failures").EnumerateArray());
    }

    [Fact]
    public async Task Snapshot_ListsOneType_CappedByTheOptionAndTheQuery()
    {
        await using var server = new DashboardServer(new DashboardOptions { MaxActorsListed = 100 }, Hire(1000));
        JsonElement core = (await server.GetJson("/api/snapshot?type=Worker&max=10")).GetProperty("cores")[0];
        Assert.Equal(10, core.GetProperty("actors").GetArrayLength());
        Assert.True(core.GetProperty("actorsTruncated").GetBoolean());
        Assert.All(core.GetProperty("actors").EnumerateArray(), a => Assert.Equal("Worker", a.GetProperty("type").GetString()));
        JsonElement capped = (await server.GetJson("/api/snapshot?type=Worker&max=100000")).GetProperty("cores")[0];
        Assert.Equal(100, capped.GetProperty("maxActors").GetInt32());
        Assert.Equal(100, capped.GetProperty("actors").GetArrayLength());
        JsonElement boss = (await server.GetJson("/api/snapshot?type=Boss")).GetProperty("cores")[0];
        Assert.Equal(1, boss.GetProperty("actors").GetArrayLength());
        Assert.False(boss.GetProperty("actorsTruncated").GetBoolean());
        Assert.Equal(400, (await server.Get("/api/snapshot?type=" + new string('x', 600))).Status);
    }

    [Fact]
    public async Task Stream_SendsRates_AndSamplingFollowsTheOpenPages()
    {
        await using var server = new DashboardServer(new DashboardOptions { Interval = TimeSpan.FromMilliseconds(100) }, Hire(2));
        Assert.False((await server.GetJson("/api/snapshot")).GetProperty("cores")[0].GetProperty("sampling").GetBoolean());
        var (client, reader) = await server.OpenStream();
        using (client)
        {
            await DashboardServer.NextEvent(reader);
            JsonElement e = await DashboardServer.NextEvent(reader);
            JsonElement core = e.GetProperty("cores")[0];
            Assert.True(core.GetProperty("sampling").GetBoolean());
            Assert.Equal(JsonValueKind.Number, core.GetProperty("callsPerSecond").ValueKind);
            Assert.Equal(JsonValueKind.Number, core.GetProperty("wakesPerSecond").ValueKind);
            double idle = core.GetProperty("idle").GetDouble();
            Assert.InRange(idle, 0, 1);
            Assert.False(core.TryGetProperty("actors", out _), "the live event carries types, not actors");
            Assert.Equal(3, core.GetProperty("actorCount").GetInt32());
        }
        await DashboardServer.Until(() => server.Dashboard.Broadcast.StreamCount == 0, "the closed page's stream ends");
        Assert.False((await server.GetJson("/api/snapshot")).GetProperty("cores")[0].GetProperty("sampling").GetBoolean());
    }

    [Fact]
    public async Task Streams_ShareOneSnapshotPerInterval()
    {
        await using var server = new DashboardServer(new DashboardOptions { Interval = TimeSpan.FromMilliseconds(100) });
        var streams = new List<(System.Net.Sockets.TcpClient Client, StreamReader Reader)>();
        for (int i = 0; i < 3; i++) streams.Add(await server.OpenStream());
        await DashboardServer.Until(() => server.Dashboard.Broadcast.StreamCount == 3, "three pages are open");
        int before = server.Dashboard.Broadcast.Rounds;
        for (int round = 0; round < 5; round++)
            foreach (var (_, reader) in streams) await DashboardServer.NextEvent(reader);
        int taken = server.Dashboard.Broadcast.Rounds - before;
        // Three pages read five events each; one snapshot per interval serves them all (not 15).
        Assert.InRange(taken, 4, 8);
        foreach (var (client, _) in streams) client.Dispose();
    }

    [Fact]
    public async Task Connections_OverTheCap_Get503()
    {
        await using var server = new DashboardServer(new DashboardOptions { MaxConnections = 2 });
        var a = await server.OpenStream();
        var b = await server.OpenStream();
        Assert.Equal(503, (await server.Get("/")).Status);
        a.Client.Dispose();
        await DashboardServer.Until(() => server.Dashboard.Connections < 2, "the closed stream frees its place");
        Assert.Equal(200, (await server.Get("/")).Status);
        b.Client.Dispose();
    }

    [Fact]
    public async Task APageThatStopsReading_IsDropped_OthersGoOn()
    {
        // Fifty failures with long messages make each event about 30 KB.
        await using var server = new DashboardServer(new DashboardOptions { Interval = TimeSpan.FromMilliseconds(100) }, core =>
        {
            for (int i = 0; i < StakkerDiagnostics.FailuresKept; i++)
            {
                var w = core.Spawn<Worker>(static cx => new Worker(), Ret.Nop<StopCause>());
                w.Call(static (w, cx, why) => w.Crash(cx, why), new string('x', 480) + i);
            }
        });
        server.Dashboard.MaxBacklogBytes = 64 * 1024;
        var reading = await server.OpenStream();
        var stalled = await server.OpenStream(receiveBuffer: 1024);   // never read
        await DashboardServer.Until(() => server.Dashboard.Broadcast.StreamCount == 2, "both pages are open");
        var read = Task.Run(async () => { while (true) await DashboardServer.NextEvent(reading.Reader); });
        await DashboardServer.Until(() => server.Dashboard.Broadcast.StreamCount == 1, "the stalled page is dropped", seconds: 30);
        Assert.False(read.IsCompleted, "the page that reads is still served");
        reading.Client.Dispose();
        stalled.Client.Dispose();
    }

    [Fact]
    public async Task Kill_IsRefusedUnlessAllowed_AndNeedsTheActionHeader()
    {
        await using (var off = new DashboardServer(start: Hire(1)))
        {
            Assert.Equal(403, (await off.Send($"POST /api/actors/0/2/kill HTTP/1.1\r\nHost: 127.0.0.1:{off.Port}\r\nX-Stakker-Action: 1\r\n\r\n")).Status);
            Assert.Equal(2, (await off.GetJson("/api/snapshot")).GetProperty("cores")[0].GetProperty("actorCount").GetInt32());
        }
        await using var on = new DashboardServer(new DashboardOptions { AllowActions = true }, Hire(1));
        JsonElement worker = Assert.Single((await on.GetJson("/api/snapshot?type=Worker")).GetProperty("cores")[0].GetProperty("actors").EnumerateArray());
        long id = worker.GetProperty("id").GetInt64();
        Assert.Equal(403, (await on.Send($"POST /api/actors/0/{id}/kill HTTP/1.1\r\nHost: 127.0.0.1:{on.Port}\r\n\r\n")).Status);
        Assert.Equal(200, (await on.Send($"POST /api/actors/0/{id}/kill HTTP/1.1\r\nHost: 127.0.0.1:{on.Port}\r\nX-Stakker-Action: 1\r\n\r\n")).Status);
        JsonElement core = (await on.GetJson("/api/snapshot")).GetProperty("cores")[0];
        Assert.Equal(1, core.GetProperty("actorCount").GetInt32());
        JsonElement failure = Assert.Single(core.GetProperty("failures").EnumerateArray());
        Assert.Equal("Killed", failure.GetProperty("kind").GetString());
        Assert.Equal("Killed from the dashboard", failure.GetProperty("message").GetString());
        Assert.Equal(404, (await on.Send($"POST /api/actors/0/{id}/kill HTTP/1.1\r\nHost: 127.0.0.1:{on.Port}\r\nX-Stakker-Action: 1\r\n\r\n")).Status);
    }

    [Fact]
    public async Task Host_ServesTheDashboard_FromConfiguration_OnLoopback_ForEveryCore()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Stakker:Dashboard:Enabled"] = "true",
            ["Stakker:Dashboard:Port"] = "0",
            ["Stakker:Dashboard:MaxConnections"] = "3",
            ["Stakker:Cores"] = "2",
        });
        builder.AddStakker(s => s.AddRootActor<Boss>(static (cx, _) => new Boss()));
        using IHost host = builder.Build();
        await host.StartAsync();
        try
        {
            var service = host.Services.GetServices<IHostedService>().OfType<StakkerHostedService>().Single();
            StakkerDashboard dashboard = service.Dashboard!;
            Assert.Equal("127.0.0.1", dashboard.Url.Host);
            Assert.Equal(3, host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StakkerOptions>>().Value.Dashboard.MaxConnections);
            using var http = new HttpClient();
            string json = await http.GetStringAsync(new Uri(dashboard.Url, "api/snapshot"));
            // Every Core of the set, by its index.
            JsonElement[] cores = [.. JsonDocument.Parse(json).RootElement.GetProperty("cores").EnumerateArray()];
            Assert.Equal(["0", "1"], cores.Select(c => c.GetProperty("name").GetString()).Order());
            Assert.Single(cores, c => c.GetProperty("types").EnumerateArray().Any(t => t.GetProperty("type").GetString() == nameof(Boss)));
        }
        finally { await host.StopAsync(); }
    }

    [Fact]
    public async Task Host_WithoutTheOption_ServesNothing()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddStakker(s => s.AddRootActor<Boss>(static (cx, _) => new Boss()));
        using IHost host = builder.Build();
        await host.StartAsync();
        try { Assert.Null(host.Services.GetServices<IHostedService>().OfType<StakkerHostedService>().Single().Dashboard); }
        finally { await host.StopAsync(); }
    }
}
