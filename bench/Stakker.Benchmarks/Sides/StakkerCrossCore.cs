using Stakker;

namespace Stakker.Benchmarks.StakkerSide;

// The Stakker side of the cross-Core cases: a CoreSet whose Cores run on threads of their own, as
// in an application. The benchmark thread starts work with one call from outside and waits for a
// TaskCompletionSource the actors complete.

static class Done
{
    public static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

sealed class CountingSink
{
    long _left;
    TaskCompletionSource? _done;

    public void Expect(Cx<CountingSink> cx, (long Calls, TaskCompletionSource Done) e)
    {
        _left = e.Calls;
        _done = e.Done;
    }

    public void Add(Cx<CountingSink> cx, int x)
    {
        if (--_left == 0) _done!.TrySetResult();
    }
}

/// <summary>Sends its calls in runs of up to 64Ki, each run handed over as batches when it ends</summary>
sealed class OneWaySender(CrossCoreActor<CountingSink> sink)
{
    long _left;

    public void Start(Cx<OneWaySender> cx, (long Calls, TaskCompletionSource Done) e)
    {
        sink.Call(static (s, cx, x) => s.Expect(cx, x), e);
        _left = e.Calls;
        Pump(cx);
    }

    void Pump(Cx<OneWaySender> cx)
    {
        for (int n = 0; _left > 0 && n < 65536 && sink.HasRoom; n++, _left--)
            sink.Call(static (s, cx, x) => s.Add(cx, x), n);
        if (_left > 0) cx.After(TimeSpan.Zero, static (a, cx) => a.Pump(cx));
    }
}

sealed class CrossServer
{
    int _counter;
    public void Get(Cx<CrossServer> cx, Ret<int> ret) => ret.Answer(++_counter);
}

/// <summary>Asks the server on the other Core, one request at a time, each answer coming back as a call</summary>
sealed class CrossAsker(CrossCoreActor<CrossServer> server)
{
    int _left;
    TaskCompletionSource? _done;

    public void Start(Cx<CrossAsker> cx, (int Requests, TaskCompletionSource Done) e)
    {
        _left = e.Requests;
        _done = e.Done;
        Ask(cx);
    }

    void Ask(Cx<CrossAsker> cx) => server.Call(static (s, cx, r) => s.Get(cx, r), cx.Ret<int>(static (a, cx, v) => a.Answered(cx, v)));

    void Answered(Cx<CrossAsker> cx, Answer<int> v)
    {
        if (!v.HasValue) throw new InvalidOperationException("the server did not answer");
        if (--_left > 0) Ask(cx);
        else _done!.TrySetResult();
    }
}

/// <summary>Two Cores: one-way calls and request/response between them</summary>
public sealed class CrossCoreDriver : IDisposable
{
    readonly CoreSet _set = new(new CoreSetOptions { Count = 2 });
    readonly CrossCoreActor<OneWaySender> _sender;
    readonly CrossCoreActor<CrossAsker> _asker;

    public CrossCoreDriver()
    {
        var sink = _set.SpawnAsync<CountingSink>(1, static cx => new CountingSink()).GetAwaiter().GetResult();
        _sender = _set.SpawnAsync<OneWaySender, CrossCoreActor<CountingSink>>(0, static (cx, s) => new OneWaySender(s), sink).GetAwaiter().GetResult();
        var server = _set.SpawnAsync<CrossServer>(1, static cx => new CrossServer()).GetAwaiter().GetResult();
        _asker = _set.SpawnAsync<CrossAsker, CrossCoreActor<CrossServer>>(0, static (cx, s) => new CrossAsker(s), server).GetAwaiter().GetResult();
        OneWay(1000).GetAwaiter().GetResult();
        RequestResponse(100).GetAwaiter().GetResult();
    }

    /// <summary>An actor on Core 0 sends <paramref name="calls"/> calls to an actor on Core 1</summary>
    public Task OneWay(long calls)
    {
        TaskCompletionSource done = Done.New();
        _sender.Call(static (s, cx, e) => s.Start(cx, e), (calls, done));
        return done.Task;
    }

    /// <summary>An actor on Core 0 asks one on Core 1, one request at a time</summary>
    public Task RequestResponse(int requests)
    {
        TaskCompletionSource done = Done.New();
        _asker.Call(static (a, cx, e) => a.Start(cx, e), (requests, done));
        return done.Task;
    }

    public void Dispose() => _set.StopAsync().GetAwaiter().GetResult();
}

sealed class LocalPinger(Actor<LocalPonger> pong)
{
    int _left;
    TaskCompletionSource? _done;

    public void Start(Cx<LocalPinger> cx, (int RoundTrips, TaskCompletionSource Done) e)
    {
        _left = e.RoundTrips;
        _done = e.Done;
        pong.Call(static (p, cx, n) => p.Ping(cx, n), _left);
    }

    public void Pong(Cx<LocalPinger> cx, int n)
    {
        if (--_left > 0) pong.Call(static (p, cx, x) => p.Ping(cx, x), n - 1);
        else _done!.TrySetResult();
    }
}

sealed class LocalPonger
{
    public Actor<LocalPinger> Pinger;
    public void Ping(Cx<LocalPonger> cx, int n) => Pinger.Call(static (p, cx, x) => p.Pong(cx, x), n);
}

/// <summary>One ping-pong pair per Core, all Cores at once: how the same workload scales with Cores</summary>
public sealed class ScalingDriver : IDisposable
{
    readonly CoreSet _set;
    readonly CrossCoreActor<LocalPinger>[] _pingers;

    public ScalingDriver(int cores)
    {
        _set = new CoreSet(new CoreSetOptions { Count = cores });
        _pingers = new CrossCoreActor<LocalPinger>[cores];
        for (int i = 0; i < cores; i++)
        {
            var (ping, pong) = _set.InvokeAsync(i, static core =>
            {
                // Both actors of a pair on one Core: their calls are local; only the start crosses.
                var pong = core.Spawn<LocalPonger>(static cx => new LocalPonger(), Ret.Nop<StopCause>());
                var ping = core.Spawn<LocalPinger, Actor<LocalPonger>>(static (cx, p) => new LocalPinger(p), pong.Actor, Ret.Nop<StopCause>());
                pong.Actor.Call(static (p, cx, a) => p.Pinger = a, ping.Actor);
                return (ping, pong);
            }).GetAwaiter().GetResult();
            // The owners keep the actors alive; they end with their Cores when the set stops.
            _owners.Add(ping);
            _owners.Add(pong);
            _pingers[i] = _set.InvokeAsync(i, _ => ping.Actor.CrossCore()).GetAwaiter().GetResult();
        }
        Run(100).GetAwaiter().GetResult();
    }

    readonly List<IDisposable> _owners = [];

    /// <summary>Every pair makes <paramref name="roundTrips"/> round trips, in parallel</summary>
    public Task Run(int roundTrips)
    {
        var all = new Task[_pingers.Length];
        for (int i = 0; i < _pingers.Length; i++)
        {
            TaskCompletionSource done = Done.New();
            all[i] = done.Task;
            _pingers[i].Call(static (p, cx, e) => p.Start(cx, e), (roundTrips, done));
        }
        return Task.WhenAll(all);
    }

    public void Dispose() => _set.StopAsync().GetAwaiter().GetResult();
}
