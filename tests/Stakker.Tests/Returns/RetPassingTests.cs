using Stakker.Tests.Actors;

namespace Stakker.Tests.Returns;

/// <summary>Passing a Ret on: who holds it</summary>
public class RetPassingTests : RetTestBase
{
    [Theory]
    [InlineData(Ending.Stop)]
    [InlineData(Ending.Throw)]
    [InlineData(Ending.Kill)]
    [InlineData(Ending.Drop)]
    public void RetPassedOn_SecondActorEnds_NoValueExactlyOnce(Ending how)
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var first = SpawnServer(core, 1);
        var second = SpawnServer(core, 2);
        first.Call(static (a, cx, n, r) => a.Relay(cx, n, r), second.Actor, ActorTestKit.Recorder(core, got));
        core.RunNow();
        Assert.Empty(got);

        End(core, second, how);
        core.RunNow();

        Assert.False(Assert.Single(got).HasValue);
        first.Kill("the relay ends too");          // it no longer holds the Ret: no second answer
        second.Dispose();
        core.RunNow();
        Assert.Single(got);
    }

    [Fact]
    public void RetPassedOn_SecondActorEndsWhileTheCallIsStillQueued_NoValueInTheSameRun()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var first = SpawnServer(core, 1);
        using var second = SpawnServer(core, 2);
        core.RunNow();

        first.Call(static (a, cx, n, r) => a.Relay(cx, n, r), second.Actor, ActorTestKit.Recorder(core, got));
        second.Call(static (a, cx) => a.Stop(cx));    // runs before the relayed call reaches it
        core.RunNow();

        Assert.False(Assert.Single(got).HasValue);
    }

    [Fact]
    public void RetPassedOn_FirstActorEndsInTheSameHandler_SecondActorStillAnswers()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var first = SpawnServer(core, 1);
        using var second = SpawnServer(core, 2);
        first.Call(static (a, cx, n, r) => a.RelayAndStop(cx, n, r), second.Actor, ActorTestKit.Recorder(core, got));

        core.RunNow();

        Assert.True(first.Actor.IsZombie);
        Assert.Equal(2, Assert.Single(got).Value);
    }

    [Fact]
    public void RetKeptThenPassedOnFromTheField_FirstActorEnds_SecondAnswersOnce()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var first = SpawnServer(core, 1);
        using var second = SpawnServer(core, 2);
        Keep(first, ActorTestKit.Recorder(core, got));
        core.RunNow();

        first.Call(static (a, cx, n) => a.RelayKept(cx, n), second.Actor);
        core.RunNow();
        first.Kill("relay done");
        Assert.Empty(got);                         // the Ret had moved on: the first actor's end says nothing

        second.Call(static (a, cx, v) => a.AnswerKept(cx, v), 99);
        core.RunNow();
        Assert.Equal(99, Assert.Single(got).Value);
    }

    [Fact]
    public void RetPassedAlongAChainOfActors_LastOneAnswers_ValueOnce()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        var servers = Enumerable.Range(0, 5).Select(i => SpawnServer(core, i)).ToList();
        servers[0].Call(static (a, cx, n, r) => a.Relay(cx, n, r), servers[1].Actor, ActorTestKit.Recorder(core, got));
        core.RunNow();
        for (int i = 1; i < 4; i++)
        {
            servers[i].Call(static (a, cx, n) => a.RelayKept(cx, n), servers[i + 1].Actor);
            core.RunNow();
        }

        for (int i = 0; i < 4; i++) servers[i].Kill("not the holder");
        Assert.Empty(got);
        servers[4].Call(static (a, cx, v) => a.AnswerKept(cx, v), 4);
        core.RunNow();

        Assert.Equal(4, Assert.Single(got).Value);
        servers[4].Dispose();
    }
}
