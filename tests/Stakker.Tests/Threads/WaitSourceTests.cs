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
    public void Wake_FromAnotherThread_ReachesTheSourceAndThePendingWakeMakesTheNextWaitAPoll()
    {
        var core = new Core(Instant.Zero);
        var source = new FakeSource();
        core.SetWaitSource(source);
        var seen = new List<bool>();
        using Waker waker = core.CreateWaker(Fwd.From<bool>(core, seen.Add));

        var t = new Thread(waker.Wake);
        t.Start();
        Assert.True(t.Join(TimeSpan.FromSeconds(30)));

        Assert.Equal(1, source.Wakes);
        Assert.True(core.WaitForWake(TimeSpan.FromMinutes(1)));      // a wake is pending: poll, don't sleep
        Assert.Equal([TimeSpan.Zero], source.Waits);
        core.RunNow();
        Assert.Equal([false], seen);
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
