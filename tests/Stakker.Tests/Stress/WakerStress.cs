using Xunit.Abstractions;
using System.Collections.Concurrent;
using System.Diagnostics;
using Stakker.Tests.Threads;

namespace Stakker.Tests.Stress;

/// <summary>Producer threads feeding a Core through wakers made and dropped round after round: every
/// item arrives once and in order, every waker's "dropped" call arrives once and last</summary>
public class WakerStress(ITestOutputHelper output)
{
    const int Producers = 4;

    sealed class Feed
    {
        public readonly ConcurrentQueue<long> Queue = new();
        public long Sent;
        public long Next, Received, Wakes, Drops, AfterDrop, OutOfOrder;

        public void OnWake(bool dropped)
        {
            if (Drops > 0) AfterDrop++;
            if (dropped) Drops++;
            else Wakes++;
            // Drain on both: the last items may ride on the "dropped" call.
            while (Queue.TryDequeue(out long v))
            {
                if (v != Next) OutOfOrder++;
                Next = v + 1;
                Volatile.Write(ref Received, Received + 1);
            }
        }
    }

    [Fact]
    public void Stress_Wakers_NothingLostNothingDuplicated()
    {
        using var yields = Yields.Inject();
        var clock = Stopwatch.StartNew();
        var core = new Core(Instant.Zero);
        long items = 0, wakes = 0, rounds = 0;
        var rng = new Random(1);
        while (clock.Elapsed < Yields.Budget || rounds == 0)
        {
            var feeds = new Feed[Producers];
            var threads = new Task[Producers];
            for (int k = 0; k < Producers; k++)
            {
                Feed f = feeds[k] = new Feed();
                Waker waker = core.CreateWaker(Fwd.From<bool>(core, f.OnWake));
                int count = rng.Next(1, 30_000);
                f.Sent = count;
                threads[k] = Task.Factory.StartNew(() =>
                {
                    var spin = new SpinWait();
                    for (long i = 0; i < count; i++)
                    {
                        // At most a few hundred ahead of the Core, so the Core drains while the
                        // producers post: wakes then race with collections all the time.
                        while (i - Volatile.Read(ref f.Received) > 256) spin.SpinOnce();
                        f.Queue.Enqueue(i);
                        waker.Wake();
                    }
                    waker.Dispose();
                }, TaskCreationOptions.LongRunning);
                items += count;
            }
            var allDropped = Task.WhenAll(threads).ContinueWith(_ => { }, TaskScheduler.Default);
            core.Drive(allDropped);
            // The producers have ended; their last posts may still be waiting for a run.
            while (core.WakerCount > 0) { core.Run(core.Now, idle: false); core.WaitForWake(TimeSpan.FromMilliseconds(10)); }
            foreach (Feed f in feeds)
            {
                Assert.Equal(0, f.OutOfOrder);
                Assert.Equal(1, f.Drops);
                Assert.Equal(0, f.AfterDrop);
                Assert.Equal(f.Sent, f.Received);
                wakes += f.Wakes;
            }
            rounds++;
        }
        output.WriteLine(yields.Report("wakers", $"{rounds:N0} rounds, {Producers} threads, {items:N0} items, {wakes:N0} handler calls", clock));
        yields.AssertReached(5);
    }
}
