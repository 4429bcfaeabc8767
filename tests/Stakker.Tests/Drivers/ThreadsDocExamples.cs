namespace Stakker.Tests.Drivers;

/// <summary>The examples of docs/threads.md, compiled and run</summary>
public class ThreadsDocExamples
{
    // ---- docs/threads.md, "A game loop" -----------------------------------------------------------

    sealed class World
    {
        public int Steps;

        public World(Cx<World> cx) => cx.After(TimeSpan.FromMilliseconds(50), static (w, cx) => w.Step(cx));

        void Step(Cx<World> cx)
        {
            if (++Steps == 10) cx.Stop();   // ends the game after ten steps of game time
            else cx.After(TimeSpan.FromMilliseconds(50), static (w, cx) => w.Step(cx));
        }
    }

    static int RunGame(Func<int, Instant> frameTime)
    {
        #region doc:threads-game-loop
        var core = new Core(Instant.Zero);
        var driver = new TickDriver(core);
        using var world = core.Spawn<World>(static cx => new World(cx), Ret.Shutdown(core));
        int frame = 0;
        while (driver.Tick(frameTime(frame)))
        {
            frame++;   // render the frame here
        }
        #endregion
        return frame;
    }

    [Fact]
    public void GameLoop_TenStepsOfFiftyMsGameTime_EndAtTheFirstFrameAtOrAfterHalfASecond()
    {
        // 60 frames per second of game time: the tenth step is due at 500 ms, frame 30 is at 500 ms.
        int frames = RunGame(static n => Instant.Zero + TimeSpan.FromTicks(TimeSpan.TicksPerSecond * n / 60));
        Assert.Equal(30, frames);
    }

    // ---- docs/threads.md, "A UI thread" -----------------------------------------------------------

    sealed class StatusPoller(Action<string> show)
    {
        int _polls;

        public void Refresh(Cx<StatusPoller> cx) =>
            cx.Offload(static (n, ct) => $"status #{n}", ++_polls, cx.RetSome<string>(static (p, cx, text) => p.Show(text)));

        void Show(string text) => show(text);   // runs on the UI thread: may touch UI objects
    }

    [Fact]
    public async Task UiThread_ClickCallsTheActor_OffloadedResultIsShownOnTheUiThread()
    {
        using var ui = new SingleThreadContext();
        var shown = new TaskCompletionSource<(string Text, int Thread)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<string> show = text => shown.TrySetResult((text, Environment.CurrentManagedThreadId));
        ActorOwn<StatusPoller>? status = null;
        var created = new TaskCompletionSource<SynchronizationContextDriver>(TaskCreationOptions.RunContinuationsAsynchronously);

        // On the UI thread (here: posted to it), in the window's constructor:
        ui.Post(_ =>
        {
            var stakker = new SynchronizationContextDriver(SynchronizationContext.Current!, core =>
                status = core.Spawn<StatusPoller, Action<string>>(static (cx, s) => new StatusPoller(s), show, Ret.Shutdown(core)));
            created.SetResult(stakker);
        }, null);
        SynchronizationContextDriver stakker = await created.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await stakker.Started.WaitAsync(TimeSpan.FromSeconds(60));

        // A click handler, on the UI thread:
        ui.Post(_ =>
        {
            status!.Actor.Call(static (p, cx) => p.Refresh(cx));
            stakker.RunSoon();
        }, null);

        var (text, thread) = await shown.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("status #1", text);
        Assert.Equal(ui.ThreadId, thread);
        stakker.Stop();
        await stakker.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(ui.Escaped);
    }
}
