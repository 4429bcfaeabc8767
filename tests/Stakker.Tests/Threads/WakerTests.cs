using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Stakker.Tests.Threads;

public class WakerTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Records every handler call: false for a wake, true for "dropped"</summary>
    static (Waker Waker, List<bool> Calls) Make(Core core)
    {
        var calls = new List<bool>();
        return (core.CreateWaker(Fwd.From<bool>(core, calls.Add)), calls);
    }

    // ---- the stress test ------------------------------------------------------------------------

    /// <summary>What the handlers received, per producer thread (Core thread only)</summary>
    sealed class Tally(ConcurrentQueue<int>[] queues)
    {
        public readonly int[] Next = new int[queues.Length];
        public readonly int[] WakeCalls = new int[queues.Length];
        public readonly int[] DropCalls = new int[queues.Length];
        public long Received;
        public int OutOfOrder;
        public int AfterDrop;

        public void Drain(int k, bool dropped)
        {
            if (DropCalls[k] > 0) AfterDrop++;
            if (dropped) DropCalls[k]++;
            else WakeCalls[k]++;
            // Drain on both: a wake racing with the dispose may be folded into the "dropped" call.
            while (queues[k].TryDequeue(out int v))
            {
                if (v != Next[k]) OutOfOrder++;
                Next[k] = v + 1;
                Received++;
            }
        }
    }

    sealed class Drainer(Tally tally)
    {
        public void OnWake(Cx<Drainer> cx, int k, bool dropped) => tally.Drain(k, dropped);
    }

    [Fact]
    public void Wake_EightThreadsMillionWakesEach_EveryItemReceivedOnceInOrderAndNoWakeLost()
    {
        const int Threads = 8;
        const int PerThread = 1_000_000;
        var core = new Core(Instant.Zero);
        var queues = new ConcurrentQueue<int>[Threads];
        for (int k = 0; k < Threads; k++) queues[k] = new ConcurrentQueue<int>();
        var tally = new Tally(queues);
        using var drainer = core.Spawn<Drainer, Tally>(static (cx, t) => new Drainer(t), tally, Ret.Nop<StopCause>());
        core.Run(core.Now, false);

        var wakers = new Waker[Threads];
        for (int k = 0; k < Threads; k++)
        {
            int id = k;
            // Half the handlers are plain callbacks, half forward into an actor.
            Fwd<bool> handler = k % 2 == 0
                ? Fwd.From<bool>(core, d => tally.Drain(id, d))
                : drainer.Actor.Fwd<bool>((a, cx, d) => a.OnWake(cx, id, d));
            wakers[k] = core.CreateWaker(handler);
        }
        Assert.Equal(Threads, core.WakerCount);

        using var start = new Barrier(Threads);
        var threads = new Thread[Threads];
        for (int k = 0; k < Threads; k++)
        {
            var q = queues[k];
            var w = wakers[k];
            threads[k] = new Thread(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < PerThread; i++)
                {
                    q.Enqueue(i);
                    w.Wake();
                }
                w.Dispose();
            }) { IsBackground = true };
            threads[k].Start();
        }

        var sw = Stopwatch.StartNew();
        while (tally.Received < (long)Threads * PerThread || core.WakerCount > 0)
        {
            TimeSpan left = Deadline - sw.Elapsed;
            Assert.True(left > TimeSpan.Zero,
                $"deadline passed: received {tally.Received} of {(long)Threads * PerThread}, {core.WakerCount} wakers not reported dropped, next = [{string.Join(",", tally.Next)}]");
            core.WaitForWake(left);
            core.Run(core.Now, false);
        }
        foreach (var t in threads) Assert.True(t.Join(Deadline - sw.Elapsed + TimeSpan.FromSeconds(1)));
        core.Run(core.Now, false);

        Assert.Equal((long)Threads * PerThread, tally.Received);
        Assert.Equal(0, tally.OutOfOrder);
        Assert.Equal(0, tally.AfterDrop);
        for (int k = 0; k < Threads; k++)
        {
            Assert.Equal(PerThread, tally.Next[k]);
            Assert.True(queues[k].IsEmpty);
            Assert.Equal(1, tally.DropCalls[k]);
            Assert.InRange(tally.WakeCalls[k], 0, PerThread);   // coalesced: never more calls than wakes
        }
        Assert.Equal(0, core.WakerCount);
    }

    /// <summary>One waker, one producer in a tight loop, and an eager driver (busy polling, or short
    /// waits): many collections find nothing new, which is where a collection racing with a wake can
    /// lose it. A lost wake cannot be hidden here by another waker's wake: the waker stays "pending"
    /// forever and nothing more arrives.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Wake_SingleProducerEagerDriver_NoWakeLost(bool busyPoll)
    {
        const int PerRound = 1_000_000;
        var sw = Stopwatch.StartNew();
        int rounds = 0;
        while (sw.Elapsed < TimeSpan.FromSeconds(4) || rounds < 2)
        {
            rounds++;
            var core = new Core(Instant.Zero);
            if (busyPoll) core.SetPollWaker(static () => { });   // the driver polls, it need not be told
            var queue = new ConcurrentQueue<int>();
            var tally = new Tally([queue]);
            var w = core.CreateWaker(Fwd.From<bool>(core, d => tally.Drain(0, d)));
            int done = 0;
            var producer = new Thread(() =>
            {
                for (int i = 0; i < PerRound; i++)
                {
                    queue.Enqueue(i);
                    w.Wake();
                }
                Volatile.Write(ref done, 1);
            }) { IsBackground = true };
            producer.Start();
            var quiet = Stopwatch.StartNew();
            while (tally.Received < PerRound)
            {
                Assert.True(sw.Elapsed < Deadline, $"deadline passed in round {rounds}: received {tally.Received}");
                long before = tally.Received;
                if (!busyPoll) core.WaitForWake(TimeSpan.FromMilliseconds(1));
                core.Run(core.Now, false);
                if (tally.Received != before) quiet.Restart();
                // Everything was made and queued, yet nothing has arrived for a long time: a lost wake.
                Assert.False(Volatile.Read(ref done) == 1 && quiet.Elapsed > TimeSpan.FromSeconds(2),
                    $"lost wake in round {rounds}: received {tally.Received} of {PerRound}, {queue.Count} left in the queue");
            }
            Assert.True(producer.Join(Deadline));
            Assert.Equal(0, tally.OutOfOrder);
            w.Dispose();
        }
    }

    // ---- coalescing and re-arming (single thread, deterministic) -------------------------------

    [Fact]
    public void Wake_SeveralBeforeRun_CoalesceIntoOneCall()
    {
        var core = new Core(Instant.Zero);
        var (w, calls) = Make(core);
        w.Wake();
        w.Wake();
        w.Wake();
        Assert.Empty(calls);   // delivered only by Run, on the Core's thread
        core.Run(core.Now, false);
        Assert.Equal([false], calls);
        core.Run(core.Now, false);
        Assert.Equal([false], calls);
        w.Wake();
        core.Run(core.Now, false);
        Assert.Equal([false, false], calls);
    }

    [Fact]
    public void Wake_DuringCallbackHandler_CausesAnotherCall()
    {
        var core = new Core(Instant.Zero);
        var calls = new List<bool>();
        Waker? w = null;
        w = core.CreateWaker(Fwd.From<bool>(core, d =>
        {
            calls.Add(d);
            if (calls.Count == 1) w!.Wake();
        }));
        w.Wake();
        core.Run(core.Now, false);
        // A synchronous handler's re-wake may be collected in the same pass or by the next Run; never lost.
        if (calls.Count == 1) core.Run(core.Now, false);
        Assert.Equal([false, false], calls);
        core.Run(core.Now, false);
        Assert.Equal([false, false], calls);
        Assert.False(core.WaitForWake(TimeSpan.Zero));
    }

    sealed class Rewaker
    {
        public Waker? Waker;
        public int Calls;
        public void OnWake(Cx<Rewaker> cx, bool dropped)
        {
            if (++Calls == 1) Waker!.Wake();
        }
    }

    [Fact]
    public void Wake_DuringActorHandler_CausesAnotherCallOnTheNextRun()
    {
        var core = new Core(Instant.Zero);
        using var a = core.Spawn<Rewaker>(static cx => new Rewaker(), Ret.Nop<StopCause>());
        core.Run(core.Now, false);
        var w = core.CreateWaker(a.Actor.Fwd<bool>(static (r, cx, d) => r.OnWake(cx, d)));
        a.Actor.Query((r, cx) => r.Waker = w);
        w.Wake();
        core.Run(core.Now, false);
        Assert.Equal(1, a.Actor.Query(static (r, cx) => r.Calls));
        Assert.True(core.WaitForWake(TimeSpan.Zero));
        core.Run(core.Now, false);
        Assert.Equal(2, a.Actor.Query(static (r, cx) => r.Calls));
        Assert.False(core.WaitForWake(TimeSpan.Zero));
        w.Dispose();
    }

    [Fact]
    public void Wake_HandlerIntoActor_ActorCallRunsInTheSameRun()
    {
        var core = new Core(Instant.Zero);
        var queue = new ConcurrentQueue<int>();
        var tally = new Tally([queue]);
        using var d = core.Spawn<Drainer, Tally>(static (cx, t) => new Drainer(t), tally, Ret.Nop<StopCause>());
        var w = core.CreateWaker(d.Actor.Fwd<bool>(static (a, cx, x) => a.OnWake(cx, 0, x)));
        queue.Enqueue(0);
        queue.Enqueue(1);
        w.Wake();
        core.Run(core.Now, false);   // init, then the wake's call into the actor
        Assert.Equal(2, tally.Received);
        Assert.Equal(1, tally.WakeCalls[0]);
        w.Dispose();
    }

    [Fact]
    public void WaitForWake_NothingPending_TimesOutAtOnceWithZeroTimeout()
    {
        var core = new Core(Instant.Zero);
        var (w, _) = Make(core);
        Assert.False(core.WaitForWake(TimeSpan.Zero));
        w.Wake();
        Assert.True(core.WaitForWake(TimeSpan.Zero));
        Assert.True(core.WaitForWake(TimeSpan.Zero));   // still pending until collected
        core.Run(core.Now, false);
        Assert.False(core.WaitForWake(TimeSpan.Zero));
    }

    [Fact]
    public void WaitForWake_WokenFromAnotherThread_ReturnsTrue()
    {
        var core = new Core(Instant.Zero);
        var (w, calls) = Make(core);
        var t = new Thread(w.Wake);
        t.Start();
        Assert.True(core.WaitForWake(Deadline));
        Assert.True(t.Join(Deadline));
        core.Run(core.Now, false);
        Assert.Equal([false], calls);
    }

    sealed class Waiter
    {
        public Exception? Caught;
        public void Wait(Cx<Waiter> cx)
        {
#pragma warning disable STK0007 // waiting inside a handler is the mistake under test
            try { cx.Core.WaitForWake(TimeSpan.Zero); }
#pragma warning restore STK0007
            catch (Exception ex) { Caught = ex; }
        }
    }

    [Fact]
    public void WaitForWake_InsideHandler_ThrowsInvalidOperationException()
    {
        var core = new Core(Instant.Zero);
        using var a = core.Spawn<Waiter>(static cx => new Waiter(), Ret.Nop<StopCause>());
        a.Call(static (x, cx) => x.Wait(cx));
        core.Run(core.Now, false);
        Assert.IsType<InvalidOperationException>(a.Actor.Query(static (x, cx) => x.Caught));
    }

    [Fact]
    public void SetPollWaker_SeveralWakes_CalledOnceOnFirstWakeAfterEachCollection()
    {
        var core = new Core(Instant.Zero);
        int polls = 0;
        core.SetPollWaker(() => Interlocked.Increment(ref polls));
        var (a, callsA) = Make(core);
        var (b, callsB) = Make(core);
        a.Wake();
        Assert.Equal(1, polls);
        b.Wake();
        a.Wake();
        Assert.Equal(1, polls);
        core.Run(core.Now, false);
        Assert.Equal([false], callsA);
        Assert.Equal([false], callsB);
        Assert.Equal(1, polls);
        b.Wake();
        Assert.Equal(2, polls);
        core.Run(core.Now, false);
        Assert.Equal([false, false], callsB);
        a.Dispose();
        Assert.Equal(3, polls);   // a dispose is reported like a wake
        b.Dispose();
        core.Run(core.Now, false);
        Assert.Equal(0, core.WakerCount);
    }

    // ---- dispose, finalization, count -----------------------------------------------------------

    [Fact]
    public void Dispose_Twice_DeliversTrueExactlyOnceOnNextRun()
    {
        var core = new Core(Instant.Zero);
        var (w, calls) = Make(core);
        Assert.Equal(1, core.WakerCount);
        w.Dispose();
        w.Dispose();
        Assert.Empty(calls);
        Assert.Equal(1, core.WakerCount);   // counted until the Core has reported it
        core.Run(core.Now, false);
        Assert.Equal([true], calls);
        Assert.Equal(0, core.WakerCount);
        w.Wake();   // after dispose: ignored
        w.Dispose();
        core.Run(core.Now, false);
        core.Run(core.Now, false);
        Assert.Equal([true], calls);
    }

    [Fact]
    public void Dispose_AfterPendingWake_DroppedCallIsLastAndOnlyOnce()
    {
        var core = new Core(Instant.Zero);
        var (w, calls) = Make(core);
        w.Wake();
        w.Dispose();
        core.Run(core.Now, false);
        core.Run(core.Now, false);
        Assert.Equal(1, calls.Count(c => c));
        Assert.True(calls[^1]);
        Assert.True(calls.Count <= 2);
    }

    [Fact]
    public void Dispose_FromAnotherThread_DeliversTrueOnceOnCoreThread()
    {
        var core = new Core(Instant.Zero);
        var threadIds = new List<int>();
        var calls = new List<bool>();
        var w = core.CreateWaker(Fwd.From<bool>(core, d => { calls.Add(d); threadIds.Add(Environment.CurrentManagedThreadId); }));
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(w.Dispose)).ToList();
        threads.ForEach(t => t.Start());
        Assert.True(core.WaitForWake(Deadline));
        threads.ForEach(t => Assert.True(t.Join(Deadline)));
        core.Run(core.Now, false);
        Assert.Equal([true], calls);
        Assert.Equal([Environment.CurrentManagedThreadId], threadIds);
        Assert.Equal(0, core.WakerCount);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void CreateAndAbandon(Core core, List<bool> calls) => core.CreateWaker(Fwd.From<bool>(core, calls.Add)).Wake();

    [Fact]
    public void Finalizer_WakerCollectedUndisposed_IsReportedDropped()
    {
        var core = new Core(Instant.Zero);
        var calls = new List<bool>();
        CreateAndAbandon(core, calls);
        core.Run(core.Now, false);
        Assert.Equal([false], calls);
        Assert.Equal(1, core.WakerCount);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        core.Run(core.Now, false);
        Assert.Equal([false, true], calls);
        Assert.Equal(0, core.WakerCount);
    }

    [Fact]
    public void Finalizer_DisposedWaker_ReportsOnlyOnce()
    {
        var core = new Core(Instant.Zero);
        var calls = new List<bool>();
        DisposeAndAbandon(core, calls);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        core.Run(core.Now, false);
        core.Run(core.Now, false);
        Assert.Equal([true], calls);
        Assert.Equal(0, core.WakerCount);

        [MethodImpl(MethodImplOptions.NoInlining)]
        static void DisposeAndAbandon(Core core, List<bool> calls) => core.CreateWaker(Fwd.From<bool>(core, calls.Add)).Dispose();
    }

    [Fact]
    public void WakerCount_WakersCreatedAndDisposed_CountsUntilDropIsReported()
    {
        var core = new Core(Instant.Zero);
        Assert.Equal(0, core.WakerCount);
        var ws = Enumerable.Range(0, 5).Select(_ => Make(core).Waker).ToList();
        Assert.Equal(5, core.WakerCount);
        ws[1].Dispose();
        ws[3].Dispose();
        core.Run(core.Now, false);
        Assert.Equal(3, core.WakerCount);
        ws.ForEach(w => w.Dispose());
        core.Run(core.Now, false);
        Assert.Equal(0, core.WakerCount);
    }

    [Fact]
    public void CreateWaker_FromAnotherThread_Throws()
    {
        var core = new Core(Instant.Zero);
        Exception? caught = null;
        var t = new Thread(() =>
        {
#pragma warning disable STK0008 // only the refusal matters: the call throws before a waker exists
            try { core.CreateWaker(Fwd.Nop<bool>()); }
#pragma warning restore STK0008
            catch (Exception ex) { caught = ex; }
        });
        t.Start();
        Assert.True(t.Join(Deadline));
        Assert.IsType<InvalidOperationException>(caught);
        Assert.Equal(0, core.WakerCount);
    }

    [Fact]
    public void CreateWaker_NullHandlerOrDisposedCore_Throws()
    {
        var core = new Core(Instant.Zero);
        Assert.Throws<ArgumentNullException>(() => core.CreateWaker(null!));
        core.Dispose();
        Assert.Throws<ObjectDisposedException>(() => core.CreateWaker(Fwd.Nop<bool>()));
    }

    // ---- stakker.md 41: random wakes, drops and adds on one thread ------------------------------

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Wake_RandomWakesDropsAndAdds_EveryWokenWakerCalledOnceAndEveryDropReportedOnce(int seed)
    {
        var rnd = new Random(seed);
        var core = new Core(Instant.Zero);
        var wakeCalls = new List<int>();
        var dropCalls = new List<int>();
        var wakers = new List<Waker>();
        var live = new List<int>();
        var woken = new HashSet<int>();
        var droppedSinceRun = new HashSet<int>();
        var dropReported = new Dictionary<int, int>();

        void Add()
        {
            int id = wakers.Count;
            wakers.Add(core.CreateWaker(Fwd.From<bool>(core, d => (d ? dropCalls : wakeCalls).Add(id))));
            live.Add(id);
        }

        for (int i = 0; i < 320; i++) Add();
        int created = 320;
        while (live.Count > 0)
        {
            int op = rnd.Next(100);
            if (op < 10)
            {
                wakeCalls.Clear();
                dropCalls.Clear();
                core.Run(core.Now, false);
                // Every woken, still live waker is called once; dropped ones get "true" once and nothing else.
                Assert.Equal(woken.Order(), wakeCalls.Order());
                Assert.Equal(droppedSinceRun.Order(), dropCalls.Order());
                foreach (int id in dropCalls) dropReported[id] = dropReported.GetValueOrDefault(id) + 1;
                woken.Clear();
                droppedSinceRun.Clear();
                Assert.Equal(live.Count, core.WakerCount);
            }
            else if (op < 60)
            {
                int id = live[rnd.Next(live.Count)];
                wakers[id].Wake();
                woken.Add(id);
            }
            else if (op < 80 || created >= 3_000)
            {
                int i = rnd.Next(live.Count);
                int id = live[i];
                live.RemoveAt(i);
                wakers[id].Dispose();
                woken.Remove(id);   // a wake pending at drop time is folded into the drop
                droppedSinceRun.Add(id);
                if (rnd.Next(4) == 0) wakers[id].Wake();   // wakes after dispose are ignored
            }
            else
            {
                Add();
                created++;
            }
        }
        dropCalls.Clear();
        core.Run(core.Now, false);
        foreach (int id in dropCalls) dropReported[id] = dropReported.GetValueOrDefault(id) + 1;
        Assert.Equal(created, dropReported.Count);
        Assert.All(dropReported.Values, n => Assert.Equal(1, n));
        Assert.Equal(0, core.WakerCount);
    }
}
