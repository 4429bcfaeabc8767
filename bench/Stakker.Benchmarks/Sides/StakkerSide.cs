using Stakker;

namespace Stakker.Benchmarks.StakkerSide;

// The Stakker side of every case. Each driver owns one Core, created on the thread that runs the
// benchmark (the Core checks thread affinity), and drives it synchronously with Core.Run: when Run
// returns, every call the case queued has run, so no waiting is needed.

// ---- PingPong --------------------------------------------------------------------------------

sealed class Pinger(Actor<Ponger> pong)
{
    int _left;
    public bool Done;

    public void Start(Cx<Pinger> cx, int roundTrips)
    {
        _left = roundTrips;
        Done = false;
        pong.Call(static (p, cx, n) => p.Ping(cx, n), roundTrips);
    }

    public void Pong(Cx<Pinger> cx, int n)
    {
        if (--_left > 0) pong.Call(static (p, cx, x) => p.Ping(cx, x), n - 1);
        else Done = true;
    }
}

sealed class Ponger(Actor<Pinger> ping)
{
    public void Ping(Cx<Ponger> cx, int n) => ping.Call(static (p, cx, x) => p.Pong(cx, x), n);
}

/// <summary>Two actors, one message in flight, N round trips (2N calls)</summary>
public sealed class PingPongDriver : IDisposable
{
    readonly Core _core = new(Instant.Zero);
    readonly ActorOwn<Pinger> _ping;
    readonly ActorOwn<Ponger> _pong;

    public PingPongDriver() : this(null) { }

    /// <param name="prepare">Runs on the new Core before the actors exist (attaches diagnostics, for one).</param>
    public PingPongDriver(Action<Core>? prepare)
    {
        prepare?.Invoke(_core);
        // Two-phase creation: the pinger exists (Prep) before the ponger that refers to it.
        _ping = _core.Create<Pinger>(Ret.Nop<StopCause>());
        _pong = _core.Spawn<Ponger, Actor<Pinger>>(static (cx, p) => new Ponger(p), _ping.Actor, Ret.Nop<StopCause>());
        _ping.Actor.Init(static (cx, p) => new Pinger(p), _pong.Actor);
        _core.Run(_core.Now, idle: false);
    }

    public void Run(int roundTrips)
    {
        _ping.Call(static (p, cx, n) => p.Start(cx, n), roundTrips);
        _core.Run(_core.Now, idle: false);
        if (!_ping.Actor.Query(static (p, cx) => p.Done)) throw new InvalidOperationException("PingPong did not finish");
    }

    public void Dispose()
    {
        _ping.Dispose();
        _pong.Dispose();
        _core.Run(_core.Now, idle: false);
        _core.Dispose();
    }
}

// ---- RequestResponse -------------------------------------------------------------------------

sealed class Server
{
    int _counter;
    public void Get(Cx<Server> cx, Ret<int> ret) => ret.Answer(++_counter);
}

sealed class Asker(Actor<Server> server)
{
    int _left;
    public long Sum;
    public bool Done;

    public void Start(Cx<Asker> cx, int requests)
    {
        _left = requests;
        Done = false;
        Ask(cx);
    }

    // The request carries a Ret made by cx.Ret: the answer comes back as a queued call to Got.
    void Ask(Cx<Asker> cx) =>
        server.Call(static (s, cx, r) => s.Get(cx, r), cx.Ret<int>(static (a, cx, v) => a.Got(cx, v)));

    void Got(Cx<Asker> cx, Answer<int> answer)
    {
        Sum += answer.Value;
        if (--_left > 0) Ask(cx);
        else Done = true;
    }
}

/// <summary>Actor A asks actor B through a Ret, B answers, A continues: N requests</summary>
public sealed class RequestResponseDriver : IDisposable
{
    readonly Core _core = new(Instant.Zero);
    readonly ActorOwn<Server> _server;
    readonly ActorOwn<Asker> _asker;
    readonly Action<Answer<int>> _onAnswer;
    long _outsideSum;

    public RequestResponseDriver()
    {
        _server = _core.Spawn<Server>(static cx => new Server(), Ret.Nop<StopCause>());
        _asker = _core.Spawn<Asker, Actor<Server>>(static (cx, s) => new Asker(s), _server.Actor, Ret.Nop<StopCause>());
        _onAnswer = a => _outsideSum += a.Value;   // one delegate, made once
        _core.Run(_core.Now, idle: false);
    }

    /// <summary>Actor to actor: the asker makes N requests, one at a time</summary>
    public void RunInActor(int requests)
    {
        _asker.Call(static (a, cx, n) => a.Start(cx, n), requests);
        _core.Run(_core.Now, idle: false);
        if (!_asker.Actor.Query(static (a, cx) => a.Done)) throw new InvalidOperationException("RequestResponse did not finish");
    }

    /// <summary>From outside the actors: the driver asks through Ret.From and runs the Core for each answer</summary>
    public void RunFromOutside(int requests)
    {
        long before = _outsideSum;
        for (int i = 0; i < requests; i++)
        {
            _server.Call(static (s, cx, r) => s.Get(cx, r), Ret.From(_core, _onAnswer));
            _core.Run(_core.Now, idle: false);
        }
        if (_outsideSum == before) throw new InvalidOperationException("No answer arrived");
    }

    public void Dispose()
    {
        _asker.Dispose();
        _server.Dispose();
        _core.Run(_core.Now, idle: false);
        _core.Dispose();
    }
}

// ---- SpawnStop and footprint -----------------------------------------------------------------

/// <summary>An actor with no state and no handlers in use</summary>
public sealed class Idle;

public sealed class SpawnStopDriver : IDisposable
{
    readonly Core _core = new(Instant.Zero);

    /// <summary>Spawns N idle actors, drops the owner of each at once, then runs the Core until all have ended</summary>
    public void Run(int actors)
    {
        for (int i = 0; i < actors; i++)
        {
            ActorOwn<Idle> own = _core.Spawn<Idle>(static cx => new Idle(), Ret.Nop<StopCause>());
            own.Dispose();   // last owner gone: the actor ends (Dropped) when the queue reaches it
        }
        _core.Run(_core.Now, idle: false);
    }

    public void Dispose() => _core.Dispose();
}

public static class Footprint
{
    /// <summary>Bytes retained per live idle actor (state, cell and owner handle)</summary>
    /// <param name="count">Number of actors kept alive.</param>
    /// <param name="runEvery">Run the Core after this many spawns (a burst leaves its init nodes in the pool).</param>
    public static double Measure(int count, int runEvery)
    {
        using var core = new Core(Instant.Zero);
        var owners = new ActorOwn<Idle>[count];
        // Warm the pool and the code paths, so the measurement sees only what the live actors keep.
        for (int i = 0; i < 16; i++) core.Spawn<Idle>(static cx => new Idle(), Ret.Nop<StopCause>()).Dispose();
        core.Run(core.Now, idle: false);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < count; i++)
        {
            owners[i] = core.Spawn<Idle>(static cx => new Idle(), Ret.Nop<StopCause>());
            if ((i + 1) % runEvery == 0) core.Run(core.Now, idle: false);
        }
        core.Run(core.Now, idle: false);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        if (owners[count - 1].Actor.State != ActorState.Ready) throw new InvalidOperationException("actors not ready");
        GC.KeepAlive(owners);
        foreach (var o in owners) o.Dispose();
        core.Run(core.Now, idle: false);
        return (after - before) / (double)count;
    }
}

// ---- Timers ----------------------------------------------------------------------------------

/// <summary>A Core with many timers pending far in the future, plus one timer set and fired (or cancelled) per operation</summary>
public sealed class TimerDriver : IDisposable
{
    static long s_fired;
    static readonly Action s_onFire = static () => s_fired++;
    static readonly Action s_never = static () => throw new InvalidOperationException("a far timer fired");
    static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);
    static readonly TimeSpan OneMinute = TimeSpan.FromMinutes(1);

    readonly Core _core = new(Instant.Zero);

    public TimerDriver(int pending)
    {
        // Spread over a range a day away: distinct expiries, as real timeouts would be.
        Instant far = Instant.Zero + TimeSpan.FromDays(1);
        for (int i = 0; i < pending; i++) _core.At(far + TimeSpan.FromTicks(i * 7L), s_never);
        _core.Run(_core.Now, idle: false);
    }

    public int Pending => _core.TimerCount;

    /// <summary>Virtual time: set a timer one tick ahead, advance time by one tick, and let Run fire it</summary>
    public void SetFire(int ops)
    {
        long before = s_fired;
        for (int i = 0; i < ops; i++)
        {
            Instant t = _core.Now + OneTick;
            _core.At(t, s_onFire);
            _core.Run(t, idle: false);
        }
        if (s_fired - before != ops) throw new InvalidOperationException("timers did not fire");
    }

    /// <summary>Set a timer a minute ahead and cancel it at once</summary>
    public void SetCancel(int ops)
    {
        for (int i = 0; i < ops; i++)
        {
            FixedTimerKey key = _core.At(_core.Now + OneMinute, s_onFire);
            if (!_core.TimerDel(key)) throw new InvalidOperationException("timer not pending");
        }
    }

    public void Dispose() => _core.Dispose();
}

// ---- Async boundary --------------------------------------------------------------------------

// Each async case runs one async loop as code on the Core: the driver queues a plain call that
// starts the async method (so it starts inside Core.Run, under the Core's SynchronizationContext),
// then runs the Core until its queue is empty. Every await that does not complete at once resumes
// as a pooled call on the same Core, so when Run returns the whole loop has finished and its Task is
// complete. The driver then checks the loop's result, so a broken run throws instead of timing.

/// <summary>A driver whose case is one async loop started on its Core and run to completion synchronously</summary>
public abstract class AsyncLoopDriver
{
    static readonly Action<AsyncLoopDriver> s_start = static d => d._task = d.Loop();
    Task<long>? _task;

    /// <summary>The async loop; its result is checked by the caller</summary>
    protected abstract Task<long> Loop();

    /// <summary>Queues the start of <see cref="Loop"/> on <paramref name="core"/>, runs the Core until its queue is empty, and returns the loop's result</summary>
    protected long RunLoop(Core core)
    {
        _task = null;
        core.Defer(s_start, this);
        core.Run(core.Now, idle: false);
        Task<long>? task = _task;
        _task = null;
        if (task is null) throw new InvalidOperationException("the async loop did not start");
        if (!task.IsCompleted) throw new InvalidOperationException("the async loop did not finish inside Core.Run");
        return task.GetAwaiter().GetResult();   // rethrows the loop's exception, if any
    }
}

/// <summary><c>await actor.Ask&lt;int&gt;(...)</c> in a loop, from async code running on the Core</summary>
public sealed class AskAwaitDriver : AsyncLoopDriver, IDisposable
{
    readonly Core _core = new(Instant.Zero);
    readonly ActorOwn<Server> _server;
    int _requests;

    public AskAwaitDriver()
    {
        _server = _core.Spawn<Server>(static cx => new Server(), Ret.Nop<StopCause>());
        _core.Run(_core.Now, idle: false);
        Run(100);
    }

    public void Run(int requests)
    {
        _requests = requests;
        long sum = RunLoop(_core);
        if (sum <= 0) throw new InvalidOperationException("AskAwait: bad sum");
    }

    protected override async Task<long> Loop()
    {
        Actor<Server> server = _server.Actor;
        int n = _requests;
        // The server answers ++counter: the answers of one loop are consecutive.
        int first = await server.Ask<int>(static (s, cx, r) => s.Get(cx, r));
        long sum = first;
        for (int i = 1; i < n; i++)
        {
            int v = await server.Ask<int>(static (s, cx, r) => s.Get(cx, r));
            if (v != first + i) throw new InvalidOperationException($"AskAwait: answer {v}, expected {first + i}");
            sum += v;
        }
        return sum;
    }

    public void Dispose()
    {
        _server.Dispose();
        _core.Run(_core.Now, idle: false);
        _core.Dispose();
    }
}

/// <summary>A Ret-backed ValueTask (<c>Pipes.RetToTask</c>) answered, then awaited, in a loop on the Core</summary>
/// <remarks>The answer is in before the await, so the await completes at once (no continuation is
/// queued): this measures the pipe itself, rent + answer + result + recycle of the pooled node.
/// The queued-continuation path is what <see cref="AskAwaitDriver"/> measures.</remarks>
public sealed class RetTaskAwaitDriver : AsyncLoopDriver, IDisposable
{
    readonly Core _core = new(Instant.Zero);
    int _awaits;

    public RetTaskAwaitDriver() => Run(100);

    public void Run(int awaits)
    {
        _awaits = awaits;
        long sum = RunLoop(_core);
        long expected = (long)awaits * (awaits - 1) / 2;
        if (sum != expected) throw new InvalidOperationException($"RetTaskAwait: sum {sum}, expected {expected}");
    }

    protected override async Task<long> Loop()
    {
        Core core = _core;
        int n = _awaits;
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            var (task, ret) = Pipes.RetToTask<int>(core);
            ret.Answer(i);
            sum += await task;
        }
        return sum;
    }

    public void Dispose() => _core.Dispose();
}

/// <summary>Sends the next batch of ints into a push stream's sink each time the consumer asks for more</summary>
sealed class StreamProducer
{
    Fwd<int>? _sink;
    int _next;
    int _total;
    int _batch;
    public int MoreCalls;
    public bool ConsumerGone;

    public void Attach(Cx<StreamProducer> cx, Fwd<int> sink, int total, int batch)
    {
        _sink = sink;
        _next = 0;
        _total = total;
        _batch = batch;
        MoreCalls = 0;
        ConsumerGone = false;
    }

    public void More(Cx<StreamProducer> cx)
    {
        MoreCalls++;
        Fwd<int>? sink = _sink;
        if (sink is null || sink.IsEnded) return;
        int end = Math.Min(_next + _batch, _total);
        for (int i = _next; i < end; i++) sink.Send(i);
        _next = end;
        if (end == _total)
        {
            sink.End();
            _sink = null;
        }
    }

    public void Gone(Cx<StreamProducer> cx, StreamEnd end)
    {
        ConsumerGone = true;
        _sink = null;
    }
}

/// <summary>A 1M-int push stream (<c>Streams.FwdToStream</c>): a producer actor sends batches on "more", async code on the Core reads it with <c>await foreach</c></summary>
public sealed class PushStreamDriver : AsyncLoopDriver, IDisposable
{
    readonly Core _core = new(Instant.Zero);
    readonly ActorOwn<StreamProducer> _producer;
    readonly int _batch;
    IAsyncEnumerable<int>? _stream;
    int _items;

    public PushStreamDriver(int batch)
    {
        _batch = batch;
        _producer = _core.Spawn<StreamProducer>(static cx => new StreamProducer(), Ret.Nop<StopCause>());
        _core.Run(_core.Now, idle: false);
        Run(10_000);
    }

    public void Run(int items)
    {
        // One stream per invocation: a push stream is enumerated once. Its objects (stream, buffer,
        // sink, 'more' Fwd) are allocated once per invocation, i.e. once per 'items' items.
        Fwd<Unit> more = _producer.Actor.Fwd<Unit>(static (p, cx, _) => p.More(cx), static (p, cx, e) => p.Gone(cx, e));
        var (stream, sink) = Streams.FwdToStream<int>(_core, more, capacity: _batch);
        _producer.Call(static (p, cx, s, n, b) => p.Attach(cx, s, n, b), sink, items, _batch);
        _stream = stream;
        _items = items;
        long sum = RunLoop(_core);
        _stream = null;
        long expected = (long)items * (items - 1) / 2;
        if (sum != expected) throw new InvalidOperationException($"PushStream: sum {sum}, expected {expected}");
        int moreCalls = _producer.Actor.Query(static (p, cx) => p.MoreCalls);
        int batches = (items + _batch - 1) / _batch;
        if (moreCalls != batches) throw new InvalidOperationException($"PushStream: {moreCalls} 'more' signals, expected {batches}");
    }

    protected override async Task<long> Loop()
    {
        IAsyncEnumerable<int> stream = _stream!;
        int expect = 0;
        long sum = 0;
        await foreach (int v in stream)
        {
            if (v != expect) throw new InvalidOperationException($"PushStream: item {v}, expected {expect}");
            expect++;
            sum += v;
        }
        if (expect != _items) throw new InvalidOperationException($"PushStream: {expect} items, expected {_items}");
        return sum;
    }

    public void Dispose()
    {
        _producer.Dispose();
        _core.Run(_core.Now, idle: false);
        _core.Dispose();
    }
}
