using System.Diagnostics;

namespace Stakker.Tests.Drivers;

public class RealTimeDriverTests
{
    [Fact]
    public async Task StartThread_TimerThenShutdown_LoopEndsWithTheCause()
    {
        var sw = Stopwatch.StartNew();
        StopCause? cause = await RealTimeDriver.StartThread(core =>
            core.After(TimeSpan.FromMilliseconds(50), () => core.Shutdown(StopCause.Stopped)))
            .WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Same(StopCause.Stopped, cause);
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(50), $"ended after {sw.Elapsed}, before the timer");
    }

    [Fact]
    public async Task StartThread_WakeFromOtherThread_EndsTheSleepPromptly()
    {
        var ready = new TaskCompletionSource<Waker>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<StopCause?> loop = RealTimeDriver.StartThread(core =>
        {
            // Nothing is due for an hour; only the wake can end the loop.
            core.After(TimeSpan.FromHours(1), () => core.Shutdown(StopCause.Dropped));
            ready.SetResult(core.CreateWaker(Fwd.From<bool>(core, _ => core.Shutdown(StopCause.Stopped))));
        });
        Waker waker = await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var sw = Stopwatch.StartNew();
        waker.Wake();
        StopCause? cause = await loop.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Same(StopCause.Stopped, cause);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"the wake took {sw.Elapsed} to end the sleep");
    }

    [Fact]
    public async Task Run_Cancelled_ReturnsWithoutShutdown()
    {
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<StopCause?> loop = RealTimeDriver.StartThread(core => started.SetResult(), cancellationToken: cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cts.Cancel();
        Assert.Null(await loop.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
