namespace Stakker.Tests.Drivers;

public class TickDriverTests
{
    sealed class Alarms
    {
        public readonly List<(int Id, Instant At)> Fired = [];

        public Alarms(Cx<Alarms> cx)
        {
            cx.After(TimeSpan.FromMilliseconds(35), static (a, cx, id) => a.Fired.Add((id, cx.Now)), 3);
            cx.After(TimeSpan.FromMilliseconds(10), static (a, cx, id) => a.Fired.Add((id, cx.Now)), 1);
            cx.After(TimeSpan.FromMilliseconds(20), static (a, cx, id) => a.Fired.Add((id, cx.Now)), 2);
            cx.After(TimeSpan.FromMilliseconds(12), static (a, cx, id) => a.Fired.Add((id, cx.Now)), 4);
        }
    }

    [Fact]
    public void Tick_EachFrameFiresTheTimersDueByItsTime_InExpiryOrder_AtTheFramesTime()
    {
        var core = new Core(Instant.Zero);
        var driver = new TickDriver(core);
        using var alarms = core.Spawn<Alarms>(static cx => new Alarms(cx), Ret.Nop<StopCause>());
        Instant Frame(int n) => Instant.Zero + TimeSpan.FromMilliseconds(16.0 * n);

        Assert.True(driver.Tick(Frame(0)));
        Assert.Empty(alarms.Actor.Query(static (a, cx) => a.Fired.ToArray()));

        driver.Tick(Frame(1));   // 16 ms: the 10 and 12 ms timers
        Assert.Equal([(1, Frame(1)), (4, Frame(1))], alarms.Actor.Query(static (a, cx) => a.Fired.ToArray()));

        driver.Tick(Frame(1));   // the same time again (a paused game): nothing new
        Assert.Equal(2, alarms.Actor.Query(static (a, cx) => a.Fired.Count));

        driver.Tick(Frame(2));   // 32 ms: the 20 ms timer
        driver.Tick(Frame(3));   // 48 ms: the 35 ms timer
        Assert.Equal([(1, Frame(1)), (4, Frame(1)), (2, Frame(2)), (3, Frame(3))], alarms.Actor.Query(static (a, cx) => a.Fired.ToArray()));
        Assert.Equal(TimeSpan.FromSeconds(1), driver.UntilNextTimer(Frame(3), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Tick_AfterShutdown_ReturnsFalse_AndWorkPostedFromAnotherThreadRunsOnTheNextTick()
    {
        var core = new Core(Instant.Zero);
        var driver = new TickDriver(core);
        var ran = new List<int>();
        var thread = new Thread(() => core.PostFromAnyThread(() => ran.Add(Environment.CurrentManagedThreadId)));
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        Assert.Empty(ran);
        Assert.True(driver.Tick(Instant.Zero + TimeSpan.FromMilliseconds(16)));
        Assert.Equal([Environment.CurrentManagedThreadId], ran);

        core.Shutdown(StopCause.Stopped);
        Assert.False(driver.Tick(Instant.Zero + TimeSpan.FromMilliseconds(32)));
    }
}
