namespace Stakker.Tests.Load;

/// <summary>After a burst and a quiet second of Core time, the Core gives its memory back, and nothing
/// it keeps for speed holds a dead actor or a call's argument</summary>
[Collection(nameof(AllocationCollection))]
public class MemoryReturnTests
{
    sealed class Sink
    {
        public long Count;
        public void One(Cx<Sink> cx, int x) => Count += x;
        public void Keep(Cx<Sink> cx, object o, int x) => Count += x;
    }

    sealed class Sender(Actor<Sink> sink)
    {
        public void Blast(Cx<Sender> cx, int n)
        {
            for (int i = 0; i < n; i++) sink.Call(static (s, cx, x) => s.One(cx, x), 1);
        }
    }

    static long Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    [Fact]
    public void AMillionCallsFromOneHandlerEach_AfterAQuietSecond_MemoryReturnsToBaseline()
    {
        var core = new Core(Instant.Zero);
        var sink = core.Spawn<Sink>(static cx => new Sink(), Ret.Nop<StopCause>());
        var senders = new ActorOwn<Sender>[1000];
        for (int i = 0; i < senders.Length; i++)
            senders[i] = core.Spawn<Sender, Actor<Sink>>(static (cx, s) => new Sender(s), sink.Actor, Ret.Nop<StopCause>());
        core.Run(core.Now, false);
        core.Run(core.Now + TimeSpan.FromSeconds(2), false);   // a quiet trim of the start-up itself
        long baseline = Settle();

        foreach (var s in senders) s.Call(static (a, cx, n) => a.Blast(cx, n), 1000);
        core.Run(core.Now, false);
        Assert.Equal(1_000_000, sink.Actor.Query(static (a, cx) => a.Count));
        Assert.True(core.Held.OverflowChunks > 100, "the burst went through overflow chunks");

        core.Run(core.Now + TimeSpan.FromSeconds(2), false);   // quiet: nothing grew for a second

        var held = core.Held;
        Assert.Equal(0, held.OverflowChunks);
        Assert.True(held.MainRing <= 64, "main ring back to its smallest size, was " + held.MainRing);
        long after = Settle();
        Assert.True(after - baseline < 1_000_000, $"kept {after - baseline:N0} bytes more than before the burst");
        GC.KeepAlive(senders);
    }

    [Fact]
    public void BurstWithoutAQuietSecond_KeepsItsChunksForTheNextBurst()
    {
        var core = new Core(Instant.Zero);
        var sink = core.Spawn<Sink>(static cx => new Sink(), Ret.Nop<StopCause>());
        var sender = core.Spawn<Sender, Actor<Sink>>(static (cx, s) => new Sender(s), sink.Actor, Ret.Nop<StopCause>());
        core.Run(core.Now, false);

        sender.Call(static (a, cx, n) => a.Blast(cx, n), 100_000);
        core.Run(core.Now + TimeSpan.FromSeconds(1), false);   // a trim is due, but this run grew: not quiet
        int chunks = core.Held.OverflowChunks;
        Assert.True(chunks > 50);
        sender.Call(static (a, cx, n) => a.Blast(cx, n), 100_000);
        core.Run(core.Now + TimeSpan.FromSeconds(0.5), false);
        Assert.Equal(chunks, core.Held.OverflowChunks);   // reused: a repeated burst allocates no chunk

        core.Run(core.Now + TimeSpan.FromSeconds(2), false);
        Assert.Equal(0, core.Held.OverflowChunks);
    }

    [Fact]
    public void DeadActorsAndCallArguments_AreNotReachableFromTheCoreAfterATrim()
    {
        var core = new Core(Instant.Zero);
        var sink = core.Spawn<Sink>(static cx => new Sink(), Ret.Nop<StopCause>());
        core.Run(core.Now, false);
        var weak = new List<WeakReference>();

        // Many short-lived actors, each sent calls carrying objects (inline, node and plain-action shapes).
        void Churn()
        {
            for (int i = 0; i < 5_000; i++)
            {
                var own = core.Spawn<Sink>(static cx => new Sink(), Ret.Nop<StopCause>());
                var arg = new byte[64];
                var state = new object();
                weak.Add(new WeakReference(own.Actor.Cell));
                weak.Add(new WeakReference(arg));
                weak.Add(new WeakReference(state));
                own.Call(static (s, cx, o, x) => s.Keep(cx, o, x), (object)arg, 1);
                own.Call(static (s, cx, x) => s.One(cx, x), 1);
                sink.Call(static (s, cx, o, x) => s.Keep(cx, o, x), (object)arg, 1);
                core.Defer(static o => GC.KeepAlive(o), state);
                own.Dispose();
            }
            core.Run(core.Now, false);
        }
        Churn();
        core.Run(core.Now + TimeSpan.FromSeconds(2), false);

        Settle();
        Assert.All(weak, w => Assert.False(w.IsAlive));
        Assert.Equal(5_000, sink.Actor.Query(static (a, cx) => a.Count));
    }

    sealed class Idle;

    static double BytesPerSpawn(int count, int runEvery)
    {
        var core = new Core(Instant.Zero);
        var owners = new ActorOwn<Idle>[count];
        for (int i = 0; i < 2_000; i++) core.Spawn<Idle>(static cx => new Idle(), Ret.Nop<StopCause>()).Dispose();
        core.Run(core.Now, false);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < count; i++)
        {
            owners[i] = core.Spawn<Idle>(static cx => new Idle(), Ret.Nop<StopCause>());
            if ((i + 1) % runEvery == 0) core.Run(core.Now, false);
        }
        core.Run(core.Now, false);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(ActorState.Ready, owners[^1].Actor.State);
        return (after - before) / (double)count;
    }

    [Fact]
    public void BurstOfSpawnsBeforeARun_AllocatesAtMostAQuarterMorePerActorThanSpawnsBetweenRuns()
    {
        double interleaved = BytesPerSpawn(100_000, runEvery: 1_000);
        double burst = BytesPerSpawn(100_000, runEvery: int.MaxValue);
        Assert.True(burst <= 1.25 * interleaved, $"burst {burst:F0} B/actor, interleaved {interleaved:F0} B/actor");
    }

    [Fact]
    public void TimersSetAndCancelledInABurst_SpaceIsGivenBack_AndOldKeysNeverMatchNewTimers()
    {
        var core = new Core(Instant.Zero);
        var keys = new FixedTimerKey[100_000];
        for (int i = 0; i < keys.Length; i++) keys[i] = core.After(TimeSpan.FromSeconds(10), static () => { });
        for (int i = 0; i < keys.Length; i++) Assert.True(core.TimerDel(keys[i]));
        core.Run(core.Now, false);
        Assert.True(core.Held.TimerSlots >= keys.Length);
        core.Run(core.Now + TimeSpan.FromSeconds(2), false);
        Assert.True(core.Held.TimerSlots <= 64, "slot table cut back, is " + core.Held.TimerSlots);
        Assert.True(core.Held.FreeNodes <= 64, "free nodes cut back, are " + core.Held.FreeNodes);

        int fired = 0;
        var fresh = new FixedTimerKey[keys.Length];
        for (int i = 0; i < fresh.Length; i++) fresh[i] = core.After(TimeSpan.FromSeconds(1), () => fired++);
        foreach (var k in keys) Assert.False(core.TimerDel(k));   // stale keys of cut slots match nothing
        core.Run(core.Now + TimeSpan.FromSeconds(1), false);
        Assert.Equal(fresh.Length, fired);
    }
}
