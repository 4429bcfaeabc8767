namespace Stakker.Tests.Load;

/// <summary>Runs the allocation tests alone: a GC forced by a test running in parallel can disturb the
/// per-thread allocation counter</summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;

/// <summary>Warm calls allocate nothing: nodes, Ret end-points and timer entries come from per-Core pools</summary>
[Collection(nameof(AllocationCollection))]
public class AllocationTests
{
    const int N = 100_000;

    sealed class Sink
    {
        public long Count;
        public long Sum;
        public void Zero(Cx<Sink> cx) => Count++;
        public void One(Cx<Sink> cx, int x) { Count++; Sum += x; }
        public void Two(Cx<Sink> cx, int x, long y) { Count++; Sum += x + y; }
        public void Get(Cx<Sink> cx, Ret<int> ret) { Count++; ret.Answer(7); }
        public void Tick(Cx<Sink> cx) => Count++;
    }

    sealed class Asker
    {
        public long Got;
        public void Ask(Cx<Asker> cx, Actor<Sink> sink) =>
            sink.Call(static (s, cx, r) => s.Get(cx, r), cx.Ret<int>(static (a, cx, v) => a.Got += v.Value));
    }

    static (Core, ActorOwn<Sink>) Start()
    {
        var core = new Core(Instant.Zero);
        var sink = core.Spawn<Sink>(static cx => new Sink(), Ret.Nop<StopCause>());
        core.Run(core.Now, false);
        return (core, sink);
    }

    static long Count(ActorOwn<Sink> s) => s.Actor.Query(static (a, cx) => a.Count);

    static void ZeroArg(Core core, Actor<Sink> s)
    {
        for (int i = 0; i < N; i++) s.Call(static (a, cx) => a.Zero(cx));
        core.Run(core.Now, false);
    }

    static void OneArg(Core core, Actor<Sink> s)
    {
        for (int i = 0; i < N; i++) s.Call(static (a, cx, x) => a.One(cx, x), i);
        core.Run(core.Now, false);
    }

    static void TwoArgs(Core core, Actor<Sink> s)
    {
        for (int i = 0; i < N; i++) s.Call(static (a, cx, x, y) => a.Two(cx, x, y), i, 1L);
        core.Run(core.Now, false);
    }

    static void RoundTrip(Core core, Actor<Asker> asker, Actor<Sink> s)
    {
        for (int i = 0; i < N; i++) asker.Call(static (a, cx, t) => a.Ask(cx, t), s);
        core.Run(core.Now, false);
    }

    static void Forward(Core core, Fwd<int> fwd)
    {
        for (int i = 0; i < N; i++) fwd.Send(i);
        core.Run(core.Now, false);
    }

    static void Timers(Core core, Actor<Sink> s)
    {
        s.Query(static (a, cx) =>
        {
            for (int i = 0; i < N; i++) cx.After(TimeSpan.FromTicks(1 + i % 1000), static (a, cx) => a.Tick(cx));
            return 0;
        });
        core.Run(core.Now + TimeSpan.FromSeconds(1), false);
    }

    static void CrossCalls(Core core, Actor<Sink> s)
    {
        for (int i = 0; i < N / 100; i++)
        {
            for (int j = 0; j < 100; j++) s.Call(static (a, cx, x) => a.One(cx, x), j);
            core.Run(core.Now, false);
        }
    }

    /// <summary>Bytes allocated by one warm run of <paramref name="body"/>: the least of three
    /// measurements, since the runtime can rarely charge a few bytes of its own to this thread; an
    /// allocation per call (at least N * 24 bytes) shows in every one of them</summary>
    static long Measure<TState>(Action<TState> body, TState state)
    {
        body(state);   // warm-up: JIT, pools sized for the burst
        long least = long.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            body(state);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }

    [Fact]
    public void Call_CapturingLambda_AllocationIsMeasured()
    {
        // Control: the measurement does see allocations, so the zero results below mean something.
        var (core, s) = Start();
        long bytes = Measure(static x =>
        {
            for (int i = 0; i < N; i++)
            {
                int captured = i;
#pragma warning disable STK0005 // the control case: a capturing handler, so that allocations are seen
                x.s.Call((a, cx) => a.One(cx, captured));
#pragma warning restore STK0005
            }
            x.core.Run(x.core.Now, false);
        }, (core, s: s.Actor));
        Assert.True(bytes >= N * 24L, $"{bytes} bytes");
        Assert.Equal(4 * N, Count(s));
    }

    [Fact]
    public void Call_ZeroArgsWarm_AllocatesNothing()
    {
        var (core, s) = Start();
        Assert.Equal(0, Measure(static x => ZeroArg(x.core, x.s), (core, s: s.Actor)));
        Assert.Equal(4 * N, Count(s));
    }

    [Fact]
    public void Call_OneArgWarm_AllocatesNothing()
    {
        var (core, s) = Start();
        Assert.Equal(0, Measure(static x => OneArg(x.core, x.s), (core, s: s.Actor)));
        Assert.Equal(4 * N, Count(s));
    }

    [Fact]
    public void Call_TwoArgsWarm_AllocatesNothing()
    {
        var (core, s) = Start();
        Assert.Equal(0, Measure(static x => TwoArgs(x.core, x.s), (core, s: s.Actor)));
        Assert.Equal(4 * N, Count(s));
    }

    [Fact]
    public void Call_SmallBatchesWithRunBetween_AllocatesNothing()
    {
        var (core, s) = Start();
        Assert.Equal(0, Measure(static x => CrossCalls(x.core, x.s), (core, s: s.Actor)));
        Assert.Equal(4 * N, Count(s));
    }

    [Fact]
    public void RetAnswer_RoundTripWarm_AllocatesNothing()
    {
        var (core, s) = Start();
        using var asker = core.Spawn<Asker>(static cx => new Asker(), Ret.Nop<StopCause>());
        core.Run(core.Now, false);
        Assert.Equal(0, Measure(static x => RoundTrip(x.core, x.asker, x.s), (core, asker: asker.Actor, s: s.Actor)));
        Assert.Equal(4 * N, Count(s));
        Assert.Equal(Count(s) * 7, asker.Actor.Query(static (a, cx) => a.Got));
    }

    [Fact]
    public void FwdSend_ToActorWarm_AllocatesNothing()
    {
        var (core, s) = Start();
        Fwd<int> fwd = s.Actor.Fwd<int>(static (a, cx, x) => a.One(cx, x));
        Assert.Equal(0, Measure(static x => Forward(x.core, x.fwd), (core, fwd)));
        Assert.Equal(4 * N, Count(s));
    }

    [Fact]
    public void CxAfter_SetAndFireWarm_AllocatesNothing()
    {
        var (core, s) = Start();
        Assert.Equal(0, Measure(static x => Timers(x.core, x.s), (core, s: s.Actor)));
        Assert.Equal(4 * N, Count(s));
        Assert.Equal(0, core.TimerCount);
    }
}
