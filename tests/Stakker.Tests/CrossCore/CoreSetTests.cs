#pragma warning disable STK0005 // handlers report to the test through captured counters and completion sources

namespace Stakker.Tests.CrossCore;

/// <summary>A set of Cores on real threads: order and loss under load, Rets across stops and
/// failures, and threads given back</summary>
public class CoreSetTests
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    sealed class Sink(int senders, long expected, TaskCompletionSource done)
    {
        readonly int[] _next = new int[senders];
        long _total;
        public string? Error;

        public void Add(Cx<Sink> cx, (int Sender, int Seq) m)
        {
            if (m.Seq != _next[m.Sender]) Error ??= $"sender {m.Sender}: got {m.Seq}, expected {_next[m.Sender]}";
            _next[m.Sender] = m.Seq + 1;
            if (++_total == expected) done.TrySetResult();
        }
    }

    sealed class Pump(int me, CrossCoreActor<Sink>[] targets, int perTarget)
    {
        readonly int[] _sent = new int[targets.Length];

        public void Run(Cx<Pump> cx)
        {
            bool more = false;
            for (int t = 0; t < targets.Length; t++)
            {
                CrossCoreActor<Sink> target = targets[t];
                int n = 0;
                while (_sent[t] < perTarget && n < 4096 && target.HasRoom)
                {
                    target.Call(static (s, cx, m) => s.Add(cx, m), (me, _sent[t]++));
                    n++;
                }
                more |= _sent[t] < perTarget;
            }
            // Let the run end (handing the batches over) and come back for more.
            if (more) cx.After(TimeSpan.Zero, static (p, cx) => p.Run(cx));
        }
    }

    [Fact]
    public async Task FourCores_ExchangeTenMillionCalls_InPerSenderOrder_NoneLost()
    {
        const int cores = 4, perTarget = 833_334;   // 4 senders x 3 receivers x 833,334 = 10,000,008 calls
        await using var set = new CoreSet(new CoreSetOptions { Count = cores, CrossCoreCapacity = 64 * 1024 });
        var done = new TaskCompletionSource[cores];
        var sinks = new CrossCoreActor<Sink>[cores];
        var states = new Sink[cores];
        for (int i = 0; i < cores; i++)
        {
            var d = done[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            int index = i;
            sinks[i] = await set.SpawnAsync<Sink>(i, cx => states[index] = new Sink(cores, (long)(cores - 1) * perTarget, d));
        }
        for (int i = 0; i < cores; i++)
        {
            int me = i;
            CrossCoreActor<Sink>[] others = sinks.Where((_, j) => j != me).ToArray();
            CrossCoreActor<Pump> pump = await set.SpawnAsync<Pump>(i, cx => new Pump(me, others, perTarget));
            set.Post(i, core => Assert.True(pump.TryGetLocal(out _)));
            pump.Call(static (p, cx) => p.Run(cx));
        }
        await Task.WhenAll(done.Select(d => d.Task)).WaitAsync(TimeSpan.FromMinutes(3));
        for (int i = 0; i < cores; i++) Assert.Null(await set.InvokeAsync(i, _ => states[i].Error));
        await set.StopAsync();
    }

    sealed class Server
    {
        public Ret<int> Kept;
        public void Echo(Cx<Server> cx, int x, Ret<int> ret) => ret.Answer(x);
        public void Keep(Cx<Server> cx, Ret<int> ret) => Kept = ret;
        public void End(Cx<Server> cx) => cx.Stop();
        public void Fail(Cx<Server> cx) => cx.Fail(new InvalidOperationException("server broke"));
    }

    sealed class Client(CrossCoreActor<Server> server, Action<string, int> heard)
    {
        public void Ask(Cx<Client> cx, int x) =>
            server.Call(static (s, cx, x, r) => s.Echo(cx, x, r), x, cx.Ret<int>(static (c, cx, a) => c.Heard(a, Environment.CurrentManagedThreadId)));

        public void AskAndKeep(Cx<Client> cx) =>
            server.Call(static (s, cx, r) => s.Keep(cx, r), cx.Ret<int>(static (c, cx, a) => c.Heard(a, Environment.CurrentManagedThreadId)));

        void Heard(Answer<int> a, int thread) => heard(a.HasValue ? a.Value.ToString() : "none", thread);
    }

    [Fact]
    public async Task Ret_AcrossThreads_IsAnsweredOnTheAskingCoresThread()
    {
        await using var set = new CoreSet(new CoreSetOptions { Count = 2 });
        var server = await set.SpawnAsync<Server>(1, static cx => new Server());
        var heard = new TaskCompletionSource<(string, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = await set.SpawnAsync<Client>(0, cx => new Client(server, (s, t) => heard.TrySetResult((s, t))));
        int core0Thread = await set.InvokeAsync(0, _ => Environment.CurrentManagedThreadId);
        client.Call(static (c, cx, x) => c.Ask(cx, x), 21);
        var (answer, thread) = await heard.Task.WaitAsync(Wait);
        Assert.Equal("21", answer);
        Assert.Equal(core0Thread, thread);
    }

    [Fact]
    public async Task Ret_WhoseRemoteHolderDies_AnswersNoValueExactlyOnce()
    {
        await using var set = new CoreSet(new CoreSetOptions { Count = 2 });
        var server = await set.SpawnAsync<Server>(1, static cx => new Server());
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = await set.SpawnAsync<Client>(0, cx => new Client(server, (s, _) =>
        {
            heard.Enqueue(s);
            next.TrySetResult();
        }));
        client.Call(static (c, cx) => c.AskAndKeep(cx));
        // The server ends once it holds the Ret: calls from one sender arrive in order.
        client.Call(static (c, cx, s) => s.Call(static (srv, cx) => srv.End(cx)), server);
        await next.Task.WaitAsync(Wait);
        // A second server round trip proves no second answer was on its way behind the first.
        var echo = await set.SpawnAsync<Server>(1, static cx => new Server());
        var late = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var prober = await set.SpawnAsync<Client>(0, cx => new Client(echo, (s, _) => late.TrySetResult(s)));
        prober.Call(static (c, cx, x) => c.Ask(cx, x), 1);
        Assert.Equal("1", await late.Task.WaitAsync(Wait));
        Assert.Equal(["none"], heard);
    }

    sealed class Asker(CrossCoreActor<Server>[] servers, Counters counters)
    {
        int _n;
        public void Run(Cx<Asker> cx)
        {
            for (int i = 0; i < 256; i++)
            {
                CrossCoreActor<Server> s = servers[_n % servers.Length];
                Interlocked.Increment(ref counters.Asked);
                Ret<int> ret = Ret.From<int>(cx.Core, a =>
                {
                    if (a.HasValue) Interlocked.Increment(ref counters.Values);
                    else Interlocked.Increment(ref counters.None);
                });
                if (_n++ % 3 == 0) s.Call(static (srv, cx, r) => srv.Keep(cx, r), ret);   // held until the stop
                else s.Call(static (srv, cx, x, r) => srv.Echo(cx, x, r), _n, ret);
            }
            if (_n >= 2048) counters.Started.TrySetResult();
            cx.After(TimeSpan.Zero, static (a, cx) => a.Run(cx));
        }
    }

    sealed class Counters
    {
        public long Asked, Values, None;
        public readonly TaskCompletionSource Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [Fact]
    public async Task StopAsync_WithCallsInFlight_AnswersEveryRet()
    {
        var counters = new Counters();
        var set = new CoreSet(new CoreSetOptions { Count = 3 });
        var servers = new[] { await set.SpawnAsync<Server>(1, static cx => new Server()), await set.SpawnAsync<Server>(2, static cx => new Server()) };
        var asker = await set.SpawnAsync<Asker>(0, cx => new Asker(servers, counters));
        asker.Call(static (a, cx) => a.Run(cx));
        await counters.Started.Task.WaitAsync(Wait);
        await set.StopAsync().WaitAsync(Wait);
        long asked = Interlocked.Read(ref counters.Asked);
        Assert.True(asked >= 2048);
        Assert.Equal(asked, Interlocked.Read(ref counters.Values) + Interlocked.Read(ref counters.None));
        Assert.True(counters.None > 0, "the kept Rets answer \"no value\"");
        Assert.True(set.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task RootActorFailure_StopsEveryCore_AndFaultsCompletion()
    {
        var set = new CoreSet(new CoreSetOptions { Count = 2 });
        var a = await set.SpawnAsync<Server>(0, static cx => new Server());
        var b = await set.SpawnAsync<Server>(1, static cx => new Server());
        b.Call(static (s, cx) => s.Fail(cx));
        var ex = await Assert.ThrowsAsync<CoreSetFailedException>(() => set.Completion.WaitAsync(Wait));
        Assert.Equal("server broke", ex.InnerException?.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => set.InvokeAsync(0, _ => 0).WaitAsync(Wait));
        _ = a;
    }

    [Fact]
    public async Task CoreLoopThrowing_StopsTheSet_AndFaultsCompletion()
    {
        var set = new CoreSet(new CoreSetOptions { Count = 2 });
        await set.InvokeAsync(1, _ => 0);
        set.Post(0, _ => throw new InvalidTimeZoneException("loop broke"));
        var ex = await Assert.ThrowsAsync<InvalidTimeZoneException>(() => set.Completion.WaitAsync(Wait));
        Assert.Equal("loop broke", ex.Message);
    }

    [Fact]
    public async Task SpawnWithoutIndex_GoesRoundRobin_AndCoreForIsStable()
    {
        await using var set = new CoreSet(new CoreSetOptions { Count = 2, Name = "rr" });
        var names = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        for (int i = 0; i < 4; i++) await set.SpawnAsync<object>(cx => { names.Enqueue(Thread.CurrentThread.Name); return new object(); });
        await set.InvokeAsync(0, _ => 0);
        await set.InvokeAsync(1, _ => 0);
        Assert.Equal(["rr 0", "rr 1", "rr 0", "rr 1"], names);
        Assert.Equal(set.CoreFor("user:42"), set.CoreFor("user:42"));
        Assert.InRange(set.CoreFor(12345), 0, 1);
    }
}

/// <summary>Counts the process's threads, so it runs alone: threads other tests start would be counted too</summary>
[CollectionDefinition(nameof(CoreSetThreadLeakTests), DisableParallelization = true)]
public sealed class CoreSetThreadLeakCollection;

[Collection(nameof(CoreSetThreadLeakTests))]
public class CoreSetThreadLeakTests
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    sealed class Server;

    static int OsThreads() => Directory.GetDirectories("/proc/self/task").Length;

    [Fact]
    public async Task StartAndStop_AHundredTimes_LeaksNoThread()
    {
        await using (var warm = new CoreSet(new CoreSetOptions { Count = 2 })) await warm.InvokeAsync(0, _ => 0);
        int before = OsThreads();
        for (int i = 0; i < 100; i++)
        {
            var set = new CoreSet(new CoreSetOptions { Count = 2 });
            var s = await set.SpawnAsync<Server>(1, static cx => new Server());
            s.Call(static (srv, cx) => { });
            await set.StopAsync().WaitAsync(Wait);
        }
        int after = OsThreads();
        // 200 Core threads were started; a few thread-pool threads may come and go meanwhile.
        Assert.True(after - before < 10, $"threads before {before}, after {after}");
    }
}
