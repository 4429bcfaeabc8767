using System.Diagnostics;
using NATS.Client.Core;
using Stakker;
using Stakker.Remote;

namespace RemoteBench;

[RemoteActor]
public interface IBench
{
    void Ping(int v, Ret<int> back);
    void Add(int n);
    void Total(Ret<long> total);
}

public sealed class BenchActor : IBench
{
    long _total;
    public void Ping(int v, Ret<int> back) => back.Answer(v);
    public void Add(int n) => _total += n;
    public void Total(Ret<long> total)
    {
        total.Answer(_total);
        _total = 0;
    }
}

/// <summary>Stakker.Remote: a Core on its own thread, a node on a NATS connection, the actor published as "bench"</summary>
public static class StakkerPeer
{
    public static NatsOpts Opts => new() { Url = Ports.NatsUrl, SubPendingChannelCapacity = 1 << 20 };

    public static async Task ServeAsync()
    {
        await using var nats = new NatsConnection(Opts);
        await nats.ConnectAsync();
        RemotePublication? pub = null;
        RemoteNode? node = null;
        using var thread = new CoreThread(core =>
        {
            node = RemoteNode.Create(core, nats);
            var own = core.Spawn<BenchActor>(static cx => new BenchActor(), Ret.Nop<StopCause>());
            pub = node.Publish(BenchRemote.Interface, "bench", own.Actor);
        }, "stakker bench server");
        await thread.Started;
        await node!.Ready;
        await pub!.Ready;
        await Server.ReadyAndWaitAsync();
    }

    public sealed class Client : IPeerClient
    {
        NatsConnection _nats = null!;
        CoreThread _thread = null!;
        RemoteActor<IBench> _proxy = null!;

        public string Name => "Stakker.Remote (NATS)";

        public async Task StartAsync()
        {
            _nats = new NatsConnection(Opts);
            await _nats.ConnectAsync();
            RemoteNode? node = null;
            _thread = new CoreThread(core => node = RemoteNode.Create(core, _nats), "stakker bench client");
            await _thread.Started;
            await node!.Ready;
            _proxy = await _thread.InvokeAsync(core => node.Proxy(BenchRemote.Interface, "bench"));
        }

        public Task<TimeSpan> PingPongAsync(int roundTrips)
        {
            var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            _thread.Post(core => Ping(core, 0, roundTrips, Stopwatch.StartNew(), done));
            return done.Task;
        }

        void Ping(Core core, int i, int n, Stopwatch sw, TaskCompletionSource<TimeSpan> done)
        {
            if (i == n) { done.TrySetResult(sw.Elapsed); return; }
            _proxy.Proxy.Ping(i, Ret.From<int>(core, a =>
            {
                if (!a.HasValue || a.Value != i) { done.TrySetException(new InvalidOperationException("ping lost: " + a)); return; }
                Ping(core, i + 1, n, sw, done);
            }));
        }

        public Task<TimeSpan> OneWayAsync(int messages)
        {
            var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            _thread.Post(core =>
            {
                var sw = Stopwatch.StartNew();
                IBench p = _proxy.Proxy;
                for (int i = 0; i < messages; i++) p.Add(1);
                p.Total(Ret.From<long>(core, a =>
                {
                    if (a.HasValue && a.Value == messages) done.TrySetResult(sw.Elapsed);
                    else done.TrySetException(new InvalidOperationException($"counted {a}, sent {messages}"));
                }));
            });
            return done.Task;
        }

        public async ValueTask DisposeAsync()
        {
            _thread.Dispose();
            await _nats.DisposeAsync();
        }
    }
}
