using Stakker.Tests.Actors;

namespace Stakker.Tests.Returns;

/// <summary>Ret end-points</summary>
public class RetEndpointTests : RetTestBase
{
    [Fact]
    public void RetTo_AnsweredFromOutside_HandlerIsQueuedNotRunSynchronously()
    {
        var core = new Core(Instant.Zero);
        using var client = SpawnClient(core);
        core.RunNow();
        Ret<int> ret = client.Actor.Query(static (c, cx) => cx.Ret<int>(static (c, cx, v) => c.Got.Add(v)));

        ret.Answer(8);
        Assert.Empty(GotBy(client));
        core.RunNow();

        Assert.Equal(8, Assert.Single(GotBy(client)).Value);
    }

    [Fact]
    public void RetTo_PrepActor_AnswerWaitsUntilTheActorIsReady()
    {
        var core = new Core(Instant.Zero);
        using var client = core.Create<Client>(Ret.Nop<StopCause>());
        Ret<int> ret = client.Actor.Ret<int>(static (c, cx, v) => c.Got.Add(v));
        ret.Answer(17);
        core.RunNow();
        Assert.Equal(ActorState.Prep, client.Actor.State);

        client.Actor.Init(static cx => new Client(cx));
        core.RunNow();

        Assert.Equal(17, Assert.Single(GotBy(client)).Value);
    }

    [Fact]
    public void RetTo_EndpointActorEnded_AnswerIsDroppedSilently()
    {
        var core = new Core(Instant.Zero);
        using var client = SpawnClient(core);
        using var bystander = Bystander.Spawn(core);
        core.RunNow();
        Ret<int> ret = client.Actor.Ret<int>(static (c, cx, v) => c.Got.Add(v));
        client.Kill("gone");

        ret.Answer(1);
        Bystander.Queue(bystander, "after");
        core.RunNow();

        Assert.False(ret.IsPending);
        Assert.Equal(["after"], Bystander.SeenBy(bystander));
    }

    [Fact]
    public void RetTo_WithFixedArgument_HandlerGetsTheFixedArgumentWithTheValueOrNoValue()
    {
        var core = new Core(Instant.Zero);
        using var live = SpawnServer(core, 3);
        var dead = SpawnServer(core, 4);
        using var client = SpawnClient(core);
        core.RunNow();
        dead.Dispose();
        core.RunNow();

        client.Call(static (c, cx, s, t) => c.AskTagged(cx, s, t), live.Actor, "live");
        client.Call(static (c, cx, s, t) => c.AskTagged(cx, s, t), dead.Actor, "dead");
        core.RunNow();

        var tagged = client.Actor.Query(static (c, cx) => c.Tagged.ToList());
        Assert.Equal(2, tagged.Count);
        Assert.Equal("live", tagged[0].Tag);
        Assert.Equal(3, tagged[0].Answer.Value);
        Assert.Equal("dead", tagged[1].Tag);
        Assert.False(tagged[1].Answer.HasValue);
    }

    [Fact]
    public void RetSomeTo_NoValue_IsIgnoredAndAValueIsDelivered()
    {
        var core = new Core(Instant.Zero);
        using var live = SpawnServer(core, 6);
        var doomed = SpawnServer(core, 9);
        using var client = SpawnClient(core);
        client.Call(static (c, cx, s) => c.AskSomeKept(cx, s), doomed.Actor);
        client.Call(static (c, cx, s) => c.AskSome(cx, s), live.Actor);
        core.RunNow();

        doomed.Kill("drops the kept request");
        core.RunNow();

        Assert.Equal([6], client.Actor.Query(static (c, cx) => c.Some.ToList()));
        Assert.Equal(ActorState.Ready, client.Actor.State);
    }

    [Fact]
    public void RetSomeTo_WithFixedArgument_DeliversBothAndIgnoresNoValue()
    {
        var core = new Core(Instant.Zero);
        using var client = SpawnClient(core);
        core.RunNow();
        Ret<int> answered = client.Actor.RetSome<string, int>("x", static (c, cx, t, v) => c.Tagged.Add((t, new Answer<int>(v))));
        Ret<int> dropped = client.Actor.RetSome<string, int>("y", static (c, cx, t, v) => c.Tagged.Add((t, new Answer<int>(v))));

        answered.Answer(0);
        dropped.Dispose();
        core.RunNow();

        var tagged = client.Actor.Query(static (c, cx) => c.Tagged.ToList());
        Assert.Equal("x", Assert.Single(tagged).Tag);
        Assert.Equal(0, tagged[0].Answer.Value);
    }

    [Fact]
    public void RetFrom_NoValue_CallbackRunsSynchronouslyAtTheMomentOfEnding()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core);
        Keep(server, ActorTestKit.Recorder(core, got));
        core.RunNow();

        server.Kill("now");

        Assert.False(Assert.Single(got).HasValue);   // no Run needed: the callback ran inside Kill
    }

    [Fact]
    public void RetFrom_CallbackThrowingOnAnswerOutsideAnActor_PropagatesToTheCaller()
    {
        var core = new Core(Instant.Zero);
        Ret<int> ret = Ret.From<int>(core, static _ => throw new InvalidOperationException("callback threw"));

        var ex = Assert.Throws<InvalidOperationException>(() => ret.Answer(1));

        Assert.Equal("callback threw", ex.Message);
        Assert.False(ret.IsPending);
    }

    [Fact]
    public void RetFrom_CallbackThrowingOnDispose_PropagatesBecauseDisposeDeliversNoValue()
    {
        var core = new Core(Instant.Zero);
        var seen = new List<Answer<int>>();
        Ret<int> ret = Ret.From<int>(core, a => { seen.Add(a); throw new InvalidOperationException("callback threw on no value"); });

        var ex = Assert.Throws<InvalidOperationException>(() => ret.Dispose());

        Assert.Equal("callback threw on no value", ex.Message);
        Assert.False(Assert.Single(seen).HasValue);
        Assert.False(ret.IsPending);
        ret.Dispose();
        Assert.Single(seen);
    }

    [Fact]
    public void RetNop_AnswerAndDispose_DoNothingAndNeverThrow()
    {
        var core = new Core(Instant.Zero);
        Ret<int> nop = Ret.Nop<int>();

        nop.Answer(1);
        nop.Answer(2);
        nop.Dispose();

        Assert.True(nop.IsNop);
        Assert.False(nop.IsPending);
        Assert.True(default(Ret<int>).IsNop);
        Assert.False(ActorTestKit.Recorder<int>(core, []).IsNop);
    }

    [Fact]
    public void RetNop_PassedToAnActor_AnswerIsIgnoredAndActorCarriesOn()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        using var server = SpawnServer(core, 1, ActorTestKit.Notify(core, stops));
        server.Call(static (a, cx, r) => a.Get(cx, r), Ret.Nop<int>());
        server.Call(static (a, cx, r) => a.Keep(cx, r), Ret.Nop<int>());

        core.RunNow();
        server.Call(static (a, cx, v) => a.AnswerKept(cx, v), 5);
        core.RunNow();

        Assert.Empty(stops);
        Assert.Equal(ActorState.Ready, server.Actor.State);
    }

    [Fact]
    public void Ret_PassedToACallAfterItWasAnswered_ThrowsInvalidOperation()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        using var server = SpawnServer(core);
        Ret<int> ret = ActorTestKit.Recorder(core, got);
        ret.Answer(1);

        var ex = Assert.Throws<InvalidOperationException>(() => server.Call(static (a, cx, r) => a.Get(cx, r), ret));

        Assert.Contains("answered at most once", ex.Message);
        core.RunNow();
        Assert.Equal(1, Assert.Single(got).Value);
    }

    [Fact]
    public void NotifyRet_ToParentActor_DeliveredOnceEvenIfKilledThenDropped()
    {
        var core = new Core(Instant.Zero);
        using var client = SpawnClient(core);
        core.RunNow();
        Ret<StopCause> notify = client.Actor.Ret<StopCause>(static (c, cx, s) => c.Tagged.Add((s.Value.Kind.ToString(), default)));
        var server = SpawnServer(core, 1, notify);
        core.RunNow();

        server.Kill("first");
        server.Dispose();
        core.RunNow();

        Assert.Equal(["Killed"], client.Actor.Query(static (c, cx) => c.Tagged.Select(t => t.Tag).ToList()));
    }
}
