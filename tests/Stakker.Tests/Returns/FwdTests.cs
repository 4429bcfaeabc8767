using Stakker.Tests.Actors;

namespace Stakker.Tests.Returns;

public class FwdTests
{
    sealed class Sink
    {
        public readonly List<int> Items = [];
        public readonly List<StreamEnd> Ends = [];
        public readonly List<string> Pairs = [];
        public Sink(Cx<Sink> cx) { }

        public void Item(Cx<Sink> cx, int v) => Items.Add(v);
        public void End(Cx<Sink> cx, StreamEnd e) => Ends.Add(e);
        public void Stop(Cx<Sink> cx) => cx.Stop();

        /// <summary>Makes a Fwd into itself and sends through it from inside a handler</summary>
        public void SelfFeed(Cx<Sink> cx, int n)
        {
            Fwd<int> self = cx.Fwd<int>(static (a, cx, v) => a.Item(cx, v), static (a, cx, e) => a.End(cx, e));
            for (int i = 0; i < n; i++) self.Send(i);
            self.End();
            Items.Add(-1);        // sends are queued: this lands before them
        }
    }

    static ActorOwn<Sink> SpawnSink(Core core) => core.Spawn<Sink>(static cx => new Sink(cx), Ret.Nop<StopCause>());

    static Fwd<int> FwdTo(Actor<Sink> sink) =>
        sink.Fwd<int>(static (a, cx, v) => a.Item(cx, v), static (a, cx, e) => a.End(cx, e));

    static List<int> ItemsOf(Actor<Sink> s) => s.Query(static (a, cx) => a.Items.ToList());
    static List<StreamEnd> EndsOf(Actor<Sink> s) => s.Query(static (a, cx) => a.Ends.ToList());

    [Fact]
    public void FwdTo_Send_EachValueIsAQueuedCallDeliveredInOrder()
    {
        var core = new Core(Instant.Zero);
        using var sink = SpawnSink(core);
        core.RunNow();
        Fwd<int> fwd = FwdTo(sink);

        fwd.Send(1);
        fwd.Send(2);
        fwd.Send(3);
        Assert.Empty(ItemsOf(sink));
        core.RunNow();

        Assert.Equal([1, 2, 3], ItemsOf(sink));
        Assert.False(fwd.IsEnded);
    }

    [Fact]
    public void FwdTo_End_EndHandlerGetsANormalEndAfterTheValues()
    {
        var core = new Core(Instant.Zero);
        using var sink = SpawnSink(core);
        Fwd<int> fwd = FwdTo(sink);
        fwd.Send(1);

        fwd.End();
        core.RunNow();

        Assert.Equal([1], ItemsOf(sink));
        StreamEnd end = Assert.Single(EndsOf(sink));
        Assert.False(end.IsFailure);
        Assert.Null(end.Error);
        Assert.Equal("end", end.ToString());
        Assert.True(fwd.IsEnded);
    }

    [Fact]
    public void FwdTo_Fail_EndHandlerGetsAFailureCarryingTheError()
    {
        var core = new Core(Instant.Zero);
        using var sink = SpawnSink(core);
        Fwd<int> fwd = FwdTo(sink);
        var error = new IOException("connection reset");

        fwd.Fail(error);
        core.RunNow();

        StreamEnd end = Assert.Single(EndsOf(sink));
        Assert.True(end.IsFailure);
        Assert.Same(error, end.Error);
        Assert.Equal("failed: connection reset", end.ToString());
        Assert.True(fwd.IsEnded);
    }

    [Fact]
    public void Send_AfterEndOrFail_ThrowsInvalidOperationAndNothingMoreArrives()
    {
        var core = new Core(Instant.Zero);
        using var sink = SpawnSink(core);
        Fwd<int> ended = FwdTo(sink);
        Fwd<int> failed = FwdTo(sink);
        ended.End();
        failed.Fail(new InvalidOperationException("x"));

        var e1 = Assert.Throws<InvalidOperationException>(() => ended.Send(1));
        var e2 = Assert.Throws<InvalidOperationException>(() => failed.Send(2));
        Assert.Throws<InvalidOperationException>(() => ended.End());
        Assert.Throws<InvalidOperationException>(() => failed.Fail(new InvalidOperationException("again")));
        core.RunNow();

        Assert.Contains("nothing may be sent after End or Fail", e1.Message);
        Assert.Contains("Fwd<Int32>", e2.Message);
        Assert.Empty(ItemsOf(sink));
        Assert.Equal(2, EndsOf(sink).Count);
    }

    [Fact]
    public void FwdTo_WithoutEndHandler_EndIsAcceptedAndOnlyValuesArrive()
    {
        var core = new Core(Instant.Zero);
        using var sink = SpawnSink(core);
        Fwd<int> fwd = sink.Actor.Fwd<int>(static (a, cx, v) => a.Item(cx, v));
        fwd.Send(4);

        fwd.End();
        core.RunNow();

        Assert.Equal([4], ItemsOf(sink));
        Assert.Empty(EndsOf(sink));
        Assert.Throws<InvalidOperationException>(() => fwd.Send(5));
    }

    [Fact]
    public void FwdTo_EndedActor_ValuesAndEndAreDroppedSilently()
    {
        var core = new Core(Instant.Zero);
        var sink = SpawnSink(core);
        using var bystander = Bystander.Spawn(core);
        core.RunNow();
        Fwd<int> fwd = FwdTo(sink);
        sink.Call(static (a, cx) => a.Stop(cx));
        core.RunNow();
        Assert.True(sink.Actor.IsZombie);

        fwd.Send(1);
        fwd.Send(2);
        fwd.End();
        Bystander.Queue(bystander, "after");
        core.RunNow();

        Assert.Equal(["after"], Bystander.SeenBy(bystander));
        Assert.True(fwd.IsEnded);
        sink.Dispose();
    }

    [Fact]
    public void FwdTo_ActorEndsWithValuesQueued_QueuedValuesAreDropped()
    {
        var core = new Core(Instant.Zero);
        using var sink = SpawnSink(core);
        core.RunNow();
        Sink state = sink.Actor.Query(static (a, cx) => a);   // kept to look at after the actor is gone
        Fwd<int> fwd = FwdTo(sink);
        fwd.Send(1);
        fwd.End();

        sink.Kill("gone before the value arrived");
        core.RunNow();

        Assert.True(sink.Actor.IsZombie);
        Assert.Empty(state.Items);
        Assert.Empty(state.Ends);
    }

    [Fact]
    public void FwdTo_PrepActor_ValuesWaitUntilItIsReady()
    {
        var core = new Core(Instant.Zero);
        using var sink = core.Create<Sink>(Ret.Nop<StopCause>());
        Fwd<int> fwd = FwdTo(sink);
        fwd.Send(10);
        fwd.Send(20);
        fwd.End();
        core.RunNow();
        Assert.Equal(ActorState.Prep, sink.Actor.State);

        sink.Actor.Init(static cx => new Sink(cx));
        core.RunNow();

        Assert.Equal([10, 20], ItemsOf(sink));
        Assert.Single(EndsOf(sink));
    }

    [Fact]
    public void CxFwd_FromInsideHandler_ValuesAreQueuedToTheSameActor()
    {
        var core = new Core(Instant.Zero);
        using var sink = SpawnSink(core);
        sink.Call(static (a, cx, n) => a.SelfFeed(cx, n), 3);

        core.RunNow();

        Assert.Equal([-1, 0, 1, 2], ItemsOf(sink));
        Assert.False(Assert.Single(EndsOf(sink)).IsFailure);
    }

    [Fact]
    public void FwdFrom_Send_CallbackRunsSynchronouslyForEachValueAndForTheEnd()
    {
        var core = new Core(Instant.Zero);
        var items = new List<string>();
        var ends = new List<StreamEnd>();
        Fwd<string> fwd = Fwd.From<string>(core, items.Add, ends.Add);

        fwd.Send("a");
        Assert.Equal(["a"], items);
        fwd.Send("b");
        fwd.Fail(new TimeoutException("late"));

        Assert.Equal(["a", "b"], items);
        Assert.True(Assert.Single(ends).IsFailure);
        Assert.IsType<TimeoutException>(ends[0].Error);
    }

    [Fact]
    public void FwdFrom_CallbackThrowing_PropagatesOutOfSendAndTheFwdStaysOpen()
    {
        var core = new Core(Instant.Zero);
        var items = new List<int>();
        Fwd<int> fwd = Fwd.From<int>(core, v => { if (v < 0) throw new ArgumentOutOfRangeException(nameof(v)); items.Add(v); });

        Assert.Throws<ArgumentOutOfRangeException>(() => fwd.Send(-1));
        fwd.Send(1);

        Assert.Equal([1], items);
        Assert.False(fwd.IsEnded);
    }

    [Fact]
    public void FwdFrom_SharedByTwoProducers_EndByOneEndsItForBoth()
    {
        var core = new Core(Instant.Zero);
        var items = new List<int>();
        Fwd<int> fwd = Fwd.From<int>(core, items.Add);
        Fwd<int> sameFwd = fwd;

        fwd.Send(1);
        sameFwd.Send(2);
        sameFwd.End();

        Assert.True(fwd.IsEnded);
        Assert.Throws<InvalidOperationException>(() => fwd.Send(3));
        Assert.Equal([1, 2], items);
    }

    [Fact]
    public void FwdNop_SendAndEnd_IgnoreValuesButStillEnforceTheEnd()
    {
        Fwd<int> nop = Fwd.Nop<int>();

        nop.Send(1);
        nop.Send(2);
        nop.End();

        Assert.True(nop.IsEnded);
        Assert.Throws<InvalidOperationException>(() => nop.Send(3));
    }

    [Fact]
    public void FwdTo_ManyValues_AllDeliveredInOrderWithinOneRun()
    {
        var core = new Core(Instant.Zero);
        using var sink = SpawnSink(core);
        Fwd<int> fwd = FwdTo(sink);

        for (int i = 0; i < 1000; i++) fwd.Send(i);
        fwd.End();
        core.RunNow();

        Assert.Equal(Enumerable.Range(0, 1000), ItemsOf(sink));
        Assert.Single(EndsOf(sink));
    }
}
