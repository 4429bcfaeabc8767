namespace Stakker.Tests.Async;

public class TimeProviderTests
{
    [Fact]
    public void TaskDelay_OnCoreTimeProvider_CompletesOnVirtualTime()
    {
        var core = new Core(Instant.Zero);
        Instant? resumedAt = null;
        core.Defer(async () =>
        {
            await Task.Delay(TimeSpan.FromMinutes(30), core.TimeProvider);
            resumedAt = core.Now;
        });
        core.Run(core.Now, false);
        core.Run(Instant.Zero + TimeSpan.FromMinutes(29), false);
        Assert.Null(resumedAt);
        core.Run(Instant.Zero + TimeSpan.FromMinutes(30), false);
        Assert.Equal(Instant.Zero + TimeSpan.FromMinutes(30), resumedAt);
    }

    [Fact]
    public void CancellationTokenSource_WithCoreTimeProvider_CancelsOnVirtualTime()
    {
        var core = new Core(Instant.Zero);
        core.Run(core.Now, false);
        CancellationTokenSource? cts = null;
        core.Defer(() => cts = new CancellationTokenSource(TimeSpan.FromSeconds(5), core.TimeProvider));
        core.Run(core.Now, false);
        core.Run(Instant.Zero + TimeSpan.FromSeconds(4), false);
        Assert.False(cts!.IsCancellationRequested);
        core.Run(Instant.Zero + TimeSpan.FromSeconds(5), false);
        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public void TimeProvider_Clock_FollowsCoreTime()
    {
        var core = new Core(new Instant(1234)) { UtcAtStart = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        TimeProvider tp = core.TimeProvider;
        core.Run(new Instant(1234) + TimeSpan.FromSeconds(90), false);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 1, 30, TimeSpan.Zero), tp.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(90), tp.GetElapsedTime(1234));
    }

    [Fact]
    public void PeriodicTimer_OnCoreTimeProvider_TicksOnVirtualTime()
    {
        var core = new Core(Instant.Zero);
        var ticks = new List<double>();
        core.Defer(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2), core.TimeProvider);
            while (ticks.Count < 3 && await timer.WaitForNextTickAsync()) ticks.Add(core.Now.SinceZero.TotalSeconds);
        });
        AsyncTestDriver.RunVirtual(core, () => ticks.Count == 3);
        Assert.Equal([2.0, 4.0, 6.0], ticks);
    }

    sealed class Sleeper
    {
        public Sleeper(Cx<Sleeper> cx) { }
    }

    [Fact]
    public void CxDelay_CompletesOnVirtualTimeAndCancelsWhenActorEnds()
    {
        var core = new Core(Instant.Zero);
        var s = core.Spawn<Sleeper>(static cx => new Sleeper(cx), Ret.Nop<StopCause>());
        ValueTask short1 = default, long1 = default;
#pragma warning disable STK0005 // the handler hands its delays out to the test through the captured locals
        s.Call((a, cx) => { short1 = cx.Delay(TimeSpan.FromSeconds(2)); long1 = cx.Delay(TimeSpan.FromSeconds(20)); });
#pragma warning restore STK0005
        core.Run(core.Now, false);
        var done = new List<string>();
        core.Defer(async () => { await short1; done.Add("short at " + core.Now.SinceZero.TotalSeconds); });
        core.Defer(async () => { try { await long1; done.Add("long"); } catch (OperationCanceledException) { done.Add("long cancelled at " + core.Now.SinceZero.TotalSeconds); } });
        core.Run(Instant.Zero + TimeSpan.FromSeconds(2), false);
        core.Run(Instant.Zero + TimeSpan.FromSeconds(5), false);
        s.Kill("gone");
        core.Run(core.Now, false);   // the cancelled await resumes at once, not at the 20 s expiry
        core.Run(Instant.Zero + TimeSpan.FromSeconds(30), false);
        Assert.Equal(["short at 2", "long cancelled at 5"], done);
    }
}
