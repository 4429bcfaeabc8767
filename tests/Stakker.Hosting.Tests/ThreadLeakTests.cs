using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Stakker.Hosting.Tests;

/// <summary>Alone in its collection: it counts the process's threads</summary>
[CollectionDefinition(nameof(ThreadLeakTests), DisableParallelization = true)]
public class ThreadLeakCollection;

[Collection(nameof(ThreadLeakTests))]
public class ThreadLeakTests
{
    internal sealed class ThreadCatcher
    {
        public static readonly List<Thread> Caught = [];

        public ThreadCatcher()
        {
            lock (Caught) Caught.Add(Thread.CurrentThread);
        }
    }

    [Fact]
    public async Task StartingAndStoppingTheHost100Times_LeavesNoThreadBehind()
    {
        await Cycle();   // warm-up: the thread pool and the host's own one-time threads
        int before = Process.GetCurrentProcess().Threads.Count;
        lock (ThreadCatcher.Caught) ThreadCatcher.Caught.Clear();

        for (int i = 0; i < 100; i++)
        {
            Thread coreThread = await Cycle();
            Assert.False(coreThread.IsAlive, $"cycle {i}: the Core's thread is still running after StopAsync returned");
        }

        Assert.Equal(100, ThreadCatcher.Caught.Distinct().Count());
        int after = Process.GetCurrentProcess().Threads.Count;
        // The thread pool may grow or shrink a little meanwhile; 100 leaked threads could not hide here.
        Assert.True(after < before + 20, $"threads before: {before}, after 100 hosts: {after}");
    }

    static async Task<Thread> Cycle()
    {
        using IHost host = Hosts.Build(b => b.AddStakker(s => s.AddRootActor<ThreadCatcher>()));
        await host.StartAsync().Within();
        await host.Stakker().InvokeAsync(static _ => 0).Within();   // the root actor's init has run
        await host.StopAsync().Within();
        lock (ThreadCatcher.Caught) return ThreadCatcher.Caught[^1];
    }
}
