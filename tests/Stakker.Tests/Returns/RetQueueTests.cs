using Stakker.Tests.Actors;

namespace Stakker.Tests.Returns;

/// <summary>Rets with Prep actors, timers and queues</summary>
public class RetQueueTests : RetTestBase
{
    [Fact]
    public void RetBufferedInPrepActor_InitFails_NoValueWithinTheRun()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = core.Create<Server>(Ret.Nop<StopCause>());
        server.Call(static (a, cx, r) => a.Get(cx, r), ActorTestKit.Recorder(core, got));
        server.Actor.Init(static cx => { cx.Fail("cannot start"); return null; });

        core.RunNow();

        Assert.False(Assert.Single(got).HasValue);
    }

    [Fact]
    public void RetBufferedInPrepActor_InitSucceeds_AnsweredWithTheValue()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = core.Create<Server>(Ret.Nop<StopCause>());
        server.Call(static (a, cx, r) => a.Get(cx, r), ActorTestKit.Recorder(core, got));
        core.RunNow();
        Assert.Empty(got);

        server.Actor.Init(static cx => new Server(cx, 31));
        core.RunNow();

        Assert.Equal(31, Assert.Single(got).Value);
    }

    [Fact]
    public void RetInATimerCall_TimerCancelled_NoValueAtOnce()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core, 5);
        server.Call(static (a, cx, d, r) => a.AnswerLater(cx, d, r), TimeSpan.FromSeconds(10), ActorTestKit.Recorder(core, got));
        core.RunNow();
        Assert.Empty(got);

        server.Call(static (a, cx) => a.CancelTimer(cx));
        core.RunNow();

        Assert.False(Assert.Single(got).HasValue);
        Assert.Equal(["cancelled True"], server.Actor.Query(static (a, cx) => a.Log.ToList()));
        core.Advance(TimeSpan.FromSeconds(20));
        Assert.Single(got);
    }

    [Fact]
    public void RetInATimerCall_TimerFires_AnsweredAtExpiryNotBefore()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core, 5);
        server.Call(static (a, cx, d, r) => a.AnswerLater(cx, d, r), TimeSpan.FromSeconds(10), ActorTestKit.Recorder(core, got));
        core.RunNow();

        core.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(got);
        core.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(5, Assert.Single(got).Value);
    }

    [Fact]
    public void RetInATimerCall_ActorEndsBeforeExpiry_NoValueWhenTheActorEnds()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core, 5);
        server.Call(static (a, cx, d, r) => a.AnswerLater(cx, d, r), TimeSpan.FromHours(1), ActorTestKit.Recorder(core, got));
        core.RunNow();

        server.Call(static (a, cx) => a.Stop(cx));
        core.RunNow();

        // The actor that would have answered is gone: the requester must not wait an hour to learn it.
        Assert.False(Assert.Single(got).HasValue);
        core.Advance(TimeSpan.FromHours(2));
        Assert.Single(got);
    }

    [Fact]
    public void RetInATimerCall_CoreDisposedWithTheActorAlive_NoValue()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        var server = SpawnServer(core, 5);
        server.Call(static (a, cx, d, r) => a.AnswerLater(cx, d, r), TimeSpan.FromSeconds(10), ActorTestKit.Recorder(core, got));
        core.RunNow();

        core.Dispose();

        Assert.False(Assert.Single(got).HasValue);
        Assert.Equal(ActorState.Ready, server.Actor.State);   // Dispose leaves live actors as they are
    }

    [Fact]
    public void RetsInSeveralArgumentPositions_CallDropped_EachAnswersNoValue()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core);
        server.Kill("gone");

        server.Call(static (a, cx, x, r1, s, r2) => a.Pair(cx, x, r1, s, r2), 1, ActorTestKit.Recorder(core, got), "abc", ActorTestKit.Recorder(core, got));
        core.RunNow();

        Assert.Equal(2, got.Count);
        Assert.All(got, a => Assert.False(a.HasValue));
    }

    [Fact]
    public void RetsInSeveralArgumentPositions_CallRuns_EachAnswered()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core);

        server.Call(static (a, cx, x, r1, s, r2) => a.Pair(cx, x, r1, s, r2), 1, ActorTestKit.Recorder(core, got), "abc", ActorTestKit.Recorder(core, got));
        core.RunNow();

        Assert.Equal([1, 3], got.Select(a => a.Value));
    }

    [Fact]
    public void CoreDispose_WithACallHoldingARetQueued_RetAnswersNoValue()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        var server = SpawnServer(core);
        server.Call(static (a, cx, r) => a.Get(cx, r), ActorTestKit.Recorder(core, got));

        core.Dispose();

        Assert.False(Assert.Single(got).HasValue);
    }
}
