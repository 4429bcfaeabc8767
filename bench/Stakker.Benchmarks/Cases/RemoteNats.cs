using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using NATS.Client.Core;
using Stakker.Remote;

namespace Stakker.Benchmarks;

[RemoteActor]
public interface IBenchRemote
{
    void Ping(int v, Ret<int> back);
    void Add(int n);
    void Total(Ret<long> total);
}

public sealed class BenchRemote : IBenchRemote
{
    long _total;
    public void Ping(int v, Ret<int> back) => back.Answer(v);
    public void Add(int n) => _total += n;
    public void Total(Ret<long> total) => total.Answer(_total);
}

/// <summary>Stakker.Remote over a real nats-server on loopback against raw NATS (the floor): a ping-pong
/// round trip, and one-way calls; figures per round trip / per call</summary>
/// <remarks>
/// One nats-server process (started here, on a free port), two NATS connections, two Cores on two
/// threads in this process: the calls cross the server over loopback TCP as between two processes,
/// but both ends share this process's two cores. Raw NATS: <c>RequestAsync</c> against a responder
/// on the other connection (latency), and <c>PublishAsync</c> of 4-byte messages counted by a
/// subscriber (one-way). Stakker.Remote: a proxy's <c>Ping(v, ret)</c> answered by the remote actor,
/// the next sent from the answer's callback (latency); 10,000 <c>Add</c> calls made in one Core run,
/// then a <c>Total</c> that arrives after them (one-way, batched per run).
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RemoteNats
{
    const int OneWay = 10_000;
    const int RoundTrips = 200;
    Process? _server;
    NatsConnection _a = null!, _b = null!;
    CoreThread _coreA = null!, _coreB = null!;
    RemoteNode _nodeA = null!;
    RemoteActor<IBenchRemote> _proxy = null!;
    INatsSub<int>? _responder;
    INatsSub<int>? _counter;
    long _counted;
    Task? _loops;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    async Task SetupAsync()
    {
        int port = FreePort();
        var psi = new ProcessStartInfo("nats-server", $"-a 127.0.0.1 -p {port}") { RedirectStandardError = true, RedirectStandardOutput = true };
        _server = Process.Start(psi)!;
        var opts = new NatsOpts { Url = $"nats://127.0.0.1:{port}", SubPendingChannelCapacity = 1 << 20, RetryOnInitialConnect = true };
        _a = new NatsConnection(opts);
        _b = new NatsConnection(opts);
        await _a.ConnectAsync();
        await _b.ConnectAsync();

        RemoteNode? nodeB = null;
        RemotePublication? pub = null;
        _coreB = new CoreThread(core =>
        {
            nodeB = RemoteNode.Create(core, _b);
            var own = core.Spawn<BenchRemote>(static cx => new BenchRemote(), Ret.Nop<StopCause>());
            pub = nodeB.Publish(BenchRemoteRemote.Interface, "bench", own.Actor);
        }, "bench B");
        await _coreB.Started;
        await nodeB!.Ready;
        await pub!.Ready;
        RemoteNode? nodeA = null;
        _coreA = new CoreThread(core => nodeA = RemoteNode.Create(core, _a), "bench A");
        await _coreA.Started;
        _nodeA = nodeA!;
        await _nodeA.Ready;
        _proxy = await _coreA.InvokeAsync(core => _nodeA.Proxy(BenchRemoteRemote.Interface, "bench"));

        _responder = await _b.SubscribeCoreAsync<int>("raw.ping");
        _counter = await _b.SubscribeCoreAsync<int>("raw.oneway");
        _loops = Task.WhenAll(
            Task.Run(async () => { await foreach (var m in _responder.Msgs.ReadAllAsync()) await m.ReplyAsync(m.Data); }),
            Task.Run(async () => { await foreach (var m in _counter.Msgs.ReadAllAsync()) Interlocked.Increment(ref _counted); }));
        await _b.PingAsync();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _coreA.Dispose();
        _coreB.Dispose();
        _responder?.DisposeAsync().AsTask().Wait();
        _counter?.DisposeAsync().AsTask().Wait();
        _a.DisposeAsync().AsTask().Wait();
        _b.DisposeAsync().AsTask().Wait();
        _server?.Kill();
    }

    static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int p = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return p;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    [BenchmarkCategory("ping-pong")]
    public async Task RawNats_RequestReply()
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            NatsMsg<int> reply = await _a.RequestAsync<int, int>("raw.ping", i);
            if (reply.Data != i) throw new InvalidOperationException("wrong reply");
        }
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    [BenchmarkCategory("ping-pong")]
    public Task StakkerRemote_PingPong()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _coreA.Post(core => Ping(core, 0, done));
        return done.Task;
    }

    void Ping(Core core, int i, TaskCompletionSource done)
    {
        if (i == RoundTrips) { done.TrySetResult(); return; }
        _proxy.Proxy.Ping(i, Ret.From<int>(core, a =>
        {
            if (!a.HasValue || a.Value != i) { done.TrySetException(new InvalidOperationException("lost")); return; }
            Ping(core, i + 1, done);
        }));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = OneWay)]
    [BenchmarkCategory("one-way")]
    public async Task RawNats_Publish()
    {
        long target = Interlocked.Read(ref _counted) + OneWay;
        for (int i = 0; i < OneWay; i++) await _a.PublishAsync("raw.oneway", i);
        await _a.PingAsync();
        while (Interlocked.Read(ref _counted) < target) await Task.Yield();
    }

    [Benchmark(OperationsPerInvoke = OneWay)]
    [BenchmarkCategory("one-way")]
    public Task StakkerRemote_OneWay()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _coreA.Post(core =>
        {
            for (int i = 0; i < OneWay; i++) _proxy.Proxy.Add(1);
            _proxy.Proxy.Total(Ret.From<long>(core, a => { if (a.HasValue) done.TrySetResult(); else done.TrySetException(new InvalidOperationException("lost")); }));
        });
        return done.Task;
    }
}
