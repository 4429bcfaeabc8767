using Stakker.Hosting;

namespace Stakker.Dashboard.Tests;

/// <summary>Runs alone: a GC forced by a test running in parallel can disturb the per-thread allocation counter</summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;

/// <summary>With a dashboard attached and no page open, the call path allocates nothing (decision 094)</summary>
[Collection(nameof(AllocationCollection))]
public sealed class AllocationTests
{
    const int RoundTrips = 50_000;

    sealed class Pinger
    {
        public Actor<Ponger> Pong;
        public int Left;
        public void Start(Cx<Pinger> cx, int n) { Left = n; Pong.Call(static (p, cx, x) => p.Ping(cx, x), n); }
        public void Back(Cx<Pinger> cx, int n) { if (--Left > 0) Pong.Call(static (p, cx, x) => p.Ping(cx, x), n); }
    }

    sealed class Ponger(Actor<Pinger> ping)
    {
        public void Ping(Cx<Ponger> cx, int n) => ping.Call(static (p, cx, x) => p.Back(cx, x), n);
    }

    static long PingPong(Core core, ActorOwn<Pinger> ping)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        ping.Call(static (p, cx, n) => p.Start(cx, n), RoundTrips);
        core.Run(core.Now, false);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, ping.Actor.Query(static (p, cx) => p.Left));
        return allocated;
    }

    static T Wait<T>(Task<T> t)
    {
        Assert.True(t.Wait(TimeSpan.FromSeconds(10)));
        return t.Result;
    }

    sealed class Disposing(StakkerDashboard dashboard) : IDisposable
    {
        public void Dispose() => dashboard.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void CallPath_WithTheDashboardAttachedAndNoPageOpen_AllocatesNothing()
    {
        var core = new Core(Instant.Zero);
        using var diagnostics = new StakkerDiagnostics();
        diagnostics.Attach(core);
        var dashboard = new StakkerDashboard(diagnostics, new DashboardOptions { Port = 0 });
        dashboard.Start();
        // The Core stays on this thread (its actors check it), so nothing here awaits.
        using var stop = new Disposing(dashboard);
        using var ping = core.Create<Pinger>(Ret.Nop<StopCause>());
        using var pong = core.Spawn<Ponger, Actor<Pinger>>(static (cx, p) => new Ponger(p), ping.Actor, Ret.Nop<StopCause>());
        ping.Actor.Init(static (cx, p) => new Pinger { Pong = p }, pong.Actor);
        core.Run(core.Now, false);
        PingPong(core, ping);   // warm: pools and queues at their working size

        Assert.Equal(0, PingPong(core, ping));

        // The same path with a page's sampling on does count every call (so the switch is real).
        using (diagnostics.StartSampling())
        {
            core.Run(core.Now, false);
            PingPong(core, ping);
        }
        Task<IReadOnlyList<Diagnostics.CoreSnapshot>> snap = diagnostics.SnapshotAsync(nameof(Ponger));
        core.Run(core.Now, false);
        Assert.Equal(RoundTrips, Assert.Single(Assert.Single(Wait(snap)).Actors).CallsRun);

        // And once the page is gone, nothing again.
        core.Run(core.Now, false);
        Assert.Equal(0, PingPong(core, ping));
    }
}
