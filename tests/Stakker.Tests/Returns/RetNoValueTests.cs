using Stakker.Tests.Actors;

namespace Stakker.Tests.Returns;

/// <summary>"No value" on every failure path</summary>
public class RetNoValueTests : RetTestBase
{
    [Fact]
    public void Dispose_Unanswered_DeliversNoValueExactlyOnce()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        Ret<int> ret = ActorTestKit.Recorder(core, got);
        Ret<int> copy = ret;

        ret.Dispose();
        ret.Dispose();
        copy.Dispose();

        Assert.False(Assert.Single(got).HasValue);
    }

    [Fact]
    public void Dispose_AfterAnswer_DeliversNothingMore()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        Ret<int> ret = ActorTestKit.Recorder(core, got);
        ret.Answer(9);

        ret.Dispose();

        Assert.Equal(9, Assert.Single(got).Value);
    }

    [Fact]
    public void Call_ToActorThatAlreadyEnded_RetAnswersNoValueWithinTheSameRun()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core);
        using var client = SpawnClient(core);
        core.RunNow();
        server.Kill("gone");

        server.Call(static (a, cx, r) => a.Get(cx, r), ActorTestKit.Recorder(core, got));
        client.Call(static (c, cx, s) => c.Ask(cx, s), server.Actor);
        core.RunNow();

        Assert.False(Assert.Single(got).HasValue);
        Assert.False(Assert.Single(GotBy(client)).HasValue);
    }

    [Fact]
    public void Call_TargetEndsWhileTheCallIsQueued_RetAnswersNoValueWithinTheSameRun()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core);
        using var client = SpawnClient(core);
        core.RunNow();

        server.Call(static (a, cx) => a.Stop(cx));
        server.Call(static (a, cx, r) => a.Get(cx, r), ActorTestKit.Recorder(core, got));
        client.Call(static (c, cx, s) => c.Ask(cx, s), server.Actor);
        core.RunNow();

        Assert.False(Assert.Single(got).HasValue);
        Assert.False(Assert.Single(GotBy(client)).HasValue);
    }

    [Fact]
    public void Call_QueuedThenTargetKilledFromOutside_RetAnswersNoValueOnTheNextRun()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core);
        core.RunNow();
        server.Call(static (a, cx, r) => a.Get(cx, r), ActorTestKit.Recorder(core, got));

        server.Kill("killed with a request queued");
        core.RunNow();

        Assert.False(Assert.Single(got).HasValue);
    }

    [Theory]
    [InlineData(Ending.Stop)]
    [InlineData(Ending.Fail)]
    [InlineData(Ending.Throw)]
    [InlineData(Ending.Kill)]
    [InlineData(Ending.Drop)]
    public void RetKeptInAField_ActorEnds_NoValueExactlyOnceWithinTheRun(Ending how)
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        var server = SpawnServer(core);
        Keep(server, ActorTestKit.Recorder(core, got));
        core.RunNow();
        Assert.Empty(got);              // kept, not answered: the server is alive and owes an answer

        End(core, server, how);
        core.RunNow();

        Assert.False(Assert.Single(got).HasValue);
        Assert.True(server.Actor.IsZombie);
        core.RunNow();
        server.Dispose();
        core.RunNow();
        Assert.Single(got);
    }

    [Theory]
    [InlineData(Ending.Stop)]
    [InlineData(Ending.Fail)]
    [InlineData(Ending.Throw)]
    [InlineData(Ending.Kill)]
    [InlineData(Ending.Drop)]
    public void RetKeptByActorEndpoint_ServerEnds_ClientHandlerGetsNoValueInTheSameRun(Ending how)
    {
        var core = new Core(Instant.Zero);
        var server = SpawnServer(core);
        using var client = SpawnClient(core);
        client.Call(static (c, cx, s) => c.AskKept(cx, s), server.Actor);
        core.RunNow();
        Assert.Empty(GotBy(client));

        End(core, server, how);
        core.RunNow();

        Assert.False(Assert.Single(GotBy(client)).HasValue);
        server.Dispose();
    }

    [Fact]
    public void RetKeptInAList_ActorEnds_EveryOneAnswersNoValue()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core);
        for (int i = 0; i < 5; i++)
            server.Call(static (a, cx, r) => a.KeepMany(cx, r), ActorTestKit.Recorder(core, got));
        core.RunNow();

        server.Kill("with five requests outstanding");

        Assert.Equal(5, got.Count);
        Assert.All(got, a => Assert.False(a.HasValue));
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("fail")]
    [InlineData("throw")]
    public void RetKept_ActorEndsInTheSameHandler_NoValueWithinTheRun(string how)
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        var stops = new List<Answer<StopCause>>();
        using var server = SpawnServer(core, 7, ActorTestKit.Notify(core, stops));
        Ret<int> ret = ActorTestKit.Recorder(core, got);
        switch (how)
        {
            case "stop": server.Call(static (a, cx, r) => a.KeepAndStop(cx, r), ret); break;
            case "fail": server.Call(static (a, cx, r) => a.KeepAndFail(cx, r), ret); break;
            default: server.Call(static (a, cx, r) => a.KeepAndThrow(cx, r), ret); break;
        }

        core.RunNow();

        Assert.False(Assert.Single(got).HasValue);
        Assert.Single(stops);
    }

    [Fact]
    public void RetIgnoredByALiveActor_StaysPendingUntilTheActorEnds()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core);
        Ret<int> ret = ActorTestKit.Recorder(core, got);
        server.Call(static (a, cx, r) => a.Ignore(cx, r), ret);
        core.RunNow();
        core.Advance(TimeSpan.FromHours(1));

        Assert.True(ret.IsPending);
        Assert.Empty(got);

        server.Kill("finally");
        Assert.False(Assert.Single(got).HasValue);
    }

    [Fact]
    public void RetKept_AnsweredLaterThenActorEnds_OnlyTheValueIsDelivered()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core);
        Keep(server, ActorTestKit.Recorder(core, got));
        core.RunNow();

        server.Call(static (a, cx, v) => a.AnswerKept(cx, v), 42);
        core.RunNow();
        server.Kill("done");
        core.RunNow();

        Assert.Equal(42, Assert.Single(got).Value);
    }

    [Fact]
    public void Answer_ThenHandlerThrows_OnlyTheValueIsDelivered()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        var stops = new List<Answer<StopCause>>();
        using var server = SpawnServer(core, 11, ActorTestKit.Notify(core, stops));
        server.Call(static (a, cx, r) => a.AnswerAndThrow(cx, r), ActorTestKit.Recorder(core, got));
        server.Call(static (a, cx, r) => a.AnswerAndStop(cx, r), ActorTestKit.Recorder(core, got));

        core.RunNow();

        // The first Ret got its value (no "no value" on top); the second call was dropped with the actor.
        Assert.Equal(2, got.Count);
        Assert.Equal(11, got[0].Value);
        Assert.False(got[1].HasValue);
        Assert.Equal(StopKind.Failed, Assert.Single(stops).Value.Kind);
    }

    [Fact]
    public void Answer_ThenHandlerStops_ValueDeliveredAndNothingElse()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core, 12);
        server.Call(static (a, cx, r) => a.AnswerAndStop(cx, r), ActorTestKit.Recorder(core, got));

        core.RunNow();

        Assert.Equal(12, Assert.Single(got).Value);
    }
}
