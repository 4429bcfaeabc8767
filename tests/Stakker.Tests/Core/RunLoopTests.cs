namespace Stakker.Tests.CoreLoop;

public class RunLoopTests
{
    static readonly Instant T0 = Instant.Zero + TimeSpan.FromSeconds(100);

    /// <summary>An actor that writes "name:what" to a log shared by the test</summary>
    sealed class Logger(string name, List<string> log)
    {
        public readonly List<Instant> Times = [];

        public void Note(Cx<Logger> cx, string what)
        {
            log.Add(name + ":" + what);
            Times.Add(cx.Now);
        }

        /// <summary>Logs, then calls <paramref name="to"/> (queued behind everything already queued)</summary>
        public void Relay(Cx<Logger> cx, Actor<Logger> to, string what)
        {
            log.Add(name + ":" + what);
            to.Call(static (a, cx, w) => a.Note(cx, w), what + ">");
        }

        public void Log(string what) => log.Add(name + ":" + what);
    }

    static ActorOwn<Logger> Spawn(Core core, string name, List<string> log)
    {
        var own = core.Spawn<Logger, string, List<string>>(static (cx, n, l) => new Logger(n, l), name, log, Ret.Nop<StopCause>());
        return own;
    }

    static void Note(Actor<Logger> a, string what) => a.Call(static (l, cx, w) => l.Note(cx, w), what);

    // ---- time -----------------------------------------------------------------------------------

    [Fact]
    public void Constructor_StartInstant_SetsNowAndStartInstant()
    {
        var core = new Core(T0);
        Assert.Equal(T0, core.Now);
        Assert.Equal(T0, core.StartInstant);
        core.Run(T0 + TimeSpan.FromSeconds(5), false);
        Assert.Equal(T0 + TimeSpan.FromSeconds(5), core.Now);
        Assert.Equal(T0, core.StartInstant);
    }

    [Fact]
    public void Run_EarlierNow_DoesNotMoveTimeOrFireTimers()
    {
        var core = new Core(T0);
        var log = new List<string>();
        using var a = Spawn(core, "a", log);
        core.Run(T0 + TimeSpan.FromSeconds(10), false);
        int fired = 0;
        core.At(T0 + TimeSpan.FromSeconds(12), () => fired++);
        // A timer already due at the later time, set for "before" the earlier now passed below.
        core.At(T0 + TimeSpan.FromSeconds(10) + TimeSpan.FromTicks(1), () => fired += 100);

        Note(a, "x");
        core.Run(T0 + TimeSpan.FromSeconds(5), false);
        Assert.Equal(T0 + TimeSpan.FromSeconds(10), core.Now);
        Assert.Equal(0, fired);
        Assert.Equal(["a:x"], log);
        // Handlers see the Core's time, not the earlier value the driver passed.
        Assert.Equal(T0 + TimeSpan.FromSeconds(10), Assert.Single(a.Actor.Query(static (l, cx) => l.Times.ToList())));

        core.Run(T0 + TimeSpan.FromSeconds(10), false);   // equal time: time does not move either
        Assert.Equal(0, fired);
        core.Run(T0 + TimeSpan.FromSeconds(12), false);
        Assert.Equal(101, fired);
        Assert.Equal(T0 + TimeSpan.FromSeconds(12), core.Now);
    }

    // ---- main queue -----------------------------------------------------------------------------

    [Fact]
    public void Run_CallsToSeveralActors_RunInTheOrderMade()
    {
        var core = new Core(T0);
        var log = new List<string>();
        using var a = Spawn(core, "a", log);
        using var b = Spawn(core, "b", log);
        using var c = Spawn(core, "c", log);
        core.Run(T0, false);

        string[] expected = ["a:1", "b:2", "a:3", "c:4", "c:5", "b:6", "a:7", "c:8", "b:9"];
        var actors = new Dictionary<char, Actor<Logger>> { ['a'] = a, ['b'] = b, ['c'] = c };
        foreach (string e in expected) Note(actors[e[0]], e[2..]);
        Assert.Empty(log);   // nothing runs before Run
        core.Run(T0, false);
        Assert.Equal(expected, log);
    }

    [Fact]
    public void Run_CallsToActorInPrep_WaitAndRunInOrderWhenItsInitComesOffTheQueue()
    {
        var core = new Core(T0);
        var log = new List<string>();
        using var a = Spawn(core, "a", log);
        using var x = core.Create<Logger>(Ret.Nop<StopCause>());   // Prep until its init runs
        Note(x, "1");
        Note(a, "2");
        Note(x, "3");
        x.Actor.Init(static (cx, l) => new Logger("x", l), log);
        Note(a, "4");
        Note(x, "5");
        core.Run(T0, false);
        // x's calls wait inside it and run, in order, at the place of its init in the queue.
        Assert.Equal(["a:2", "x:1", "x:3", "a:4", "x:5"], log);
    }

    [Fact]
    public void Run_CallsQueuedWhileDraining_RunInSameRunAfterEverythingAlreadyQueued()
    {
        var core = new Core(T0);
        var log = new List<string>();
        using var a = Spawn(core, "a", log);
        using var b = Spawn(core, "b", log);
        using var c = Spawn(core, "c", log);
        core.Run(T0, false);

        a.Call(static (l, cx, to, w) => l.Relay(cx, to, w), b.Actor, "1");
        Note(c, "2");
        b.Call(static (l, cx, to, w) => l.Relay(cx, to, w), c.Actor, "3");
        core.Run(T0, false);
        Assert.Equal(["a:1", "c:2", "b:3", "b:1>", "c:3>"], log);
        Assert.Equal(TimeSpan.FromHours(1), core.NextWait(core.Now, TimeSpan.FromHours(1)));   // nothing left
    }

    sealed class PingPong
    {
        public int Count;
        public void Ping(Cx<PingPong> cx, Actor<PingPong> other, int left)
        {
            Count++;
            if (left > 0) other.Call(static (a, cx, o, n) => a.Ping(cx, o, n), cx.This, left - 1);
        }
    }

    [Fact]
    public void Run_LongChainOfCallsMadeWhileDraining_CompletesInOneRun()
    {
        var core = new Core(T0);
        using var p = core.Spawn<PingPong>(static cx => new PingPong(), Ret.Nop<StopCause>());
        using var q = core.Spawn<PingPong>(static cx => new PingPong(), Ret.Nop<StopCause>());
        p.Call(static (a, cx, o, n) => a.Ping(cx, o, n), q.Actor, 9_999);
        core.Run(T0, false);
        Assert.Equal(5_000, p.Actor.Query(static (a, cx) => a.Count));
        Assert.Equal(5_000, q.Actor.Query(static (a, cx) => a.Count));
    }

    // ---- lazy queue -----------------------------------------------------------------------------

    [Fact]
    public void Run_LazyCall_RunsOnlyAfterMainQueueIsEmpty()
    {
        var core = new Core(T0);
        var log = new List<string>();
        core.Lazy(() => log.Add("L1"));
        core.Defer(() =>
        {
            log.Add("M1");
            core.Defer(() => log.Add("M2"));
        });
        Assert.Equal(TimeSpan.Zero, core.NextWait(T0, TimeSpan.FromHours(1)));
        core.Run(T0, false);
        Assert.Equal(["M1", "M2", "L1"], log);
    }

    [Fact]
    public void Run_LazyQueueOnly_ProducesZeroWaitAndRuns()
    {
        var core = new Core(T0);
        int ran = 0;
        core.Lazy(() => ran++);
        Assert.Equal(TimeSpan.Zero, core.NextWait(T0, TimeSpan.FromHours(1)));
        core.Run(T0, false);
        Assert.Equal(1, ran);
        Assert.Equal(TimeSpan.FromHours(1), core.NextWait(T0, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Run_LazyBatch_RunsWholeBatchBeforeMainCallsItQueued()
    {
        var core = new Core(T0);
        var log = new List<string>();
        core.Lazy(() =>
        {
            log.Add("L1");
            core.Defer(() => log.Add("M-from-L1"));
            core.Lazy(() => log.Add("L3-from-L1"));
        });
        core.Lazy(() =>
        {
            log.Add("L2");
            core.Defer(() =>
            {
                log.Add("M-from-L2");
                core.Lazy(() => log.Add("L4-from-M"));
            });
        });
        core.Run(T0, false);
        Assert.Equal(["L1", "L2", "M-from-L1", "M-from-L2", "L3-from-L1", "L4-from-M"], log);
    }

    [Fact]
    public void CxLazy_FromHandler_RunsAfterMainQueueBeforeRunReturns()
    {
        var core = new Core(T0);
        var log = new List<string>();
        using var a = Spawn(core, "a", log);
        using var b = Spawn(core, "b", log);
        core.Run(T0, false);
        a.Call(static (l, cx) =>
        {
            l.Log("call");
            cx.Lazy(static (l, cx) => l.Log("lazy"));
        });
        Note(b, "after");
        core.Run(T0, false);
        Assert.Equal(["a:call", "b:after", "a:lazy"], log);
    }

    // ---- idle queue -----------------------------------------------------------------------------

    [Fact]
    public void Run_IdleTrue_RunsExactlyOneIdleItemBeforeMainQueueAndTimers()
    {
        var core = new Core(T0);
        var log = new List<string>();
        core.Idle(() => log.Add("I1"));
        core.Idle(() => log.Add("I2"));
        core.Idle(() => log.Add("I3"));
        core.At(T0 + TimeSpan.FromSeconds(1), () => log.Add("timer"));
        core.Defer(() => log.Add("M"));
        Assert.True(core.HasIdleWork);

        Assert.True(core.Run(T0 + TimeSpan.FromSeconds(1), idle: true));
        Assert.Equal(["I1", "M", "timer"], log);

        log.Clear();
        Assert.True(core.Run(core.Now, idle: false));   // not idle: no idle item runs, still reports them
        Assert.Empty(log);

        Assert.True(core.Run(core.Now, idle: true));
        Assert.Equal(["I2"], log);
        Assert.False(core.Run(core.Now, idle: true));
        Assert.Equal(["I2", "I3"], log);
        Assert.False(core.HasIdleWork);
        Assert.False(core.Run(core.Now, idle: true));   // empty idle queue: nothing to run
        Assert.Equal(["I2", "I3"], log);
    }

    [Fact]
    public void Run_IdleItem_MainCallsItMakesRunInTheSameRun()
    {
        var core = new Core(T0);
        var log = new List<string>();
        core.Idle(() =>
        {
            log.Add("idle");
            core.Defer(() => log.Add("from-idle"));
            core.Lazy(() => log.Add("lazy-from-idle"));
        });
        core.Defer(() => log.Add("queued"));
        Assert.False(core.Run(T0, idle: true));
        Assert.Equal(["idle", "queued", "from-idle", "lazy-from-idle"], log);
    }

    [Fact]
    public void Run_IdleItemsThatRequeueThemselves_RunRoundRobin()
    {
        var core = new Core(T0);
        var log = new List<string>();
        int a = 0, b = 0;
        void A() { log.Add("a" + a++); if (a < 3) core.Idle(A); }
        void B() { log.Add("b" + b++); if (b < 3) core.Idle(B); }
        core.Idle(A);
        core.Idle(B);
        int runs = 0;
        while (core.Run(T0, idle: true)) runs++;
        Assert.Equal(["a0", "b0", "a1", "b1", "a2", "b2"], log);
        Assert.Equal(5, runs);
    }

    [Fact]
    public void CxIdle_FromHandler_RunsOnlyOnIdleRun()
    {
        var core = new Core(T0);
        var log = new List<string>();
        using var a = Spawn(core, "a", log);
        core.Run(T0, false);
        a.Call(static (l, cx) => cx.Idle(static (l, cx) => l.Log("idle")));
        Assert.True(core.Run(T0, false));
        Assert.Empty(log);
        Assert.False(core.Run(T0, true));
        Assert.Equal(["a:idle"], log);
    }

    // ---- defer ----------------------------------------------------------------------------------

    [Fact]
    public void Defer_ActionsAndCalls_RunInTheOrderQueued()
    {
        var core = new Core(T0);
        var log = new List<string>();
        using var a = Spawn(core, "a", log);
        core.Run(T0, false);
        Note(a, "1");
        core.Defer(() => log.Add("defer:2"));
        core.Defer(static l => l.Add("defer:3"), log);
        Note(a, "4");
        Assert.Empty(log);
        core.Run(T0, false);
        Assert.Equal(["a:1", "defer:2", "defer:3", "a:4"], log);
    }

    [Fact]
    public void Defer_FromHandler_RunsInSameRunAfterQueuedCalls()
    {
        var core = new Core(T0);
        var log = new List<string>();
        using var a = Spawn(core, "a", log);
        core.Run(T0, false);
        a.Call(static (l, cx, lg) =>
        {
            l.Log("call");
            cx.Core.Defer(static x => x.Add("deferred"), lg);
        }, log);
        Note(a, "next");
        core.Run(T0, false);
        Assert.Equal(["a:call", "a:next", "deferred"], log);
    }

    sealed class Boom : Exception;

    [Fact]
    public void Defer_ActionThrows_PropagatesOutOfRunAndNextRunCarriesOn()
    {
        var core = new Core(T0);
        var log = new List<string>();
        core.Defer(() => log.Add("1"));
        core.Defer(() => throw new Boom());
        core.Defer(() => log.Add("3"));
        Assert.Throws<Boom>(() => core.Run(T0, false));
        Assert.Equal(["1"], log);
        Assert.Equal(TimeSpan.Zero, core.NextWait(T0, TimeSpan.FromHours(1)));   // "3" still queued
        core.Run(T0, false);
        Assert.Equal(["1", "3"], log);
    }

    [Fact]
    public void Defer_NullAction_Throws()
    {
        var core = new Core(T0);
        Assert.Throws<ArgumentNullException>(() => core.Defer(null!));
        Assert.Throws<ArgumentNullException>(() => core.Lazy(null!));
        Assert.Throws<ArgumentNullException>(() => core.Idle(null!));
    }

    // ---- NextWait / NextExpiry ------------------------------------------------------------------

    [Fact]
    public void NextWait_NothingQueuedNoTimers_ReturnsMax()
    {
        var core = new Core(T0);
        Assert.Equal(TimeSpan.FromSeconds(60), core.NextWait(T0, TimeSpan.FromSeconds(60)));
        Assert.Null(core.NextExpiry);
    }

    [Fact]
    public void NextWait_PendingOrQueued_ReturnsZero()
    {
        var core = new Core(T0);
        Assert.Equal(TimeSpan.Zero, core.NextWait(T0, TimeSpan.FromSeconds(60), pending: true));
        core.Defer(() => { });
        Assert.Equal(TimeSpan.Zero, core.NextWait(T0, TimeSpan.FromSeconds(60)));
        core.Run(T0, false);
        Assert.Equal(TimeSpan.FromSeconds(60), core.NextWait(T0, TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void NextWait_IdleWorkOnly_IsForTheDriverToPassAsPending()
    {
        var core = new Core(T0);
        core.Idle(() => { });
        bool idlePending = core.Run(T0, false);
        Assert.True(idlePending);
        Assert.Equal(TimeSpan.FromSeconds(60), core.NextWait(T0, TimeSpan.FromSeconds(60)));
        Assert.Equal(TimeSpan.Zero, core.NextWait(T0, TimeSpan.FromSeconds(60), idlePending));
    }

    [Fact]
    public void NextWait_TimerPending_ReturnsTimeToNextTimerCappedByMax()
    {
        var core = new Core(T0);
        core.At(T0 + TimeSpan.FromSeconds(3), () => { });
        core.At(T0 + TimeSpan.FromSeconds(7), () => { });
        var max = TimeSpan.FromSeconds(60);
        Assert.Equal(TimeSpan.FromSeconds(3), core.NextWait(T0, max));
        Assert.Equal(TimeSpan.FromSeconds(2), core.NextWait(T0 + TimeSpan.FromSeconds(1), max));
        Assert.Equal(TimeSpan.FromSeconds(1), core.NextWait(T0, TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromTicks(1), core.NextWait(T0 + TimeSpan.FromSeconds(3) - TimeSpan.FromTicks(1), max));
        Assert.Equal(TimeSpan.Zero, core.NextWait(T0 + TimeSpan.FromSeconds(3), max));
        Assert.Equal(TimeSpan.Zero, core.NextWait(T0 + TimeSpan.FromSeconds(5), max));
        core.Run(T0 + TimeSpan.FromSeconds(3), false);
        Assert.Equal(TimeSpan.FromSeconds(4), core.NextWait(core.Now, max));
    }

    [Fact]
    public void NextExpiry_TimersAddedAndRemoved_TracksEarliestPending()
    {
        var core = new Core(T0);
        Assert.Null(core.NextExpiry);
        var k3 = core.At(T0 + TimeSpan.FromSeconds(3), () => { });
        Assert.Equal(T0 + TimeSpan.FromSeconds(3), core.NextExpiry);
        var k2 = core.At(T0 + TimeSpan.FromSeconds(2), () => { });
        Assert.Equal(T0 + TimeSpan.FromSeconds(2), core.NextExpiry);
        Assert.True(core.TimerDel(k2));
        Assert.Equal(T0 + TimeSpan.FromSeconds(3), core.NextExpiry);
        core.Run(T0 + TimeSpan.FromSeconds(3), false);
        Assert.Null(core.NextExpiry);
        Assert.False(core.TimerDel(k3));
    }

    [Fact]
    public void NextWait_VirtualTimeLoop_RunsTimersInOrderWithoutSpinning()
    {
        var core = new Core(T0);
        var fired = new List<Instant>();
        for (int i = 1; i <= 5; i++) core.After(TimeSpan.FromMilliseconds(i * 250), () => fired.Add(core.Now));
        Instant now = T0;
        int loops = 0;
        core.Run(now, false);
        while (core.TimerCount > 0)
        {
            TimeSpan wait = core.NextWait(now, TimeSpan.FromSeconds(60));
            Assert.True(wait > TimeSpan.Zero);
            now += wait;
            core.Run(now, false);
            Assert.True(++loops <= 5);
        }
        Assert.Equal(Enumerable.Range(1, 5).Select(i => T0 + TimeSpan.FromMilliseconds(i * 250)), fired);
    }

    // ---- shutdown -------------------------------------------------------------------------------

    [Fact]
    public void Shutdown_NotCalled_IsShutdownFalseAndNoCause()
    {
        var core = new Core(T0);
        core.Run(T0, false);
        Assert.False(core.IsShutdown);
        Assert.Null(core.ShutdownCause);
    }

    [Fact]
    public void Shutdown_Called_SetsIsShutdownAndLaterCauseReplaces()
    {
        var core = new Core(T0);
        core.Shutdown(StopCause.Stopped);
        Assert.True(core.IsShutdown);
        Assert.Same(StopCause.Stopped, core.ShutdownCause);
        var failed = StopCause.Failed("bad");
        core.Shutdown(failed);
        Assert.Same(failed, core.ShutdownCause);
        Assert.Throws<ArgumentNullException>(() => core.Shutdown(null!));
    }

    sealed class Stopper
    {
        public void Stop(Cx<Stopper> cx) => cx.Stop();
        public void Fail(Cx<Stopper> cx, string why) => cx.Fail(why);
    }

    [Fact]
    public void RetShutdown_TopActorStops_ShutsDownWithItsCauseAfterRun()
    {
        var core = new Core(T0);
        using var top = core.Spawn<Stopper>(static cx => new Stopper(), Ret.Shutdown(core));
        top.Call(static (a, cx) => a.Stop(cx));
        Assert.False(core.IsShutdown);
        core.Run(T0, false);
        Assert.True(core.IsShutdown);
        Assert.Equal(StopKind.Stopped, core.ShutdownCause!.Kind);
    }

    [Fact]
    public void RetShutdown_TopActorFails_CauseCarriesTheError()
    {
        var core = new Core(T0);
        using var top = core.Spawn<Stopper>(static cx => new Stopper(), Ret.Shutdown(core));
        top.Call(static (a, cx, w) => a.Fail(cx, w), "disk full");
        core.Run(T0, false);
        Assert.Equal(StopKind.Failed, core.ShutdownCause!.Kind);
        Assert.Contains("disk full", core.ShutdownCause.Error!.Message);
    }

    [Fact]
    public void RetShutdown_TopOwnerDisposed_ShutsDownWithDropped()
    {
        var core = new Core(T0);
        var top = core.Spawn<Stopper>(static cx => new Stopper(), Ret.Shutdown(core));
        core.Run(T0, false);
        top.Dispose();
        Assert.False(core.IsShutdown);
        core.Run(T0, false);
        Assert.Equal(StopKind.Dropped, core.ShutdownCause!.Kind);
    }

    [Fact]
    public void RetShutdown_DisposedUnused_ShutsDownWithDropped()
    {
        var core = new Core(T0);
        Ret<StopCause> ret = Ret.Shutdown(core);
        ret.Dispose();
        Assert.Equal(StopKind.Dropped, core.ShutdownCause!.Kind);
    }

    // ---- misuse ---------------------------------------------------------------------------------

    // Run from inside a handler is the mistake under test (STK0007 reports it at compile time too).
#pragma warning disable STK0007
    sealed class Reentrant
    {
        public Exception? Caught;
        public void TryRun(Cx<Reentrant> cx)
        {
            try { cx.Core.Run(cx.Now, false); }
            catch (Exception ex) { Caught = ex; }
        }
        public void RunUncaught(Cx<Reentrant> cx) => cx.Core.Run(cx.Now, false);
    }
#pragma warning restore STK0007

    [Fact]
    public void Run_FromInsideHandler_ThrowsInvalidOperationException()
    {
        var core = new Core(T0);
        using var a = core.Spawn<Reentrant>(static cx => new Reentrant(), Ret.Nop<StopCause>());
        int later = 0;
        a.Call(static (r, cx) => r.TryRun(cx));
        core.Defer(() => later++);   // must not have been run by the nested Run
        core.Run(T0, false);
        Assert.IsType<InvalidOperationException>(a.Actor.Query(static (r, cx) => r.Caught));
        Assert.Equal(1, later);
    }

    [Fact]
    public void Run_FromInsideHandlerUncaught_FailsThatActorAndRunGoesOn()
    {
        var core = new Core(T0);
        var stops = new List<StopCause>();
        using var a = core.Spawn<Reentrant>(static cx => new Reentrant(), Ret.From<StopCause>(core, x => stops.Add(x.Value)));
        int later = 0;
        a.Call(static (r, cx) => r.RunUncaught(cx));
        core.Defer(() => later++);
        core.Run(T0, false);
        var cause = Assert.Single(stops);
        Assert.Equal(StopKind.Failed, cause.Kind);
        Assert.IsType<InvalidOperationException>(cause.Error);
        Assert.Equal(1, later);
    }

    [Fact]
    public void Run_FromDeferredAction_ThrowsOutOfOuterRunAndCoreStaysUsable()
    {
        var core = new Core(T0);
#pragma warning disable STK0007 // the nested Run is the mistake under test
        core.Defer(() => core.Run(T0, false));
#pragma warning restore STK0007
        Assert.Throws<InvalidOperationException>(() => core.Run(T0, false));
        int ran = 0;
        core.Defer(() => ran++);
        core.Run(T0, false);
        Assert.Equal(1, ran);
    }

    [Fact]
    public void Run_FromAnotherThread_ThrowsInvalidOperationException()
    {
        var core = new Core(T0);
        Exception? caught = null;
        var t = new Thread(() =>
        {
            try { core.Run(T0, false); }
            catch (Exception ex) { caught = ex; }
        });
        t.Start();
        Assert.True(t.Join(TimeSpan.FromSeconds(30)));
        Assert.IsType<InvalidOperationException>(caught);
    }

    [Fact]
    public void Dispose_WithQueuedWork_DropsItAndRefusesRun()
    {
        var core = new Core(T0);
        int ran = 0;
        var answers = new List<Answer<int>>();
        using var a = core.Spawn<Stopper>(static cx => new Stopper(), Ret.Nop<StopCause>());
        core.Defer(() => ran++);
        core.At(T0 + TimeSpan.FromSeconds(1), () => ran++);
        a.Call(static (s, cx, r) => r.Answer(1), Ret.From<int>(core, x => answers.Add(x)));
        core.Dispose();
        Assert.Equal(0, ran);
        Assert.False(Assert.Single(answers).HasValue);   // the dropped call's Ret answered "no value"
        Assert.Throws<ObjectDisposedException>(() => core.Run(T0 + TimeSpan.FromSeconds(2), false));
    }
}
