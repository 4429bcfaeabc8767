namespace Stakker.Tests.Async;

public class CoroutineTests
{
    sealed class Worker
    {
        public int Served;
        public readonly List<string> Log = [];
        public Worker(Cx<Worker> cx) { }

        public int Ping(Cx<Worker> cx) => ++Served;

        public void StartLongJob(Cx<Worker> cx, TimeSpan d) =>
            _ = cx.StartAsync(async co =>
            {
                co.State.Log.Add($"start {co.Now.SinceZero.TotalSeconds}");
                await co.Delay(d);
                co.State.Log.Add($"end {co.Now.SinceZero.TotalSeconds} served {co.State.Served}");
            });
    }

    [Fact]
    public void Coroutine_AwaitingTenSecondDelay_ActorKeepsServingCalls()
    {
        var core = new Core(Instant.Zero);
        using var w = core.Spawn<Worker>(static cx => new Worker(cx), Ret.Nop<StopCause>());
        w.Call(static (a, cx, d) => a.StartLongJob(cx, d), TimeSpan.FromSeconds(10));
        core.Run(core.Now, false);
        for (int s = 1; s <= 9; s++)
        {
            w.Call(static (a, cx) => a.Ping(cx));
            core.Run(Instant.Zero + TimeSpan.FromSeconds(s), false);
            Assert.Equal(s, w.Actor.Query(static (a, cx) => a.Served));   // served while the coroutine awaits
            Assert.Single(w.Actor.Query(static (a, cx) => a.Log));
        }
        core.Run(Instant.Zero + TimeSpan.FromSeconds(10), false);
        Assert.Equal(["start 0", "end 10 served 9"], w.Actor.Query(static (a, cx) => a.Log));
    }

    sealed class Counter
    {
        public int Value;
        public readonly List<int> Seen = [];
        public Counter(Cx<Counter> cx) { }
    }

    [Fact]
    public void Coroutines_SeveralAtOnce_InterleaveAndShareState()
    {
        var core = new Core(Instant.Zero);
        using var c = core.Spawn<Counter>(static cx => new Counter(cx), Ret.Nop<StopCause>());
        for (int k = 1; k <= 3; k++)
        {
            c.Call(static (a, cx, k) => _ = cx.StartAsync(async co =>
            {
                for (int i = 0; i < 3; i++)
                {
                    await co.Delay(TimeSpan.FromSeconds(k));
                    co.State.Value++;
                    co.State.Seen.Add(k * 100 + (int)co.Now.SinceZero.TotalSeconds);
                }
            }), k);
        }
        AsyncTestDriver.RunVirtual(core, () => c.Actor.Query(static (a, cx) => a.Value) == 9);
        // Ordered by virtual time (equal times in the order the delays were set), so the steps interleave.
        Assert.Equal([101, 202, 102, 303, 103, 204, 306, 206, 309], c.Actor.Query(static (a, cx) => a.Seen));
    }

    [Fact]
    public void Coroutine_Throws_ActorFails()
    {
        var core = new Core(Instant.Zero);
        StopCause? cause = null;
        using var c = core.Spawn<Counter>(static cx => new Counter(cx), Ret.From<StopCause>(core, a => cause = a.Value));
        c.Call(static (a, cx) => _ = cx.StartAsync(async co =>
        {
            await co.Delay(TimeSpan.FromSeconds(1));
            throw new InvalidOperationException("boom");
        }));
        AsyncTestDriver.RunVirtual(core, () => cause is not null);
        Assert.Equal(StopKind.Failed, cause!.Kind);
        Assert.Equal("boom", cause.Error!.Message);
    }

    sealed class Victim
    {
        public readonly List<string> Log;
        public Victim(Cx<Victim> cx, List<string> log) => Log = log;

        public void Start(Cx<Victim> cx, ActorEndPolicy policy) =>
            _ = cx.StartAsync(async co =>
            {
                var log = co.State.Log;
                try
                {
                    log.Add("before");
                    await co.Delay(TimeSpan.FromSeconds(10));
                    log.Add("after: state " + co.State.Log.Count);
                }
                catch (ActorFail) { log.Add("ActorFail"); }
                finally { log.Add("finally"); }
            }, policy);
    }

    [Fact]
    public void Coroutine_ActorEndsWhileAwaiting_DropPolicy_NothingMoreRuns()
    {
        var (log, stopped) = EndDuringAwait(ActorEndPolicy.Drop);
        Assert.Equal(["before"], log);
        Assert.Equal(StopKind.Killed, stopped!.Kind);
    }

    [Fact]
    public void Coroutine_ActorEndsWhileAwaiting_SurfacePolicy_AwaitThrowsActorFailOutsideActor()
    {
        var (log, _) = EndDuringAwait(ActorEndPolicy.Surface);
        Assert.Equal(["before", "ActorFail", "finally"], log);
    }

    static (List<string> Log, StopCause? Cause) EndDuringAwait(ActorEndPolicy policy)
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        StopCause? cause = null;
        var v = core.Spawn<Victim, List<string>>(static (cx, l) => new Victim(cx, l), log, Ret.From<StopCause>(core, a => cause = a.Value));
        v.Call(static (a, cx, p) => a.Start(cx, p), policy);
        core.Run(Instant.Zero + TimeSpan.FromSeconds(1), false);
        v.Kill("stop now");
        AsyncTestDriver.RunVirtual(core, () => false, TimeSpan.FromSeconds(30));
        return (log, cause);
    }

    [Fact]
    public void Coroutine_StateTouchedAfterConfigureAwaitFalse_Throws()
    {
        var core = new Core(Instant.Zero);
        Exception? seen = null;
        bool done = false;
        int coreThread = Environment.CurrentManagedThreadId;
        using var c = core.Spawn<Counter>(static cx => new Counter(cx), Ret.Nop<StopCause>());
#pragma warning disable STK0005 // the test reads what the coroutine saw through the captured locals
        c.Call((a, cx) => _ = cx.StartAsync(async co =>
        {
            await Task.Yield();
            // A task already complete at the await goes on synchronously, still on the Core: await
            // until the continuation really is on another thread.
            do await Task.Run(static () => { }).ConfigureAwait(false);
            while (Environment.CurrentManagedThreadId == coreThread);
            try { _ = co.State; } catch (Exception ex) { seen = ex; }
            done = true;
        }));
#pragma warning restore STK0005
        AsyncTestDriver.RunWithWakes(core, () => Volatile.Read(ref done), TimeSpan.FromSeconds(30));
        Assert.IsType<InvalidOperationException>(seen);
        Assert.Contains("Core", seen!.Message);
    }

    [Fact]
    public void Coroutine_AwaitsTaskCompletedOnThreadPool_ResumesOnActor()
    {
        var core = new Core(Instant.Zero);
        int coreThread = Environment.CurrentManagedThreadId;
        var threads = new List<int>();
        using var c = core.Spawn<Counter>(static cx => new Counter(cx), Ret.Nop<StopCause>());
        c.Call(static (a, cx, threads) => _ = cx.StartAsync(async co =>
        {
            for (int i = 0; i < 100; i++)
            {
                int v = await Task.Run(() => i);
                threads.Add(Environment.CurrentManagedThreadId);
                co.State.Value += v;
            }
        }), threads);
        AsyncTestDriver.RunWithWakes(core, () => threads.Count == 100, TimeSpan.FromSeconds(30));
        Assert.All(threads, t => Assert.Equal(coreThread, t));
        Assert.Equal(4950, c.Actor.Query(static (a, cx) => a.Value));
    }

    sealed class EagerStarter
    {
        public readonly List<string> Log = [];
        public EagerStarter(Cx<EagerStarter> cx)
        {
            _ = cx.StartAsync(static async co =>
            {
                co.State.Log.Add("coroutine first turn");
                await co.Delay(TimeSpan.FromSeconds(1));
                co.State.Log.Add("coroutine second turn");
            });
            cx.This.Call(static (a, cx) => a.Log.Add("call queued in init"));
        }
    }

    [Fact]
    public void Coroutine_StartedDuringInit_BeginsOnceActorIsReady()
    {
        var core = new Core(Instant.Zero);
        using var e = core.Spawn<EagerStarter>(static cx => new EagerStarter(cx), Ret.Nop<StopCause>());
        AsyncTestDriver.RunVirtual(core, () => e.Actor.TryQuery(static (a, cx) => a.Log.Count, out int n) && n == 3);
        Assert.Equal(["coroutine first turn", "call queued in init", "coroutine second turn"], e.Actor.Query(static (a, cx) => a.Log));
    }
}
