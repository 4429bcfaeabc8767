using Stakker.Diagnostics;

namespace Stakker.Dashboard.Tests;

/// <summary>What a Core tells a dashboard: the tree, per-actor figures, failures, bounds (on virtual time)</summary>
public sealed class SnapshotTests
{
    sealed class Parent
    {
        public ActorOwn<Child>? Child;
        public readonly List<ActorOwn<Child>> Children = [];
        public int Restarts;

        public void SpawnChild(Cx<Parent> cx) =>
            Child = cx.Core.Spawn<Child>(static cx => new Child(), cx.Ret<StopCause>(static (p, cx, c) => p.ChildEnded(cx, c.Value!)));

        public void SpawnMany(Cx<Parent> cx, int n)
        {
            for (int i = 0; i < n; i++) Children.Add(cx.Core.Spawn<Child>(static cx => new Child(), Ret.Nop<StopCause>()));
        }

        void ChildEnded(Cx<Parent> cx, StopCause cause)
        {
            if (cause.Kind != StopKind.Failed) return;
            if (cause.Error is InvalidOperationException) cx.Fail(cause.Error);   // fail upward
            else { Restarts++; SpawnChild(cx); }                                // restart
        }
    }

    sealed class Child
    {
        public Ret<int>? Held;
        public void Work(Cx<Child> cx) { }
        public void Hold(Cx<Child> cx, Ret<int> r) => Held = r;
        public void Later(Cx<Child> cx) => cx.After(TimeSpan.FromSeconds(10), static (c, cx) => c.Work(cx));
        public void Crash(Cx<Child> cx, Exception e) => throw e;
    }

    static (Core, StakkerDiagnostics) NewCore()
    {
        var core = new Core(Instant.Zero);
        var d = new StakkerDiagnostics();
        d.Attach(core, "main");
        return (core, d);
    }

    /// <summary>Asks for a snapshot and runs the Core until it has answered (the request is posted to it)</summary>
    static CoreSnapshot Snap(Core core, StakkerDiagnostics d, string? type = null, int max = 200)
    {
        Task<IReadOnlyList<CoreSnapshot>> t = d.SnapshotAsync(type, max);
        core.Run(core.Now, false);
        // Built in that Run; the task itself completes on the thread pool, off the Core's thread.
        Assert.True(t.Wait(TimeSpan.FromSeconds(10)), "the snapshot is built in the Core's Run");
        return Assert.Single(t.Result);
    }

    [Fact]
    public void Tree_ListsTypeIdStateOwnerAndAge()
    {
        var (core, d) = NewCore();
        using var root = core.Spawn<Parent>(static cx => new Parent(), Ret.Nop<StopCause>());
        using var prep = core.Create<Child>(Ret.Nop<StopCause>());
        root.Call(static (p, cx) => p.SpawnChild(cx));
        core.Run(core.Now, false);
        core.Run(core.Now + TimeSpan.FromSeconds(3), false);

        CoreSnapshot s = Snap(core, d);
        Assert.Equal("main", s.Core);
        Assert.Equal(3, s.ActorCount);
        ActorSnapshot parent = Assert.Single(s.Actors, a => a.Type == nameof(Parent));
        Assert.Null(parent.OwnerId);
        Assert.Equal(ActorState.Ready, parent.State);
        Assert.Equal(TimeSpan.FromSeconds(3), parent.Age);
        ActorSnapshot child = Assert.Single(s.Actors, a => a.Type == nameof(Child) && a.State == ActorState.Ready);
        Assert.Equal(parent.Id, child.OwnerId);
        Assert.Single(s.Actors, a => a.Type == nameof(Child) && a.State == ActorState.Prep);
        ActorTypeSummary children = Assert.Single(s.Types, t => t.Type == nameof(Child));
        Assert.Equal(2, children.Count);
        Assert.Equal(1, children.Prep);
    }

    [Fact]
    public void Figures_AreSampledOnlyWhileSamplingIsOn()
    {
        var (core, d) = NewCore();
        using var child = core.Spawn<Child>(static cx => new Child(), Ret.Nop<StopCause>());
        core.Run(core.Now, false);
        for (int i = 0; i < 5; i++) child.Call(static (c, cx) => c.Work(cx));
        core.Run(core.Now, false);
        Assert.Equal(0, Assert.Single(Snap(core, d).Actors).CallsRun);

        using (d.StartSampling())
        {
            core.Run(core.Now, false);   // the Core looks at the switch once per Run
            for (int i = 0; i < 7; i++) child.Call(static (c, cx) => c.Work(cx));
            ActorSnapshot queued = Assert.Single(Snap(core, d).Actors);
            Assert.True(Snap(core, d).Sampling);
            Assert.Equal(7, queued.Queued + queued.CallsRun);
            core.Run(core.Now, false);
            ActorSnapshot ran = Assert.Single(Snap(core, d).Actors);
            Assert.Equal(7, ran.CallsRun);
            Assert.Equal(0, ran.Queued);
            Assert.True(ran.HandlerTime > TimeSpan.Zero);
        }
        core.Run(core.Now, false);
        child.Call(static (c, cx) => c.Work(cx));
        core.Run(core.Now, false);
        CoreSnapshot after = Snap(core, d);
        Assert.False(after.Sampling);
        Assert.Equal(7, Assert.Single(after.Actors).CallsRun);
    }

    [Fact]
    public void PendingTimersAndHeldRets_AreCountedPerActor()
    {
        var (core, d) = NewCore();
        using var child = core.Spawn<Child>(static cx => new Child(), Ret.Nop<StopCause>());
        core.Run(core.Now, false);
        child.Call(static (c, cx) => c.Later(cx));
        child.Call(static (c, cx) => c.Later(cx));
        child.Call(static (c, cx, r) => c.Hold(cx, r), Ret.From<int>(core, static _ => { }));
        core.Run(core.Now, false);
        ActorSnapshot a = Assert.Single(Snap(core, d).Actors);
        Assert.Equal(2, a.PendingTimers);
        Assert.Equal(1, a.OutstandingRets);
        core.Run(core.Now + TimeSpan.FromSeconds(11), false);
        Assert.Equal(0, Assert.Single(Snap(core, d).Actors).PendingTimers);
    }

    [Fact]
    public void Failures_NewestFirst_WithCauseAndOwnersDecision()
    {
        var (core, d) = NewCore();
        using var root = core.Spawn<Parent>(static cx => new Parent(), Ret.Nop<StopCause>());
        root.Call(static (p, cx) => p.SpawnChild(cx));
        core.Run(core.Now, false);

        // The owner restarts a child that failed with anything but InvalidOperationException.
        root.Actor.Query(static (p, cx) => p.Child!).Call(static (c, cx, e) => c.Crash(cx, e), (Exception)new TimeoutException("disk slow"));
        core.Run(core.Now + TimeSpan.FromSeconds(1), false);
        // ... and fails upward on InvalidOperationException.
        root.Actor.Query(static (p, cx) => p.Child!).Call(static (c, cx, e) => c.Crash(cx, e), (Exception)new InvalidOperationException("bad state"));
        core.Run(core.Now + TimeSpan.FromSeconds(1), false);

        IReadOnlyList<ActorFailure> f = Snap(core, d).Failures;
        Assert.Equal(3, f.Count);
        Assert.Equal(nameof(Parent), f[0].ActorType);
        Assert.Equal(OwnerDecision.Root, f[0].Decision);
        Assert.Equal("bad state", f[0].Message);
        Assert.Equal(nameof(Child), f[1].ActorType);
        Assert.Equal(typeof(InvalidOperationException).FullName, f[1].ErrorType);
        Assert.Equal(OwnerDecision.FailedUpward, f[1].Decision);
        Assert.Equal(nameof(Parent), f[1].OwnerType);
        Assert.Equal(StopKind.Failed, f[2].Kind);
        Assert.Equal("disk slow", f[2].Message);
        Assert.Equal(OwnerDecision.Restarted, f[2].Decision);
    }

    [Fact]
    public void Failures_KeepOnlyTheNewest()
    {
        var (core, d) = NewCore();
        for (int i = 0; i < StakkerDiagnostics.FailuresKept + 10; i++)
        {
            var own = core.Spawn<Child>(static cx => new Child(), Ret.Nop<StopCause>());
            own.Call(static (c, cx, e) => c.Crash(cx, e), (Exception)new TimeoutException("failure " + i));
        }
        core.Run(core.Now, false);
        IReadOnlyList<ActorFailure> f = Snap(core, d).Failures;
        Assert.Equal(StakkerDiagnostics.FailuresKept, f.Count);
        Assert.Equal("failure " + (StakkerDiagnostics.FailuresKept + 9), f[0].Message);
        Assert.Equal("failure 10", f[^1].Message);
    }

    [Fact]
    public void HundredThousandActors_AreAggregatedByType_AndTheListIsCapped()
    {
        var (core, d) = NewCore();
        using var root = core.Spawn<Parent>(static cx => new Parent(), Ret.Nop<StopCause>());
        root.Call(static (p, cx, n) => p.SpawnMany(cx, n), 100_000);
        core.Run(core.Now, false);

        CoreSnapshot all = Snap(core, d, max: 0);
        Assert.Equal(100_001, all.ActorCount);
        Assert.Empty(all.Actors);
        Assert.True(all.ActorsTruncated);
        Assert.Equal(100_000, Assert.Single(all.Types, t => t.Type == nameof(Child)).Count);
        Assert.Equal(nameof(Child), all.Types[0].Type);   // most numerous first

        CoreSnapshot parents = Snap(core, d, type: nameof(Parent), max: 50);
        Assert.False(parents.ActorsTruncated);
        Assert.Equal(nameof(Parent), Assert.Single(parents.Actors).Type);

        CoreSnapshot children = Snap(core, d, type: nameof(Child), max: 50);
        Assert.Equal(50, children.Actors.Count);
        Assert.True(children.ActorsTruncated);
        Assert.All(children.Actors, a => Assert.Equal(nameof(Child), a.Type));
    }

    [Fact]
    public async Task Kill_EndsTheActor_AndIsListedAsKilled()
    {
        var (core, d) = NewCore();
        using var child = core.Spawn<Child>(static cx => new Child(), Ret.Nop<StopCause>());
        core.Run(core.Now, false);
        long id = Assert.Single(Snap(core, d).Actors).Id;
        Task<bool> killed = d.KillAsync("main", id, "from a test");
        core.Run(core.Now, false);
        Assert.True(await killed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ActorState.Zombie, child.Actor.State);
        ActorFailure f = Assert.Single(Snap(core, d).Failures);
        Assert.Equal(StopKind.Killed, f.Kind);
        Assert.Equal("from a test", f.Message);
        Task<bool> again = d.KillAsync("main", id, "twice");
        core.Run(core.Now, false);
        Assert.False(await again.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
