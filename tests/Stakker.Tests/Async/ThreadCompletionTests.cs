using System.Collections.Concurrent;

namespace Stakker.Tests.Async;

public class ThreadCompletionTests
{
    [Fact]
    public void Post_MillionCompletionsFromFourThreads_EachDeliveredExactlyOnceInThreadOrder()
    {
        const int Threads = 4, PerThread = 250_000;
        var core = new Core(Instant.Zero);
        var next = new int[Threads];
        int delivered = 0;
        int outOfOrder = 0;
        core.Run(core.Now, false);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                int seq = i;
                // Each completion is posted from this thread and runs on the Core's thread.
                core.SynchronizationContext.Post(_ =>
                {
                    if (next[t] != seq) outOfOrder++;
                    next[t] = seq + 1;
                    delivered++;
                }, null);
            }
        })).ToArray();
        foreach (var w in workers) w.Start();
        AsyncTestDriver.RunWithWakes(core, () => delivered == Threads * PerThread, TimeSpan.FromSeconds(120));
        foreach (var w in workers) w.Join();
        core.Run(core.Now, false);
        Assert.Equal(Threads * PerThread, delivered);
        Assert.Equal(0, outOfOrder);
        Assert.All(next, n => Assert.Equal(PerThread, n));
    }

    [Fact]
    public void TaskScheduler_TasksFromOtherThreads_RunOnCoreThread()
    {
        var core = new Core(Instant.Zero);
        int coreThread = Environment.CurrentManagedThreadId;
        var ran = new ConcurrentBag<int>();
        core.Run(core.Now, false);
        var tasks = Enumerable.Range(0, 100).Select(i =>
            Task.Run(() => Task.Factory.StartNew(() => ran.Add(Environment.CurrentManagedThreadId), CancellationToken.None, TaskCreationOptions.None, core.TaskScheduler))).ToArray();
        AsyncTestDriver.RunWithWakes(core, () => tasks.All(t => t.IsCompleted), TimeSpan.FromSeconds(60));
        Assert.Equal(100, ran.Count);
        Assert.All(ran, t => Assert.Equal(coreThread, t));
    }
}
