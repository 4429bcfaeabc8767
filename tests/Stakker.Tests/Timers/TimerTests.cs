namespace Stakker.Tests.Timers;

public class TimerTests
{
    static readonly Instant T0 = Instant.Zero + TimeSpan.FromSeconds(1000);
    static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    static Instant At(double seconds) => T0 + TimeSpan.FromSeconds(seconds);

    /// <summary>An actor that records which of its timers fired, and when</summary>
    sealed class Clock
    {
        public readonly List<(string Id, Instant At)> Fired = [];
        public MaxTimerKey MaxKey;
        public MinTimerKey MinKey;

        public void Fire(Cx<Clock> cx, string id) => Fired.Add((id, cx.Now));
        public void Stop(Cx<Clock> cx) => cx.Stop();
    }

    static (Core Core, ActorOwn<Clock> Clock) Start()
    {
        var core = new Core(T0);
        var clock = core.Spawn<Clock>(static cx => new Clock(), Ret.Nop<StopCause>());
        core.Run(T0, false);
        return (core, clock);
    }

    static List<(string Id, Instant At)> Fired(ActorOwn<Clock> c) => c.Actor.Query(static (a, cx) => a.Fired.ToList());

    static FixedTimerKey After(ActorOwn<Clock> c, TimeSpan d, string id) =>
        c.Actor.Query((a, cx) => cx.After(d, static (a, cx, id) => a.Fire(cx, id), id));

    static FixedTimerKey AtTime(ActorOwn<Clock> c, Instant t, string id) =>
        c.Actor.Query((a, cx) => cx.At(t, static (a, cx, id) => a.Fire(cx, id), id));

    static void Max(ActorOwn<Clock> c, Instant t, string id) =>
        c.Actor.Query((a, cx) => { cx.TimerMax(ref a.MaxKey, t, (a, cx) => a.Fire(cx, id)); return 0; });

    static void Min(ActorOwn<Clock> c, Instant t, string id) =>
        c.Actor.Query((a, cx) => { cx.TimerMin(ref a.MinKey, t, (a, cx) => a.Fire(cx, id)); return 0; });

    // ---- fixed timers ---------------------------------------------------------------------------

    [Fact]
    public void After_Delay_FiresOnceOnTheRunWhoseNowReachesExpiry()
    {
        var (core, c) = Start();
        After(c, TimeSpan.FromSeconds(1), "one");
        Assert.Equal(1, core.TimerCount);
        core.Run(At(0.5), false);
        core.Run(At(1) - Tick, false);
        Assert.Empty(Fired(c));
        core.Run(At(1), false);
        Assert.Equal([("one", At(1))], Fired(c));
        core.Run(At(10), false);
        Assert.Single(Fired(c));
        Assert.Equal(0, core.TimerCount);
    }

    [Fact]
    public void At_Expiry_FiresOnceNeverEarlyWithNowAtOrAfterExpiry()
    {
        var (core, c) = Start();
        AtTime(c, At(3), "three");
        core.Run(At(2.9999999), false);
        Assert.Empty(Fired(c));
        core.Run(At(5), false);
        var (id, when) = Assert.Single(Fired(c));
        Assert.Equal("three", id);
        Assert.Equal(At(5), when);   // late driver: fires on the first run past expiry, seeing that run's now
        core.Run(At(6), false);
        Assert.Single(Fired(c));
    }

    [Fact]
    public void Timer_Expired_RunsAfterCallsAlreadyQueuedAndBeforeCallsMadeDuringTheRun()
    {
        var (core, c) = Start();
        After(c, TimeSpan.FromSeconds(1), "timer");
        c.Call(static (a, cx) =>
        {
            a.Fire(cx, "call");
            cx.This.Call(static (a, cx) => a.Fire(cx, "call-made-while-draining"));
        });
        core.Run(At(1), false);
        Assert.Equal(["call", "timer", "call-made-while-draining"], Fired(c).Select(f => f.Id));
    }

    [Fact]
    public void After_Zero_FiresOnNextRunWithLaterTimeNotTheCurrentOne()
    {
        var (core, c) = Start();
        c.Call(static (a, cx) => cx.After(TimeSpan.Zero, static (a, cx, id) => a.Fire(cx, id), "now"));
        core.Run(At(1), false);   // the call runs at t=1 and sets a timer for t=1
        Assert.Empty(Fired(c));
        // The wait is one tick, never zero, so a virtual-time loop cannot spin.
        Assert.Equal(Tick, core.NextWait(core.Now, TimeSpan.FromSeconds(60)));
        core.Run(At(1), false);   // same time again: time does not move
        Assert.Empty(Fired(c));
        core.Run(At(1) + Tick, false);
        Assert.Equal([("now", At(1) + Tick)], Fired(c));
    }

    [Fact]
    public void At_InThePast_FiresOnNextRunWithLaterTime()
    {
        var (core, c) = Start();
        core.Run(At(10), false);
        AtTime(c, At(2), "past");
        Assert.Equal(At(10) + Tick, core.NextExpiry);
        core.Run(At(10), false);
        Assert.Empty(Fired(c));
        core.Run(At(11), false);
        Assert.Equal([("past", At(11))], Fired(c));
    }

    [Fact]
    public void TimerDel_Pending_ReturnsTrueAndTimerNeverFires()
    {
        var (core, c) = Start();
        var k = After(c, TimeSpan.FromSeconds(1), "x");
        Assert.True(core.TimerActive(k));
        Assert.True(k.IsSet);
        Assert.True(core.TimerDel(k));
        Assert.False(core.TimerActive(k));
        Assert.Equal(0, core.TimerCount);
        Assert.Null(core.NextExpiry);
        core.Run(At(100), false);
        Assert.Empty(Fired(c));
    }

    [Fact]
    public void TimerDel_AfterFire_ReturnsFalse()
    {
        var (core, c) = Start();
        var k = After(c, TimeSpan.FromSeconds(1), "x");
        core.Run(At(1), false);
        Assert.Single(Fired(c));
        Assert.False(core.TimerActive(k));
        Assert.False(core.TimerDel(k));
    }

    [Fact]
    public void TimerDel_Twice_ReturnsFalseTheSecondTime()
    {
        var (core, c) = Start();
        var k = After(c, TimeSpan.FromSeconds(1), "x");
        Assert.True(c.Actor.Query((a, cx) => cx.TimerDel(k)));
        Assert.False(c.Actor.Query((a, cx) => cx.TimerDel(k)));
        Assert.False(core.TimerDel(k));
    }

    [Fact]
    public void TimerDel_DefaultKey_ReturnsFalse()
    {
        var (core, _) = Start();
        core.At(At(1), () => { });
        Assert.False(default(FixedTimerKey).IsSet);
        Assert.False(core.TimerDel(default));
        Assert.False(core.TimerActive(default));
        Assert.Equal(1, core.TimerCount);
    }

    [Fact]
    public void TimerDel_StaleKeyAfterSlotReuse_DoesNotCancelTheNewTimer()
    {
        var (core, c) = Start();
        var old = After(c, TimeSpan.FromSeconds(1), "old");
        Assert.True(core.TimerDel(old));
        var fresh = After(c, TimeSpan.FromSeconds(2), "fresh");
        Assert.Equal(old.Slot, fresh.Slot);   // the slot is reused (the generation tells them apart)
        Assert.False(core.TimerDel(old));
        Assert.False(core.TimerActive(old));
        Assert.True(core.TimerActive(fresh));
        core.Run(At(5), false);
        Assert.Equal(["fresh"], Fired(c).Select(f => f.Id));
    }

    [Fact]
    public void Timer_EqualExpiries_FireInTheOrderSet()
    {
        var (core, c) = Start();
        var clock2 = core.Spawn<Clock>(static cx => new Clock(), Ret.Nop<StopCause>());
        core.Run(T0, false);
        var order = new List<string>();
        c.Call(static (a, cx, o) => cx.After(TimeSpan.FromSeconds(1), static (a, cx, o) => o.Add("c1"), o), order);
        core.Run(T0, false);
        core.At(At(1), () => order.Add("core2"));
        clock2.Call(static (a, cx, o) => cx.At(cx.Now + TimeSpan.FromSeconds(1), static (a, cx, o) => o.Add("k3"), o), order);
        core.Run(T0, false);
        AtTime(c, At(1), "c4");
        core.After(TimeSpan.FromSeconds(1), () => order.Add("core5"));
        c.Actor.Query((a, cx) => cx.At(At(1), static (a, cx, o) => o.Add("c6"), order));
        c.Actor.Query((a, cx) => cx.At(At(0.5), static (a, cx, o) => o.Add("early"), order));
        core.Run(At(2), false);
        Assert.Equal(["early", "c1", "core2", "k3", "core5", "c6"], order);
        Assert.Equal(["c4"], Fired(c).Select(f => f.Id));   // recorded separately, between k3 and core5
    }

    [Fact]
    public void Timer_ManyExpiriesSetOutOfOrder_FireSortedByExpiryThenSetOrder()
    {
        var (core, c) = Start();
        double[] secs = [3, 1, 2, 1, 3, 2, 0.5, 1];
        for (int i = 0; i < secs.Length; i++) AtTime(c, At(secs[i]), i.ToString());
        core.Run(At(10), false);
        Assert.Equal(["6", "1", "3", "7", "2", "5", "0", "4"], Fired(c).Select(f => f.Id));
    }

    [Fact]
    public void Timer_ActorStopped_NeverFires()
    {
        var (core, c) = Start();
        After(c, TimeSpan.FromSeconds(1), "a");
        After(c, TimeSpan.FromSeconds(2), "b");
        var fired = new List<string>();
        c.Actor.Query((a, cx) => cx.After(TimeSpan.FromSeconds(1), static (a, cx, f) => f.Add("side"), fired));
        c.Call(static (a, cx) => a.Stop(cx));
        core.Run(At(0.5), false);
        Assert.True(c.Actor.IsZombie);
        core.Run(At(5), false);
        Assert.Empty(fired);
        Assert.Equal(0, core.TimerCount);
    }

    [Fact]
    public void Timer_OwnerDropped_NeverFires()
    {
        var core = new Core(T0);
        var fired = new List<string>();
        var c = core.Spawn<Clock>(static cx => new Clock(), Ret.Nop<StopCause>());
        core.Run(T0, false);
        c.Actor.Query((a, cx) => cx.After(TimeSpan.FromSeconds(1), static (a, cx, f) => f.Add("dead"), fired));
        c.Dispose();
        core.Run(T0, false);
        Assert.True(c.Actor.IsZombie);
        core.Run(At(3), false);
        Assert.Empty(fired);
    }

    [Fact]
    public void Timer_CarryingRetToEndedActor_AnswersNoValueExactlyOnce()
    {
        var (core, c) = Start();
        var answers = new List<Answer<int>>();
        Ret<int> ret = Ret.From<int>(core, x => answers.Add(x));
        c.Actor.Query((a, cx) => cx.After(TimeSpan.FromSeconds(1), static (a, cx, r) => r.Answer(1), ret));
        c.Call(static (a, cx) => a.Stop(cx));
        core.Run(At(5), false);
        core.Run(At(6), false);
        Assert.False(Assert.Single(answers).HasValue);
    }

    // ---- core-level timers ----------------------------------------------------------------------

    [Fact]
    public void CoreAt_AndAfter_FireOnceAtExpiryAndCanBeCancelled()
    {
        var core = new Core(T0);
        var log = new List<(string, Instant)>();
        var k1 = core.After(TimeSpan.FromSeconds(2), () => log.Add(("after", core.Now)));
        var k2 = core.At(At(1), () => log.Add(("at", core.Now)));
        var k3 = core.At(At(1.5), () => log.Add(("cancelled", core.Now)));
        Assert.Equal(3, core.TimerCount);
        Assert.True(core.TimerDel(k3));
        core.Run(At(1), false);
        Assert.Equal([("at", At(1))], log);
        core.Run(At(2.5), false);
        Assert.Equal([("at", At(1)), ("after", At(2.5))], log);
        Assert.False(core.TimerActive(k1));
        Assert.False(core.TimerDel(k2));
        Assert.Throws<ArgumentNullException>(() => core.At(At(3), null!));
    }

    [Fact]
    public void CoreAfter_NegativeDelay_FiresOnNextLaterRun()
    {
        var core = new Core(T0);
        int fired = 0;
        core.After(TimeSpan.FromSeconds(-5), () => fired++);
        core.Run(T0, false);
        Assert.Equal(0, fired);
        core.Run(T0 + Tick, false);
        Assert.Equal(1, fired);
    }

    [Fact]
    public void After_MaxDuration_SaturatesAndStaysPending()
    {
        var core = new Core(T0);
        int fired = 0;
        var k = core.After(TimeSpan.MaxValue, () => fired++);
        Assert.Equal(Instant.MaxValue, core.NextExpiry);
        core.Run(T0 + TimeSpan.FromDays(365 * 1000), false);
        Assert.Equal(0, fired);
        Assert.True(core.TimerActive(k));
        core.Run(Instant.MaxValue, false);
        Assert.Equal(1, fired);
    }

    // ---- max timers -----------------------------------------------------------------------------

    [Fact]
    public void TimerMax_MovedLater_FiresOnceAtTheLatestExpiry()
    {
        var (core, c) = Start();
        Max(c, At(5), "max");
        var key = c.Actor.Query(static (a, cx) => a.MaxKey);
        Max(c, At(8), "ignored-handler");
        Max(c, At(6), "ignored-handler");   // earlier: ignored
        Assert.Equal(key, c.Actor.Query(static (a, cx) => a.MaxKey));   // same timer
        Assert.Equal(1, core.TimerCount);
        core.Run(At(5), false);
        core.Run(At(6), false);
        Assert.Empty(Fired(c));
        Assert.True(core.TimerMaxActive(key));
        Assert.Equal(At(8), core.NextExpiry);
        core.Run(At(8) - Tick, false);
        Assert.Empty(Fired(c));
        core.Run(At(8), false);
        Assert.Equal([("max", At(8))], Fired(c));
        Assert.False(core.TimerMaxActive(key));
        core.Run(At(100), false);
        Assert.Single(Fired(c));
    }

    [Fact]
    public void TimerMax_MovedLaterThenOtherTimerSetForSameInstant_FiresInTheOrderSet()
    {
        var (core, c) = Start();
        Max(c, At(1), "max");
        Max(c, At(3), "max");          // moved to t=3 first ...
        AtTime(c, At(3), "fixed");     // ... then another timer is set for t=3
        core.Run(At(2), false);        // the max timer's old entry comes up here and is put back for t=3
        core.Run(At(3), false);
        Assert.Equal(["max", "fixed"], Fired(c).Select(f => f.Id));
    }

    [Fact]
    public void TimerMax_MovedLaterInOneLongRun_FiresInTheOrderSet()
    {
        var (core, c) = Start();
        AtTime(c, At(3), "fixed-before");
        Max(c, At(1), "max");
        Max(c, At(3), "max");
        AtTime(c, At(3), "fixed-after");
        core.Run(At(10), false);
        Assert.Equal(["fixed-before", "max", "fixed-after"], Fired(c).Select(f => f.Id));
    }

    [Fact]
    public void TimerMax_MovedEarlier_IsIgnored()
    {
        var (core, c) = Start();
        Max(c, At(5), "max");
        Max(c, At(3), "max");
        Assert.True(core.NextExpiry >= At(5));
        core.Run(At(3), false);
        core.Run(At(4.9), false);
        Assert.Empty(Fired(c));
        core.Run(At(5), false);
        Assert.Equal([("max", At(5))], Fired(c));
    }

    [Fact]
    public void TimerMax_AfterItFired_CreatesANewTimer()
    {
        var (core, c) = Start();
        Max(c, At(1), "first");
        var first = c.Actor.Query(static (a, cx) => a.MaxKey);
        core.Run(At(1), false);
        Max(c, At(0.5), "second");   // expired key: a new timer, clamped to the next tick
        var second = c.Actor.Query(static (a, cx) => a.MaxKey);
        Assert.NotEqual(first, second);
        Assert.True(core.TimerMaxActive(second));
        core.Run(At(1) + Tick, false);
        Assert.Equal([("first", At(1)), ("second", At(1) + Tick)], Fired(c));
    }

    [Fact]
    public void TimerMax_DefaultKeyAndDeleted_AreInactive()
    {
        var (core, c) = Start();
        Assert.False(core.TimerMaxActive(default));
        Assert.False(core.TimerMaxUpdate(default, At(1)));
        Assert.False(core.TimerMaxDel(default));
        Max(c, At(2), "max");
        var key = c.Actor.Query(static (a, cx) => a.MaxKey);
        Assert.True(core.TimerMaxUpdate(key, At(4)));
        Assert.True(core.TimerMaxDel(key));
        Assert.False(core.TimerMaxActive(key));
        Assert.False(core.TimerMaxDel(key));
        Assert.False(core.TimerMaxUpdate(key, At(5)));
        core.Run(At(10), false);
        Assert.Empty(Fired(c));
        Assert.Equal(0, core.TimerCount);
    }

    [Fact]
    public void TimerMax_PushedBackRepeatedly_FiresOnceAfterTheLastPush()
    {
        // The inactivity-timeout use: every event pushes the timer 300 ms later.
        var (core, c) = Start();
        Instant now = T0;
        for (int i = 0; i < 50; i++)
        {
            now += TimeSpan.FromMilliseconds(100);
            core.Run(now, false);
            Max(c, now + TimeSpan.FromMilliseconds(300), "quiet");
        }
        Assert.Empty(Fired(c));
        core.Run(now + TimeSpan.FromMilliseconds(299), false);
        Assert.Empty(Fired(c));
        core.Run(now + TimeSpan.FromSeconds(1), false);
        Assert.Equal([("quiet", now + TimeSpan.FromSeconds(1))], Fired(c));
    }

    // ---- min timers -----------------------------------------------------------------------------

    [Fact]
    public void TimerMin_MovedEarlier_FiresOnceAtTheEarliestExpiry()
    {
        var (core, c) = Start();
        Min(c, At(7), "min");
        var key = c.Actor.Query(static (a, cx) => a.MinKey);
        Min(c, At(4), "ignored-handler");
        Min(c, At(6), "ignored-handler");   // later: ignored
        Assert.Equal(key, c.Actor.Query(static (a, cx) => a.MinKey));
        Assert.Equal(At(4), core.NextExpiry);
        Assert.Equal(1, core.TimerCount);
        core.Run(At(4) - Tick, false);
        Assert.Empty(Fired(c));
        core.Run(At(4), false);
        Assert.Equal([("min", At(4))], Fired(c));
        Assert.False(core.TimerMinActive(key));
        core.Run(At(10), false);
        Assert.Single(Fired(c));
        Assert.Null(core.NextExpiry);
    }

    [Fact]
    public void TimerMin_AfterItFired_CreatesANewTimer()
    {
        var (core, c) = Start();
        Min(c, At(1), "first");
        core.Run(At(2), false);
        Min(c, At(3), "second");
        var key = c.Actor.Query(static (a, cx) => a.MinKey);
        Assert.True(core.TimerMinActive(key));
        core.Run(At(3), false);
        Assert.Equal(["first", "second"], Fired(c).Select(f => f.Id));
    }

    [Fact]
    public void TimerMin_DefaultKeyAndDeleted_AreInactive()
    {
        var (core, c) = Start();
        Assert.False(core.TimerMinActive(default));
        Assert.False(core.TimerMinUpdate(default, At(1)));
        Assert.False(core.TimerMinDel(default));
        Min(c, At(5), "min");
        var key = c.Actor.Query(static (a, cx) => a.MinKey);
        Assert.True(core.TimerMinUpdate(key, At(2)));
        Assert.True(core.TimerMinDel(key));
        Assert.False(core.TimerMinActive(key));
        Assert.False(core.TimerMinDel(key));
        core.Run(At(10), false);
        Assert.Empty(Fired(c));
        Assert.Equal(0, core.TimerCount);
    }

    // ---- stakker.md 17: every kind of queued work, each exactly once, in a virtual-time loop ----

    sealed class Everything
    {
        public readonly Dictionary<string, int> Score = [];
        public MaxTimerKey MaxKey;
        public MinTimerKey MinKey;

        public void Hit(string what) => Score[what] = Score.GetValueOrDefault(what) + 1;

        public void Init(Cx<Everything> cx)
        {
            cx.This.Call(static (a, cx) => a.Hit("call"));
            var fwd = cx.Fwd<int>(static (a, cx, v) => { if (v == 42) a.Hit("fwd"); });
            fwd.Send(42);
            cx.Idle(static (a, cx) => a.Hit("idle"));
            cx.Lazy(static (a, cx) => a.Hit("lazy"));
            cx.After(TimeSpan.FromSeconds(1), static (a, cx) => a.Hit("after"));
            cx.At(cx.Now + TimeSpan.FromSeconds(3), static (a, cx) => a.Hit("at"));
            cx.TimerMax(ref MaxKey, cx.Now + TimeSpan.FromSeconds(5), static (a, cx) => a.Hit("max"));
            cx.TimerMin(ref MinKey, cx.Now + TimeSpan.FromSeconds(7), static (a, cx) => a.Hit("min"));
        }
    }

    [Fact]
    public void Run_VirtualTimeLoopWithEveryKindOfWork_EachRunsOnceAndWaitIsNeverZero()
    {
        var core = new Core(T0);
        using var e = core.Spawn<Everything>(static cx => { var e = new Everything(); e.Init(cx); return e; }, Ret.Nop<StopCause>());
        Instant now = T0;
        int loops = 0;
        while (now < T0 + TimeSpan.FromSeconds(60))
        {
            core.Run(now, idle: true);
            TimeSpan wait = core.NextWait(now, TimeSpan.FromSeconds(10));
            Assert.NotEqual(TimeSpan.Zero, wait);
            now += wait;
            Assert.True(++loops < 100);
        }
        var score = e.Actor.Query(static (a, cx) => a.Score);
        Assert.Equal(["after", "at", "call", "fwd", "idle", "lazy", "max", "min"], score.Keys.Order());
        Assert.All(score.Values, v => Assert.Equal(1, v));
    }

    // ---- stakker.md 42-51 (no tick rounding: exact to the 100 ns tick) --------------------------

    [Fact]
    public void At_ShortDelay_NextExpiryIsExactAndFiresOnce()
    {
        var (core, c) = Start();
        Instant expiry = T0 + TimeSpan.FromTicks(31_234_567);   // +3.1234567 s
        AtTime(c, expiry, "x");
        Assert.Equal(expiry, core.NextExpiry);
        core.Run(At(4), false);
        Assert.Equal([("x", At(4))], Fired(c));
        Assert.Null(core.NextExpiry);
    }

    [Fact]
    public void At_MoreThanNineHoursAhead_NextExpiryIsExactAndFiresOnceAtItsTime()
    {
        var (core, c) = Start();
        Instant expiry = At(36000.57);   // more than 9 hours ahead
        AtTime(c, expiry, "long");
        Assert.Equal(expiry, core.NextExpiry);
        core.Run(At(32768), false);
        Assert.Empty(Fired(c));
        Assert.Equal(expiry, core.NextExpiry);
        core.Run(At(40000), false);
        Assert.Equal([("long", At(40000))], Fired(c));
        Assert.Equal(0, core.TimerCount);
    }

    [Fact]
    public void TimerDel_MoreThanNineHoursAhead_NeverFires()
    {
        var (core, c) = Start();
        var k = AtTime(c, At(36000.57), "long");
        Assert.True(core.TimerDel(k));
        Assert.Null(core.NextExpiry);
        core.Run(At(40000), false);
        Assert.Empty(Fired(c));
    }

    [Fact]
    public void TimerMax_MovedLaterAndAnotherDeleted_OnlyFirstFiresAtLatestExpiry()
    {
        var (core, c) = Start();
        Max(c, At(20000.57), "max");
        var key = c.Actor.Query(static (a, cx) => a.MaxKey);
        Max(c, At(30000.12), "max");
        Assert.True(core.NextExpiry <= At(30000.12));   // may report the first expiry: waking early is allowed
        var second = c.Actor.Query((a, cx) =>
        {
            MaxTimerKey k = default;
            cx.TimerMax(ref k, At(25000), static (a, cx) => a.Fire(cx, "second"));
            return k;
        });
        Assert.True(core.TimerMaxDel(second));
        Assert.False(core.TimerMaxActive(second));
        core.Run(At(22000), false);
        Assert.Empty(Fired(c));
        Assert.True(core.TimerMaxActive(key));
        Assert.Equal(At(30000.12), core.NextExpiry);
        core.Run(At(32000), false);
        Assert.Equal([("max", At(32000))], Fired(c));
        Assert.False(core.TimerMaxActive(key));
        Assert.Equal(0, core.TimerCount);
    }

    [Fact]
    public void TimerMin_MovedEarlierAndAnotherDeleted_FirstFiresAtEarliestExpiry()
    {
        var (core, c) = Start();
        Min(c, At(30000.57), "first");
        var first = c.Actor.Query(static (a, cx) => a.MinKey);
        Min(c, At(20000.12), "first");
        Assert.Equal(At(20000.12), core.NextExpiry);
        var second = c.Actor.Query((a, cx) =>
        {
            MinTimerKey k = default;
            cx.TimerMin(ref k, At(30000.57), static (a, cx) => a.Fire(cx, "second"));
            return k;
        });
        core.Run(At(22000), false);
        Assert.Equal([("first", At(22000))], Fired(c));
        Assert.False(core.TimerMinActive(first));
        Assert.True(core.TimerMinActive(second));
        Assert.True(core.TimerMinDel(second));
        Assert.Equal(0, core.TimerCount);
        core.Run(At(40000), false);
        Assert.Single(Fired(c));
    }

    [Fact]
    public void TimerMin_SixtySeconds_NextWaitIsExactAndFiresOnceAtExpiry()
    {
        var (core, c) = Start();
        Min(c, At(60), "min");
        Assert.Equal(TimeSpan.FromSeconds(60), core.NextWait(T0, TimeSpan.FromHours(1)));
        core.Run(T0 + core.NextWait(T0, TimeSpan.FromHours(1)), false);
        Assert.Equal([("min", At(60))], Fired(c));
        Assert.Null(core.NextExpiry);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void NextExpiry_AdvancingToIt_EachRandomTimerFiresOnceExactlyAtItsTime(int seed)
    {
        var rnd = new Random(seed);
        var (core, c) = Start();
        var expiry = new Dictionary<string, Instant>();
        for (int i = 0; i < 256; i++)
        {
            Instant t = T0 + TimeSpan.FromTicks(1 + rnd.NextInt64(TimeSpan.FromSeconds(60).Ticks));
            string id = (i % 2 == 0 ? "fixed" : "min") + i;
            expiry[id] = t;
            if (i % 2 == 0) AtTime(c, t, id);
            else c.Actor.Query((a, cx) =>
            {
                MinTimerKey k = default;
                cx.TimerMin(ref k, t + TimeSpan.FromSeconds(1), (a, cx) => a.Fire(cx, id));
                cx.TimerMin(ref k, t, static (a, cx) => a.Fire(cx, "wrong handler"));
                return k;
            });
        }
        int runs = 0;
        while (core.NextExpiry is { } next)
        {
            core.Run(next, false);
            Assert.True(++runs <= 256);
        }
        var fired = Fired(c);
        Assert.Equal(256, fired.Count);
        Assert.Equal(256, fired.Select(f => f.Id).Distinct().Count());
        Assert.All(fired, f => Assert.Equal(expiry[f.Id], f.At));
        Assert.Equal(fired.OrderBy(f => f.At).Select(f => f.Id), fired.Select(f => f.Id));
    }
}
