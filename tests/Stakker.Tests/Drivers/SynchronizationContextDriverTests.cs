using System.Collections.Concurrent;

namespace Stakker.Tests.Drivers;

public class SynchronizationContextDriverTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Records the thread each of its handlers ran on</summary>
    sealed class Recorder
    {
        public readonly ConcurrentQueue<(string What, int Thread)> Seen = new();
        public readonly TaskCompletionSource TimerFired = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource<int> Calls = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int _calls;

        public Recorder(Cx<Recorder> cx)
        {
            Seen.Enqueue(("init", Environment.CurrentManagedThreadId));
            cx.After(TimeSpan.FromMilliseconds(20), static (a, cx) =>
            {
                a.Seen.Enqueue(("timer", Environment.CurrentManagedThreadId));
                a.TimerFired.TrySetResult();
            });
        }

        public void Hit(Cx<Recorder> cx, string from)
        {
            Seen.Enqueue((from, Environment.CurrentManagedThreadId));
            if (++_calls == 2) Calls.TrySetResult(_calls);
        }
    }

    [Fact]
    public async Task TimersAndCalls_AllRunOnTheContextsThread()
    {
        using var ui = new SingleThreadContext();
        var actor = new TaskCompletionSource<Actor<Recorder>>(TaskCreationOptions.RunContinuationsAsynchronously);
        ActorOwn<Recorder>? own = null;
        using var driver = new SynchronizationContextDriver(ui, core =>
        {
            own = core.Spawn<Recorder>(static cx => new Recorder(cx), Ret.Shutdown(core));
            actor.SetResult(own.Actor);
        });
        await driver.Started.WaitAsync(Deadline);
        Actor<Recorder> a = await actor.Task.WaitAsync(Deadline);

        // From a pool thread, through the Core's wake path.
        await Task.Run(() => driver.Post(_ => a.Call(static (r, cx, s) => r.Hit(cx, s), "posted")));
        // From the UI thread itself, as a click handler would, followed by RunSoon.
        ui.Post(_ =>
        {
            a.Call(static (r, cx, s) => r.Hit(cx, s), "ui");
            driver.RunSoon();
        }, null);

        Recorder rec = await driver.Post<Recorder>(a);
        await rec.TimerFired.Task.WaitAsync(Deadline);
        Assert.Equal(2, await rec.Calls.Task.WaitAsync(Deadline));
        Assert.Equal(["init", "posted", "timer", "ui"], rec.Seen.Select(s => s.What).Order());
        Assert.All(rec.Seen, s => Assert.Equal(ui.ThreadId, s.Thread));

        driver.Stop();
        Assert.Same(StopCause.Stopped, await driver.Completion.WaitAsync(Deadline));
        Assert.Empty(ui.Escaped);
    }

    [Fact]
    public async Task TopActorStops_LoopEndsWithTheShutdownCause_AndTheCoreIsDisposedOnTheContext()
    {
        using var ui = new SingleThreadContext();
        using var driver = new SynchronizationContextDriver(ui, core =>
        {
            var own = core.Spawn<Recorder>(static cx => new Recorder(cx), Ret.Shutdown(core));
            own.Actor.Call(static (r, cx) => cx.After(TimeSpan.FromMilliseconds(10), static (r, cx) => cx.Stop()));
        });
        StopCause cause = await driver.Completion.WaitAsync(Deadline);
        Assert.Equal(StopKind.Stopped, cause.Kind);
        Assert.Null(driver.Core);
        Assert.Empty(ui.Escaped);
    }
}

internal static class DriverTestExtensions
{
    /// <summary>The actor's state object, read on the context (for assertions on thread-safe members)</summary>
    internal static Task<T> Post<T>(this SynchronizationContextDriver driver, Actor<T> actor) where T : class
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        driver.Post(_ => tcs.SetResult(actor.Query(static (s, cx) => s)));
        return tcs.Task;
    }
}
