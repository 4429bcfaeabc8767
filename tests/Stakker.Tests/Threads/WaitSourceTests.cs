using Stakker.Tests.Actors;

namespace Stakker.Tests.Threads;

/// <summary>A Core whose thread blocks somewhere else (an I/O poller): <see cref="Core.SetWaitSource"/></summary>
public class WaitSourceTests
{
    /// <summary>Records every wait; runs a scripted action on each, on the Core's thread</summary>
    sealed class FakeSource(Func<int, TimeSpan, bool>? onWait = null) : ICoreWaitSource
    {
        public readonly List<TimeSpan> Waits = [];
        public int Wakes;

        public bool Wait(TimeSpan timeout)
        {
            Waits.Add(timeout);
            return onWait?.Invoke(Waits.Count, timeout) ?? false;
        }

        public void Wake() => Interlocked.Increment(ref Wakes);
    }

    [Fact]
    public void WaitForWake_WithASource_BlocksInTheSourceWithTheTimeout()
    {
        var core = new Core(Instant.Zero);
        var source = new FakeSource((_, _) => false);
        core.SetWaitSource(source);

        Assert.True(core.HasWaitSource);
        Assert.False(core.WaitForWake(TimeSpan.FromSeconds(3)));
        Assert.Equal([TimeSpan.FromSeconds(3)], source.Waits);
    }

    [Fact]
    public void Wake_WhileTheCoreIsNotInItsSource_CostsTheSourceNothing_AndTheNextWaitPolls()
    {
        var core = new Core(Instant.Zero);
        var source = new FakeSource();
        core.SetWaitSource(source);
        var seen = new List<bool>();
        using Waker waker = core.CreateWaker(Fwd.From<bool>(core, seen.Add));

        var t = new Thread(waker.Wake);
        t.Start();
        Assert.True(t.Join(TimeSpan.FromSeconds(30)));

        // The Core was not blocked in its source: no write to it (decision 054); the pending wake is seen.
        Assert.Equal(0, source.Wakes);
        Assert.True(core.WaitForWake(TimeSpan.FromMinutes(1)));      // a wake is pending: poll, don't sleep
        Assert.Equal([TimeSpan.Zero], source.Waits);
        core.RunNow();
        Assert.Equal([false], seen);
    }

    /// <summary>Blocks in Wait until Wake (as epoll_wait on an eventfd does), and says when it blocks</summary>
    sealed class BlockingSource : ICoreWaitSource
    {
        readonly SemaphoreSlim _wake = new(0);
        public readonly ManualResetEventSlim Blocking = new();
        public int Wakes;

        public bool Wait(TimeSpan timeout)
        {
            if (timeout > TimeSpan.Zero) Blocking.Set();
            return _wake.Wait(timeout);
        }

        public void Wake()
        {
            Interlocked.Increment(ref Wakes);
            _wake.Release();
        }
    }

    [Fact]
    public void Wake_WhileTheCoreBlocksInItsSource_WakesTheSource()
    {
        var core = new Core(Instant.Zero);
        var source = new BlockingSource();
        core.SetWaitSource(source);
        var seen = new List<bool>();
        using Waker waker = core.CreateWaker(Fwd.From<bool>(core, seen.Add));
        var t = new Thread(() =>
        {
            source.Blocking.Wait(TimeSpan.FromSeconds(30));
            waker.Wake();
        });
        t.Start();
        Assert.True(core.WaitForWake(TimeSpan.FromSeconds(30)));
        Assert.True(t.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, source.Wakes);
        core.RunNow();
        Assert.Equal([false], seen);
    }

    [Fact]
    public void ManyPostsFromAnotherThread_WhileTheCoreWaitsAndRuns_AreAllCollected_NoWakeLost()
    {
        // The handshake between a post and a Core about to block: were a wake lost, the Core would
        // sleep its full minute with work posted, and the deadline below would fail the test.
        var core = new Core(Instant.Zero);
        var source = new BlockingSource();
        core.SetWaitSource(source);
        const int Posts = 200_000;
        int ran = 0;
        var poster = new Thread(() =>
        {
            for (int i = 0; i < Posts; i++)
            {
                core.PostFromAnyThread(() => ran++);
                if (i % 64 == 0) Thread.Yield();
            }
        });
        poster.Start();
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (ran < Posts && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            core.WaitForWake(TimeSpan.FromMinutes(1));
            core.RunNow();
        }
        Assert.True(poster.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal(Posts, ran);
        Assert.True(source.Wakes < Posts, "a running Core is not woken for each post");
    }

    [Fact]
    public void SetWaitSource_Twice_ThrowsNamingTheRule()
    {
        var core = new Core(Instant.Zero);
        core.SetWaitSource(new FakeSource());
        var ex = Assert.Throws<InvalidOperationException>(() => core.SetWaitSource(new FakeSource()));
        Assert.Contains("already has a wait source", ex.Message);
    }

    [Fact]
    public void RealTimeDriver_WithWorkQueued_StillPollsTheSource()
    {
        var core = new Core(Instant.Zero);
        int idleRuns = 0;
        // An idle call keeps re-queuing itself, so the driver never needs to sleep; the source must
        // be polled anyway, and the event it finds ends the loop.
        void Idle()
        {
            // A driver that never polls would spin here for ever: end it, and fail below.
            if (++idleRuns == 10_000) core.Shutdown(StopCause.Dropped);
            else core.Idle(Idle);
        }
        core.Idle(Idle);
        var source = new FakeSource((n, timeout) =>
        {
            if (n == 3) core.Defer(() => core.Shutdown(StopCause.Stopped));
            return n == 3;
        });
        core.SetWaitSource(source);

        StopCause? cause = RealTimeDriver.Run(core);

        Assert.Same(StopCause.Stopped, cause);
        Assert.Equal(3, source.Waits.Count);
        Assert.All(source.Waits, w => Assert.Equal(TimeSpan.Zero, w));
        Assert.True(idleRuns >= 2);
    }
}
