using Stakker.Tests.Actors;

namespace Stakker.Tests.Returns;

public class RetTests
{
    /// <summary>Answers, keeps, passes on or forgets the Rets it is given</summary>
    sealed class Server : IDisposable
    {
        public int Value;
        Ret<int> _kept;
        readonly List<Ret<int>> _keptMany = [];
        FixedTimerKey _timer;
        public readonly List<string> Log = [];

        public Server(Cx<Server> cx, int value) { Value = value; }

        public void Get(Cx<Server> cx, Ret<int> ret) => ret.Answer(Value);
        public void Keep(Cx<Server> cx, Ret<int> ret) => _kept = ret;
        public void KeepMany(Cx<Server> cx, Ret<int> ret) => _keptMany.Add(ret);
#pragma warning disable STK0004 // ignoring the Ret is the mistake under test: it must stay pending until the actor ends
        public void Ignore(Cx<Server> cx, Ret<int> ret) { }
#pragma warning restore STK0004
        public void AnswerKept(Cx<Server> cx, int v) => _kept.Answer(v);
        public void AnswerKeptTwice(Cx<Server> cx, int v) { _kept.Answer(v); _kept.Answer(v + 1); }
        public void KeepAndStop(Cx<Server> cx, Ret<int> ret) { _kept = ret; cx.Stop(); }
        public void KeepAndFail(Cx<Server> cx, Ret<int> ret) { _kept = ret; cx.Fail("failing with a kept Ret"); }
        public void KeepAndThrow(Cx<Server> cx, Ret<int> ret) { _kept = ret; throw new InvalidOperationException("throwing with a kept Ret"); }
        public void AnswerAndThrow(Cx<Server> cx, Ret<int> ret) { ret.Answer(Value); throw new InvalidOperationException("after answering"); }
        public void AnswerAndStop(Cx<Server> cx, Ret<int> ret) { ret.Answer(Value); cx.Stop(); }
        public void Stop(Cx<Server> cx) => cx.Stop();
        public void Fail(Cx<Server> cx) => cx.Fail("server failed");
        public void Throw(Cx<Server> cx) => throw new InvalidOperationException("server threw");

        /// <summary>Passes the Ret on to <paramref name="next"/>, which keeps it</summary>
        public void Relay(Cx<Server> cx, Actor<Server> next, Ret<int> ret) =>
            next.Call(static (a, cx, r) => a.Keep(cx, r), ret);
        public void RelayAndStop(Cx<Server> cx, Actor<Server> next, Ret<int> ret)
        {
            next.Call(static (a, cx, r) => a.Get(cx, r), ret);
            cx.Stop();
        }
        /// <summary>Passes a Ret kept earlier on to <paramref name="next"/></summary>
        public void RelayKept(Cx<Server> cx, Actor<Server> next) =>
            next.Call(static (a, cx, r) => a.Keep(cx, r), _kept);

        public void AnswerLater(Cx<Server> cx, TimeSpan delay, Ret<int> ret) =>
            _timer = cx.After(delay, static (a, cx, r) => r.Answer(a.Value), ret);
        public void CancelTimer(Cx<Server> cx) => Log.Add("cancelled " + cx.TimerDel(_timer));

        /// <summary>Two Rets in one call, in the 2nd and 4th positions</summary>
        public void Pair(Cx<Server> cx, int a, Ret<int> r1, string b, Ret<int> r2) { r1.Answer(a); r2.Answer(b.Length); }

        public void Dispose() => Log.Add("disposed");
    }

    /// <summary>Asks servers for values through Rets that call back into this actor</summary>
    sealed class Client
    {
        public readonly List<Answer<int>> Got = [];
        public readonly List<int> Some = [];
        public readonly List<(string Tag, Answer<int> Answer)> Tagged = [];
        public Client(Cx<Client> cx) { }

        public void Ask(Cx<Client> cx, Actor<Server> server) =>
            server.Call(static (a, cx, r) => a.Get(cx, r), cx.Ret<int>(static (c, cx, v) => c.Got.Add(v)));
        public void AskKept(Cx<Client> cx, Actor<Server> server) =>
            server.Call(static (a, cx, r) => a.Keep(cx, r), cx.Ret<int>(static (c, cx, v) => c.Got.Add(v)));
        public void AskSome(Cx<Client> cx, Actor<Server> server) =>
            server.Call(static (a, cx, r) => a.Get(cx, r), cx.RetSome<int>(static (c, cx, v) => c.Some.Add(v)));
        public void AskSomeKept(Cx<Client> cx, Actor<Server> server) =>
            server.Call(static (a, cx, r) => a.Keep(cx, r), cx.RetSome<int>(static (c, cx, v) => c.Some.Add(v)));
        public void AskTagged(Cx<Client> cx, Actor<Server> server, string tag) =>
            server.Call(static (a, cx, r) => a.Get(cx, r), cx.Ret<string, int>(tag, static (c, cx, t, v) => c.Tagged.Add((t, v))));
        public void AskTaggedKept(Cx<Client> cx, Actor<Server> server, string tag) =>
            server.Call(static (a, cx, r) => a.Keep(cx, r), cx.Ret<string, int>(tag, static (c, cx, t, v) => c.Tagged.Add((t, v))));
    }

    static ActorOwn<Server> SpawnServer(Core core, int value = 7, Ret<StopCause> notify = default) =>
        core.Spawn<Server, int>(static (cx, v) => new Server(cx, v), value, notify);

    static ActorOwn<Client> SpawnClient(Core core) =>
        core.Spawn<Client>(static cx => new Client(cx), Ret.Nop<StopCause>());

    static List<Answer<int>> GotBy(Actor<Client> c) => c.Query(static (a, cx) => a.Got.ToList());

    static void Keep(Actor<Server> s, Ret<int> r) => s.Call(static (a, cx, x) => a.Keep(cx, x), r);

    // ---- answering ---------------------------------------------------------------------------

    [Fact]
    public void Answer_FromCallback_CallbackRunsSynchronouslyBeforeAnswerReturns()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        Ret<int> ret = ActorTestKit.Recorder(core, got);
        Assert.True(ret.IsPending);

        ret.Answer(5);

        Assert.Equal(5, Assert.Single(got).Value);
        Assert.False(ret.IsPending);
    }

    [Fact]
    public void Answer_Twice_SecondThrowsInvalidOperationAndOnlyTheFirstIsDelivered()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        Ret<int> ret = ActorTestKit.Recorder(core, got);
        ret.Answer(1);

        var ex = Assert.Throws<InvalidOperationException>(() => ret.Answer(2));

        Assert.Contains("answered at most once", ex.Message);
        Assert.Contains("Ret<Int32>", ex.Message);
        Assert.Equal(1, Assert.Single(got).Value);
    }

    [Fact]
    public void Answer_OnACopyAfterTheOriginalWasAnswered_Throws()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        Ret<int> ret = ActorTestKit.Recorder(core, got);
        Ret<int> copy = ret;

        copy.Answer(3);

        Assert.Throws<InvalidOperationException>(() => ret.Answer(4));
        Assert.Throws<InvalidOperationException>(() => copy.Answer(5));
        Assert.False(ret.IsPending);
        Assert.Equal(3, Assert.Single(got).Value);
    }

    [Fact]
    public void Answer_AfterDispose_ThrowsAndNoValueWasDeliveredOnce()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        Ret<int> ret = ActorTestKit.Recorder(core, got);
        ret.Dispose();

        Assert.Throws<InvalidOperationException>(() => ret.Answer(1));
        Assert.False(Assert.Single(got).HasValue);
    }

    [Fact]
    public void Answer_StaleHandleAfterItsNodeWasReused_ThrowsAndLeavesTheNewRetPending()
    {
        var core = new Core(Instant.Zero);
        var first = new List<Answer<int>>();
        var second = new List<Answer<int>>();
        Ret<int> old = ActorTestKit.Recorder(core, first);
        old.Answer(1);
        // Rets are pooled: the next one of the same kind may reuse the node behind `old`.
        Ret<int> fresh = ActorTestKit.Recorder(core, second);

        Assert.Throws<InvalidOperationException>(() => old.Answer(2));
        old.Dispose();                                   // a stale dispose is a no-op
        Assert.True(fresh.IsPending);
        Assert.Empty(second);

        fresh.Answer(3);
        Assert.Equal(3, Assert.Single(second).Value);
        Assert.Equal(1, Assert.Single(first).Value);
    }

    [Fact]
    public void Answer_InsideHandlerTwice_ActorFailsAndOnlyTheFirstValueArrives()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        var stops = new List<Answer<StopCause>>();
        using var server = SpawnServer(core, 7, ActorTestKit.Notify(core, stops));
        Keep(server, ActorTestKit.Recorder(core, got));
        server.Call(static (a, cx, v) => a.AnswerKeptTwice(cx, v), 10);

        core.RunNow();

        Assert.Equal(10, Assert.Single(got).Value);
        StopCause c = Assert.Single(stops).Value;
        Assert.Contains("answered at most once", Assert.IsType<InvalidOperationException>(c.Error).Message);
    }

    [Fact]
    public void Answer_Zero_HasValueAndIsNotMistakenForNoValue()
    {
        var core = new Core(Instant.Zero);
        var ints = new List<Answer<int>>();
        var bools = new List<Answer<bool>>();
        var strings = new List<Answer<string?>>();

        ActorTestKit.Recorder(core, ints).Answer(0);
        ActorTestKit.Recorder(core, bools).Answer(false);
        ActorTestKit.Recorder(core, strings).Answer(null);

        Assert.True(Assert.Single(ints).HasValue);
        Assert.Equal(0, ints[0].Value);
        Assert.True(Assert.Single(bools).HasValue);
        Assert.False(bools[0].Value);
        Assert.True(Assert.Single(strings).HasValue);
        Assert.Null(strings[0].Value);
    }

    [Fact]
    public void Answer_ZeroToAnActor_ArrivesAsAValueAndRetSomeIsCalledWithIt()
    {
        var core = new Core(Instant.Zero);
        using var server = SpawnServer(core, 0);
        using var client = SpawnClient(core);
        client.Call(static (c, cx, s) => c.Ask(cx, s), server.Actor);
        client.Call(static (c, cx, s) => c.AskSome(cx, s), server.Actor);

        core.RunNow();

        Answer<int> a = Assert.Single(GotBy(client));
        Assert.True(a.HasValue);
        Assert.Equal(0, a.Value);
        Assert.Equal([0], client.Actor.Query(static (c, cx) => c.Some.ToList()));
    }

    [Fact]
    public void AnswerNoValue_ValueAccess_ThrowsActorFailAndFallbacksWork()
    {
        Answer<int> none = Answer<int>.None;
        Answer<int> zero = new(0);

        Assert.False(none.HasValue);
        Assert.Throws<ActorFail>(() => none.Value);
        Assert.False(none.TryGetValue(out _));
        Assert.Equal(-1, none.GetValueOrDefault(-1));
        Assert.Equal("(no value)", none.ToString());
        Assert.True(zero.TryGetValue(out int z));
        Assert.Equal(0, z);
        Assert.Equal(0, zero.GetValueOrDefault(-1));
        Assert.Equal("0", zero.ToString());
        Assert.False(default(Answer<int>).HasValue);
    }

    [Fact]
    public void Ret_ToString_ShowsNopPendingAndDone()
    {
        var core = new Core(Instant.Zero);
        Ret<int> ret = Ret.From<int>(core, static _ => { });

        Assert.Equal("Ret<Int32>(pending)", ret.ToString());
        ret.Answer(1);
        Assert.Equal("Ret<Int32>(done)", ret.ToString());
        Assert.Equal("Ret<Int32>(nop)", Ret.Nop<int>().ToString());
    }

    // ---- "no value" on every failure path -----------------------------------------------------

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

    public enum Ending { Stop, Fail, Throw, Kill, Drop }

    static void End(Core core, ActorOwn<Server> server, Ending how)
    {
        switch (how)
        {
            case Ending.Stop: server.Call(static (a, cx) => a.Stop(cx)); break;
            case Ending.Fail: server.Call(static (a, cx) => a.Fail(cx)); break;
            case Ending.Throw: server.Call(static (a, cx) => a.Throw(cx)); break;
            case Ending.Kill: server.Kill("killed"); break;
            case Ending.Drop: server.Dispose(); break;
        }
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

    // ---- passing a Ret on ---------------------------------------------------------------------

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

    // ---- Prep actors, timers, queues ------------------------------------------------------------

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

    // ---- end-points ---------------------------------------------------------------------------

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
        Ret<int> ret = Ret.To<Client, int>(client, static (c, cx, v) => c.Got.Add(v));
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
        Ret<int> ret = Ret.To<Client, int>(client, static (c, cx, v) => c.Got.Add(v));
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
        Ret<int> answered = Ret.SomeTo<Client, string, int>(client, "x", static (c, cx, t, v) => c.Tagged.Add((t, new Answer<int>(v))));
        Ret<int> dropped = Ret.SomeTo<Client, string, int>(client, "y", static (c, cx, t, v) => c.Tagged.Add((t, new Answer<int>(v))));

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
        Ret<StopCause> notify = Ret.To<Client, StopCause>(client, static (c, cx, s) => c.Tagged.Add((s.Value.Kind.ToString(), default)));
        var server = SpawnServer(core, 1, notify);
        core.RunNow();

        server.Kill("first");
        server.Dispose();
        core.RunNow();

        Assert.Equal(["Killed"], client.Actor.Query(static (c, cx) => c.Tagged.Select(t => t.Tag).ToList()));
    }
}
