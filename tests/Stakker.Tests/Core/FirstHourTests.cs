namespace Stakker.Tests.CoreLoop;

/// <summary>What a new user reaches for in the first hour: a plain async body on a Core, running what
/// is queued before time moves, stepping virtual time timer by timer, inits as wide as calls</summary>
public class FirstHourTests
{
    [Fact]
    public async Task RunAsync_OnTheCoresThread_StartsAtOnce_AwaitsResumeOnTheCore_TaskCompletesWithTheResult()
    {
        var core = new Core(Instant.Zero);
        var steps = new List<string>();
        Task<int> task = core.RunAsync(async () =>
        {
            steps.Add("started at " + core.Now.Ticks);
            await Task.Delay(TimeSpan.FromSeconds(3), core.TimeProvider);
            steps.Add("resumed on the Core: " + core.IsOnThread + " at " + core.Now.SinceZero.TotalSeconds);
            return 42;
        });
        Assert.Equal(["started at 0"], steps);   // started synchronously, before any Run
        Assert.False(task.IsCompleted);

        core.RunUntil(Instant.Zero + TimeSpan.FromSeconds(3));

        Assert.Equal(["started at 0", "resumed on the Core: True at 3"], steps);
        Assert.Equal(42, await task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task RunAsync_BodyThrows_TheTaskCarriesTheException_TheCoreRunsOn()
    {
        var core = new Core(Instant.Zero);
        Task task = core.RunAsync(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), core.TimeProvider);
            throw new FormatException("body broke");
        });
        core.Defer(() => { });
        core.RunUntil(Instant.Zero + TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<FormatException>(() => task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("body broke", ex.Message);
        core.RunQueued();   // still usable
    }

    [Fact]
    public async Task RunAsync_FromAnotherThread_StartsAtTheNextRun()
    {
        var core = new Core(Instant.Zero);
        bool onCore = false;
        Task<string>? task = null;
        var other = new Thread(() => task = core.RunAsync(() =>
        {
            onCore = core.IsOnThread;
            return Task.FromResult("hi");
        }));
        other.Start();
        Assert.True(other.Join(TimeSpan.FromSeconds(10)));
        Assert.False(task!.IsCompleted);   // nothing runs on the Core until its next Run

        core.RunQueued();

        Assert.Equal("hi", await task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(onCore);
    }

    [Fact]
    public void RunQueued_RunsQueuedCallsAtTheCurrentTime_ThenRunMovesTime()
    {
        var core = new Core(Instant.Zero);
        var seen = new List<string>();
        core.After(TimeSpan.FromSeconds(5), () => seen.Add("timer at " + core.Now.SinceZero.TotalSeconds));
        core.Defer(() => seen.Add("queued call at " + core.Now.SinceZero.TotalSeconds));

        core.RunQueued();
        core.Run(Instant.Zero + TimeSpan.FromSeconds(5), false);

        Assert.Equal(["queued call at 0", "timer at 5"], seen);
    }

    [Fact]
    public void Run_WithoutRunQueued_QueuedCallsSeeTheNewTime()
    {
        var core = new Core(Instant.Zero);
        var seen = new List<string>();
        core.Defer(() => seen.Add("queued call at " + core.Now.SinceZero.TotalSeconds));

        core.Run(Instant.Zero + TimeSpan.FromSeconds(5), false);

        Assert.Equal(["queued call at 5"], seen);   // the documented reason RunQueued exists
    }

    [Fact]
    public void RunUntil_StepsFromTimerToTimer_EachSeesItsOwnExpiry_AndStopsAtTheEnd()
    {
        var core = new Core(Instant.Zero);
        var seen = new List<double>();
        void Every(double seconds) => core.After(TimeSpan.FromSeconds(seconds), () =>
        {
            seen.Add(core.Now.SinceZero.TotalSeconds);
            Every(seconds);
        });
        Every(1.5);

        core.RunUntil(Instant.Zero + TimeSpan.FromSeconds(7));

        Assert.Equal([1.5, 3, 4.5, 6], seen);
        Assert.Equal(Instant.Zero + TimeSpan.FromSeconds(7), core.Now);
    }

    [Fact]
    public void RunUntil_StopsWhenTheCoreIsShutDown()
    {
        var core = new Core(Instant.Zero);
        int fired = 0;
        core.After(TimeSpan.FromSeconds(1), () => { fired++; core.Shutdown(StopCause.Stopped); });
        core.After(TimeSpan.FromSeconds(2), () => fired++);

        core.RunUntil(Instant.Zero + TimeSpan.FromSeconds(10));

        Assert.Equal(1, fired);
        Assert.Equal(Instant.Zero + TimeSpan.FromSeconds(1), core.Now);
    }

    sealed class Wide(string s) { public string S => s; }

    [Fact]
    public void SpawnAndInit_TakeUpToFourArguments_LikeCall()
    {
        var core = new Core(Instant.Zero);
        using var three = core.Spawn<Wide, int, string, double>(static (cx, a, b, c) => new Wide($"{a}{b}{c}"), 1, "b", 2.5, Ret.Nop<StopCause>());
        using var four = core.Create<Wide>(Ret.Nop<StopCause>());
        four.Actor.Init(static (cx, a, b, c, d) => new Wide($"{a}{b}{c}{d}"), 1, "b", 'c', (long)4);
        using var parent = core.Spawn<Wide>(static cx => new Wide("p"), Ret.Nop<StopCause>());
        core.RunQueued();
        using var child = parent.Actor.Query(static (p, cx) =>
            cx.Spawn<Wide, int, int, int, int>(static (cx, a, b, c, d) => new Wide($"{a + b + c + d}"), 1, 2, 3, 4, Ret.Nop<StopCause>()));
        core.RunQueued();

        Assert.Equal("1b2.5", three.Actor.Query(static (a, cx) => a.S));
        Assert.Equal("1bc4", four.Actor.Query(static (a, cx) => a.S));
        Assert.Equal("10", child.Actor.Query(static (a, cx) => a.S));
    }

    [Fact]
    public void TaskDelayOnTheCoresTimeProvider_HasWholeMillisecondResolution_UnlikeCxDelay()
    {
        var core = new Core(Instant.Zero);
        Instant? delayed = null, cored = null;
        core.Defer(async () =>
        {
            await Task.Delay(TimeSpan.FromTicks(15_000), core.TimeProvider);   // 1.5 ms: .NET truncates to 1 ms
            delayed = core.Now;
        });
        core.Defer(async () =>
        {
            await core.Delay(TimeSpan.FromTicks(15_000));                       // exact, 100 ns resolution
            cored = core.Now;
        });

        core.RunUntil(Instant.Zero + TimeSpan.FromMilliseconds(5));

        Assert.Equal(new Instant(10_000), delayed);
        Assert.Equal(new Instant(15_000), cored);
    }
}
