namespace Stakker.Tests.Actors;

public class FailureTests
{
    sealed class Worker : IDisposable
    {
        public readonly List<string> Log;
        public Worker(List<string> log) { Log = log; }

        public void Note(Cx<Worker> cx, string s) => Log.Add(s);
        public void Throw(Cx<Worker> cx, string msg) { Log.Add("throwing"); throw new InvalidOperationException(msg); }
        public void StopThenContinue(Cx<Worker> cx)
        {
            Assert.False(cx.IsStopping);
            cx.Stop();
            Assert.True(cx.IsStopping);
            Log.Add("after stop");      // the handler runs to its end; the stop applies when it returns
            cx.This.Call(static (a, cx, s) => a.Note(cx, s), "self-call after stop");
        }
        public void FailTwice(Cx<Worker> cx) { cx.Fail("first"); cx.Fail("second"); cx.Stop(); }
        public void StopThenFail(Cx<Worker> cx) { cx.Stop(); cx.Fail("too late"); }
        public void KillOther(Cx<Worker> cx, ActorOwn<Worker> other)
        {
            other.Kill("killed from a handler");
            Log.Add("other is " + other.Actor.State);
        }
        public void Dispose() => Log.Add("disposed");
    }

    sealed class BadDispose : IDisposable
    {
        public BadDispose(Cx<BadDispose> cx) { }
        public void Stop(Cx<BadDispose> cx) => cx.Stop();
        public void Dispose() => throw new InvalidOperationException("dispose failed");
    }

    static ActorOwn<Worker> SpawnWorker(Core core, List<string> log, List<Answer<StopCause>> stops) =>
        core.Spawn<Worker, List<string>>(static (cx, l) => new Worker(l), log, ActorTestKit.Notify(core, stops));

    static void Note(Actor<Worker> w, string s) => w.Call(static (a, cx, x) => a.Note(cx, x), s);

    [Fact]
    public void ExceptionInHandler_FailsActorAndOtherActorsQueuedCallsStillRun()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        using var worker = SpawnWorker(core, log, stops);
        using var bystander = Bystander.Spawn(core);
        core.RunNow();

        Bystander.Queue(bystander, "before");
        worker.Call(static (a, cx, m) => a.Throw(cx, m), "boom");
        Bystander.Queue(bystander, "after");
        core.RunNow();

        StopCause c = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Failed, c.Kind);
        Assert.Equal("boom", Assert.IsType<InvalidOperationException>(c.Error).Message);
        Assert.Equal(["before", "after"], Bystander.SeenBy(bystander));
        Assert.Equal(["throwing", "disposed"], log);
    }

    [Fact]
    public void ExceptionInHandler_LaterCallsToTheFailedActorAreDropped()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        using var worker = SpawnWorker(core, log, stops);
        worker.Call(static (a, cx, m) => a.Throw(cx, m), "boom");
        Note(worker, "queued behind the failure");

        core.RunNow();
        Note(worker, "made after the failure");
        core.RunNow();

        Assert.Equal(["throwing", "disposed"], log);
        Assert.True(worker.Actor.IsZombie);
        Assert.Single(stops);
    }

    [Fact]
    public void ExceptionInHandler_RunKeepsGoingAcrossManyFailures()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        var owners = new List<ActorOwn<Worker>>();
        for (int i = 0; i < 10; i++)
        {
            var w = SpawnWorker(core, [], stops);
            w.Call(static (a, cx, m) => a.Throw(cx, m), "fail " + i);
            owners.Add(w);
        }

        core.RunNow();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => "fail " + i), stops.Select(s => s.Value.Error!.Message));
        Assert.All(owners, o => Assert.True(o.Actor.IsZombie));
    }

    [Fact]
    public void CxStop_InHandler_HandlerFinishesThenActorEndsBeforeNextCall()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        using var worker = SpawnWorker(core, log, stops);
        worker.Call(static (a, cx) => a.StopThenContinue(cx));
        Note(worker, "queued behind the stopping call");   // dropped: the actor ended first

        core.RunNow();

        Assert.Equal(["after stop", "disposed"], log);
        Assert.Equal(StopKind.Stopped, Assert.Single(stops).Value.Kind);
    }

    [Fact]
    public void CxFail_CalledTwiceThenStop_FirstRequestWins()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        using var worker = SpawnWorker(core, [], stops);
        worker.Call(static (a, cx) => a.FailTwice(cx));

        core.RunNow();

        StopCause c = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Failed, c.Kind);
        Assert.Equal("first", c.Error!.Message);
    }

    [Fact]
    public void CxStop_ThenFail_StoppedWins()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        using var worker = SpawnWorker(core, [], stops);
        worker.Call(static (a, cx) => a.StopThenFail(cx));

        core.RunNow();

        Assert.Same(StopCause.Stopped, Assert.Single(stops).Value);
    }

    [Fact]
    public void Kill_FromOutsideAHandler_EndsTheActorAtOnce()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        using var worker = SpawnWorker(core, log, stops);
        core.RunNow();
        Note(worker, "queued before kill");

        worker.Kill("enough");

        Assert.True(worker.Actor.IsZombie);
        Assert.Equal(["disposed"], log);
        Assert.Equal(StopKind.Killed, Assert.Single(stops).Value.Kind);
        core.RunNow();
        Assert.Equal(["disposed"], log);        // the queued call was dropped
    }

    [Fact]
    public void Kill_FromInsideAHandler_IsQueuedAndAppliesWhenReached()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var victimLog = new List<string>();
        var stops = new List<Answer<StopCause>>();
        using var killer = SpawnWorker(core, log, []);
        using var victim = SpawnWorker(core, victimLog, stops);
        core.RunNow();

        killer.Call(static (a, cx, o) => a.KillOther(cx, o), victim);
        Note(victim, "queued before the kill was asked for");   // this one is still delivered
        core.RunNow();

        Assert.Equal(["other is Ready"], log);
        Assert.Equal(["queued before the kill was asked for", "disposed"], victimLog);
        StopCause c = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Killed, c.Kind);
        Assert.Equal("killed from a handler", c.Error!.Message);
    }

    [Fact]
    public void Notify_WhenFailKillAndDropAllHappen_OwnerIsToldExactlyOnceWithTheFirst()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        var worker = SpawnWorker(core, log, stops);
        worker.Call(static (a, cx, m) => a.Throw(cx, m), "first failure");
        core.RunNow();

        worker.Kill("second");
        worker.Dispose();
        core.RunNow();
        Assert.Throws<ObjectDisposedException>(() => worker.Owned());

        StopCause c = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Failed, c.Kind);
        Assert.Equal("first failure", c.Error!.Message);
        Assert.Equal(["throwing", "disposed"], log);   // state disposed exactly once
    }

    [Fact]
    public void Kill_ThenExceptionQueued_OwnerToldOnceKilled()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        using var worker = SpawnWorker(core, [], stops);
        core.RunNow();
        worker.Call(static (a, cx, m) => a.Throw(cx, m), "never thrown");

        worker.Kill("killed first");
        core.RunNow();

        Assert.Equal(StopKind.Killed, Assert.Single(stops).Value.Kind);
    }

    [Fact]
    public void FailedActor_PendingTimer_DoesNotFireButOtherActorsTimersDo()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var otherLog = new List<string>();
        using var worker = SpawnWorker(core, log, []);
        using var other = SpawnWorker(core, otherLog, []);
        core.RunNow();
        worker.Actor.Query(static (a, cx) => cx.After(TimeSpan.FromSeconds(1), static (w, cx) => w.Note(cx, "timer")));
        other.Actor.Query(static (a, cx) => cx.After(TimeSpan.FromSeconds(1), static (w, cx) => w.Note(cx, "timer")));
        worker.Call(static (a, cx, m) => a.Throw(cx, m), "boom");

        core.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(["throwing", "disposed"], log);
        Assert.Equal(["timer"], otherLog);
    }

    [Fact]
    public void DisposeOfStateThrowing_OwnerHearsAFailureCarryingIt_RunDoesNotThrow_OthersAreServed()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        using var bad = core.Spawn<BadDispose>(static cx => new BadDispose(cx), ActorTestKit.Notify(core, stops));
        using var bystander = Bystander.Spawn(core);
        core.RunNow();
        bad.Call(static (a, cx) => a.Stop(cx));
        Bystander.Queue(bystander, "after the bad teardown");

        core.RunNow();

        StopCause cause = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Failed, cause.Kind);   // a stop whose teardown threw is a failure
        Assert.Equal("dispose failed", cause.TeardownError!.InnerException!.Message);
        Assert.Contains("BadDispose#" + bad.Actor.Id, cause.TeardownError.Message);
        Assert.True(bad.Actor.IsZombie);
        Assert.Equal(["after the bad teardown"], Bystander.SeenBy(bystander));
    }
}
