using System.Diagnostics;

namespace Stakker.Tests.Drivers;

public class CoreThreadTests
{
    [Fact]
    public async Task StartThread_TimerThenShutdown_LoopEndsWithTheCause()
    {
        var sw = Stopwatch.StartNew();
        using var thread = new CoreThread(core =>
            core.After(TimeSpan.FromMilliseconds(50), () => core.Shutdown(StopCause.Stopped)));
        StopCause? cause = await thread.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Same(StopCause.Stopped, cause);
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(50), $"ended after {sw.Elapsed}, before the timer");
    }

    [Fact]
    public async Task StartThread_WakeFromOtherThread_EndsTheSleepPromptly()
    {
        var ready = new TaskCompletionSource<Waker>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var thread = new CoreThread(core =>
        {
            // Nothing is due for an hour; only the wake can end the loop.
            core.After(TimeSpan.FromHours(1), () => core.Shutdown(StopCause.Dropped));
            ready.SetResult(core.CreateWaker(Fwd.From<bool>(core, _ => core.Shutdown(StopCause.Stopped))));
        });
        Waker waker = await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var sw = Stopwatch.StartNew();
        waker.Wake();
        StopCause? cause = await thread.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Same(StopCause.Stopped, cause);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"the wake took {sw.Elapsed} to end the sleep");
    }

    [Fact]
    public async Task Stop_EndsTheLoopWithoutShutdown()
    {
        using var thread = new CoreThread(core => { });
        await thread.Started.WaitAsync(TimeSpan.FromSeconds(30));
        thread.Stop();
        Assert.Same(StopCause.Stopped, await thread.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Post_FromOtherThread_RunsAfterCallsAlreadyQueued()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var thread = new CoreThread(core => { });
        await thread.Started.WaitAsync(TimeSpan.FromSeconds(30));
        int n = await thread.InvokeAsync(core =>
        {
            core.Defer(() => log.Enqueue("queued first"));
            return 1;
        }).WaitAsync(TimeSpan.FromSeconds(30));
        thread.Post(core => log.Enqueue("posted"));
        await thread.InvokeAsync(core => 0).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, n);
        Assert.Equal(["queued first", "posted"], log);
    }
}
