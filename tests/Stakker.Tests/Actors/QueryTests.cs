namespace Stakker.Tests.Actors;

public class QueryTests
{
    sealed class Store
    {
        public int Value = 12345;
        public readonly List<string> Errors = [];
        public Store(Cx<Store> cx) { }

        public int Compute(Cx<Store> cx, int a, int b) => Value + a * 5 + b;
        public void Add(Cx<Store> cx, int n) => Value += n;
        public void Stop(Cx<Store> cx) => cx.Stop();

        // The two queries below are the mistake under test (STK0007 reports it at compile time too).
#pragma warning disable STK0007
        /// <summary>Tries a synchronous query on another actor from inside this handler</summary>
        public void QueryOther(Cx<Store> cx, Actor<Store> other)
        {
            try { other.Query(static (a, cx) => a.Value); }
            catch (InvalidOperationException e) { Errors.Add(e.Message); }
        }

        public void QuerySelf(Cx<Store> cx) => cx.This.Query(static (a, cx) => a.Value);
#pragma warning restore STK0007
    }

    static ActorOwn<Store> SpawnStore(Core core, Ret<StopCause> notify) =>
        core.Spawn<Store>(static cx => new Store(cx), notify);

    [Fact]
    public void TryQuery_BeforeFirstRun_ReturnsFalseBecauseTheActorIsPrep()
    {
        var core = new Core(Instant.Zero);
        using var store = SpawnStore(core, Ret.Nop<StopCause>());

        Assert.False(store.Actor.TryQuery(static (a, cx) => a.Value, out int v));
        Assert.Equal(0, v);
    }

    [Fact]
    public void Query_BeforeFirstRun_ThrowsNamingTheActorAndItsState()
    {
        var core = new Core(Instant.Zero);
        using var store = SpawnStore(core, Ret.Nop<StopCause>());

        var ex = Assert.Throws<InvalidOperationException>(() => store.Actor.Query(static (a, cx) => a.Value));

        Assert.Contains("Store#" + store.Actor.Id, ex.Message);
        Assert.Contains("Prep", ex.Message);
        Assert.Contains("only a Ready actor can be queried", ex.Message);
    }

    [Fact]
    public void Query_AfterRun_ReturnsTheValueAndCanCallMethodsWithArguments()
    {
        var core = new Core(Instant.Zero);
        using var store = SpawnStore(core, Ret.Nop<StopCause>());
        core.RunNow();

        Assert.Equal(12345, store.Actor.Query(static (a, cx) => a.Value));
        int x = 1, y = 2;
        Assert.Equal(12345 + 1 * 5 + 2, store.Actor.Query((a, cx) => a.Compute(cx, x, y)));
        Assert.True(store.Actor.TryQuery(static (a, cx) => a.Value, out int v));
        Assert.Equal(12345, v);
    }

    [Fact]
    public void Query_ChangingState_ChangeIsSeenByLaterCalls()
    {
        var core = new Core(Instant.Zero);
        using var store = SpawnStore(core, Ret.Nop<StopCause>());
        core.RunNow();

        store.Actor.Query(static (a, cx) => a.Value = 1);
        store.Call(static (a, cx, n) => a.Add(cx, n), 10);
        core.RunNow();

        Assert.Equal(11, store.Actor.Query(static (a, cx) => a.Value));
    }

    [Fact]
    public void Query_QueuingACall_CallRunsOnTheNextRunNotInsideTheQuery()
    {
        var core = new Core(Instant.Zero);
        using var store = SpawnStore(core, Ret.Nop<StopCause>());
        core.RunNow();

        int seen = store.Actor.Query(static (a, cx) =>
        {
            cx.This.Call(static (s, cx, n) => s.Add(cx, n), 5);
            return a.Value;
        });
        Assert.Equal(12345, seen);
        Assert.Equal(12345, store.Actor.Query(static (a, cx) => a.Value));
        core.RunNow();

        Assert.Equal(12350, store.Actor.Query(static (a, cx) => a.Value));
    }

    [Fact]
    public void Query_CallingStop_ActorEndsAsTheQueryReturns()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        using var store = SpawnStore(core, ActorTestKit.Notify(core, stops));
        core.RunNow();

        int result = store.Actor.Query(static (a, cx) => { a.Stop(cx); return 7; });

        Assert.Equal(7, result);
        Assert.True(store.Actor.IsZombie);
        Assert.Same(StopCause.Stopped, Assert.Single(stops).Value);
    }

    [Fact]
    public void Query_Throwing_FailsTheActorAndRethrows()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        using var store = SpawnStore(core, ActorTestKit.Notify(core, stops));
        core.RunNow();

        var ex = Assert.Throws<FormatException>(() => store.Actor.Query<int>(static (a, cx) => throw new FormatException("bad query")));

        StopCause c = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Failed, c.Kind);
        Assert.Same(ex, c.Error);
        Assert.True(store.Actor.IsZombie);
        Assert.False(core.InHandler);
    }

    [Fact]
    public void TryQuery_OnEndedActor_ReturnsFalseAndQueryThrows()
    {
        var core = new Core(Instant.Zero);
        using var store = SpawnStore(core, Ret.Nop<StopCause>());
        core.RunNow();
        store.Kill("gone");

        Assert.False(store.Actor.TryQuery(static (a, cx) => a.Value, out _));
        var ex = Assert.Throws<InvalidOperationException>(() => store.Actor.Query(static (a, cx) => a.Value));
        Assert.Contains("Zombie", ex.Message);
    }

    [Fact]
    public void Query_InsideAHandler_IsRefusedWithInvalidOperationNamingTheTarget()
    {
        var core = new Core(Instant.Zero);
        using var asker = SpawnStore(core, Ret.Nop<StopCause>());
        using var target = SpawnStore(core, Ret.Nop<StopCause>());
        core.RunNow();

        asker.Call(static (a, cx, t) => a.QueryOther(cx, t), target.Actor);
        core.RunNow();

        string msg = Assert.Single(asker.Actor.Query(static (a, cx) => a.Errors.ToList()));
        Assert.Contains("Query on Store#" + target.Actor.Id, msg);
        Assert.Contains("from inside a handler", msg);
        Assert.Equal(12345, target.Actor.Query(static (a, cx) => a.Value));    // the target was not touched
    }

    [Fact]
    public void Query_OfItselfInsideAHandler_FailsTheActorWithInvalidOperation()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        using var store = SpawnStore(core, ActorTestKit.Notify(core, stops));
        using var bystander = Bystander.Spawn(core);
        core.RunNow();

        store.Call(static (a, cx) => a.QuerySelf(cx));
        Bystander.Queue(bystander, "after");
        core.RunNow();

        StopCause c = Assert.Single(stops).Value;
        Assert.IsType<InvalidOperationException>(c.Error);
        Assert.Contains("from inside a handler", c.Error!.Message);
        Assert.Equal(["after"], Bystander.SeenBy(bystander));
    }

    [Fact]
    public void Query_InsideAnotherQuery_IsRefused()
    {
        var core = new Core(Instant.Zero);
        using var a = SpawnStore(core, Ret.Nop<StopCause>());
        using var b = SpawnStore(core, Ret.Nop<StopCause>());
        core.RunNow();
        Actor<Store> other = b.Actor;

#pragma warning disable STK0007 // the nested query is the mistake under test
        var ex = Assert.Throws<InvalidOperationException>(() => a.Actor.Query((x, cx) => other.Query(static (y, cx) => y.Value)));
#pragma warning restore STK0007

        Assert.Contains("from inside a handler", ex.Message);
        Assert.False(core.InHandler);
        Assert.Equal(12345, b.Actor.Query(static (y, cx) => y.Value));
    }
}
