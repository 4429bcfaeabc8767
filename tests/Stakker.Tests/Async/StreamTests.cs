namespace Stakker.Tests.Async;

public class StreamTests
{
    sealed class Sink
    {
        public readonly List<int> Items = [];
        public StreamEnd? End;
        public Sink(Cx<Sink> cx) { }
    }

    static async IAsyncEnumerable<int> Numbers(Core core, int n, bool fail = false)
    {
        for (int i = 0; i < n; i++)
        {
            await core.Delay(TimeSpan.FromSeconds(1));
            yield return i;
        }
        if (fail) throw new InvalidOperationException("source broke");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SpawnStream_DrainsIntoFwd_WithEndOrFailure(bool fail)
    {
        var core = new Core(Instant.Zero);
        using var s = core.Spawn<Sink>(static cx => new Sink(cx), Ret.Nop<StopCause>());
        var fwd = s.Actor.Fwd<int>(static (a, cx, v) => a.Items.Add(v), static (a, cx, e) => a.End = e);
        core.Defer(() => core.SpawnStream(Numbers(core, 5, fail), fwd));
        AsyncTestDriver.RunVirtual(core, () => s.Actor.Query(static (a, cx) => a.End).HasValue);
        Assert.Equal([0, 1, 2, 3, 4], s.Actor.Query(static (a, cx) => a.Items));
        StreamEnd end = s.Actor.Query(static (a, cx) => a.End)!.Value;
        Assert.Equal(fail, end.IsFailure);
        if (fail) Assert.Equal("source broke", end.Error!.Message);
    }

    sealed class Owner
    {
        public Owner(Cx<Owner> cx) { }
    }

    [Theory]
    [InlineData(ActorEndPolicy.Drop, false)]
    [InlineData(ActorEndPolicy.Surface, true)]
    public void SpawnStream_OwnerActorEnds_StopsPerPolicy(ActorEndPolicy policy, bool expectFailure)
    {
        var core = new Core(Instant.Zero);
        var items = new List<int>();
        StreamEnd? end = null;
        var fwd = Fwd.From<int>(core, items.Add, e => end = e);
        var o = core.Spawn<Owner>(static cx => new Owner(cx), Ret.Nop<StopCause>());
        o.Call(static (a, cx, core, fwd, policy) => cx.SpawnStream(Numbers(core, 100), fwd, policy), core, fwd, policy);
        for (int t = 0; t <= 3; t++) core.Run(Instant.Zero + TimeSpan.FromSeconds(t), false);
        o.Kill("owner gone");
        AsyncTestDriver.RunVirtual(core, () => false, TimeSpan.FromSeconds(20));
        Assert.Equal([0, 1, 2], items);
        Assert.Equal(expectFailure, end.HasValue);
        if (expectFailure) Assert.IsType<ActorFail>(end!.Value.Error);
    }

    sealed class Producer
    {
        public Fwd<int>? Sink;
        public int Next;
        public int MoreCount;
        public bool ConsumerGone;
        public int Batch = 1;
        public int Limit = int.MaxValue;
        public Producer(Cx<Producer> cx) { }

        public void More(Cx<Producer> cx)
        {
            MoreCount++;
            for (int i = 0; i < Batch && Next < Limit; i++) Sink!.Send(Next++);
            if (Next == Limit) Sink!.End();
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void FwdToStream_PullOrBatches_DeliversAllInOrder(int batch)
    {
        var core = new Core(Instant.Zero);
        using var p = core.Spawn<Producer>(static cx => new Producer(cx), Ret.Nop<StopCause>());
        var more = p.Actor.Fwd<Unit>(static (a, cx, _) => a.More(cx), static (a, cx, _) => a.ConsumerGone = true);
        var (stream, sink) = Streams.FwdToStream<int>(core, more, capacity: 16);
        p.Call(static (a, cx, s) => { a.Sink = s.sink; a.Batch = s.batch; a.Limit = 100; }, (sink, batch));
        var got = new List<int>();
        bool finished = false;
        core.Defer(async () => { await foreach (int v in stream) got.Add(v); finished = true; });
        AsyncTestDriver.RunVirtual(core, () => finished);
        Assert.Equal(Enumerable.Range(0, 100), got);
        Assert.Equal((100 + batch - 1) / batch, p.Actor.Query(static (a, cx) => a.MoreCount));   // one "more" per batch
        Assert.False(p.Actor.Query(static (a, cx) => a.ConsumerGone));
    }

    [Fact]
    public void FwdToStream_ProducerIgnoresBound_SendBeyondCapacityThrowsAndBufferStaysBounded()
    {
        var core = new Core(Instant.Zero);
        var (stream, sink) = Streams.FwdToStream<int>(core, Fwd.Nop<Unit>(), capacity: 8);
        for (int i = 0; i < 8; i++) sink.Send(i);
        var ex = Assert.Throws<InvalidOperationException>(() => sink.Send(8));
        Assert.Contains("buffer full", ex.Message);
        var got = new List<int>();
        core.Defer(async () => { await foreach (int v in stream) { got.Add(v); if (got.Count == 8) break; } });
        core.Run(core.Now, false);
        Assert.Equal(Enumerable.Range(0, 8), got);
    }

    [Fact]
    public void FwdToStream_ConsumerBreaksEarly_ProducerIsTold()
    {
        var core = new Core(Instant.Zero);
        using var p = core.Spawn<Producer>(static cx => new Producer(cx), Ret.Nop<StopCause>());
        var more = p.Actor.Fwd<Unit>(static (a, cx, _) => a.More(cx), static (a, cx, _) => a.ConsumerGone = true);
        var (stream, sink) = Streams.FwdToStream<int>(core, more);
        p.Call(static (a, cx, s) => a.Sink = s, sink);
        var got = new List<int>();
        core.Defer(async () => { await foreach (int v in stream) { got.Add(v); if (v == 4) break; } });
        AsyncTestDriver.RunVirtual(core, () => p.Actor.Query(static (a, cx) => a.ConsumerGone));
        Assert.Equal([0, 1, 2, 3, 4], got);
        Assert.True(p.Actor.Query(static (a, cx) => a.ConsumerGone));
    }

    [Theory]
    [InlineData(ActorEndPolicy.Surface, typeof(TimeoutException))]
    [InlineData(ActorEndPolicy.Drop, typeof(OperationCanceledException))]
    public void FwdToStream_ProducerFails_ConsumerSeesPerPolicy(ActorEndPolicy policy, Type expected)
    {
        var core = new Core(Instant.Zero);
        var (stream, sink) = Streams.FwdToStream<int>(core, Fwd.Nop<Unit>(), policy: policy);
        var got = new List<int>();
        Exception? error = null;
        core.Defer(async () =>
        {
            try { await foreach (int v in stream) got.Add(v); }
            catch (Exception ex) { error = ex; }
        });
        core.Run(core.Now, false);
        sink.Send(1);
        sink.Send(2);
        sink.Fail(new TimeoutException("producer broke"));
        core.Run(core.Now, false);
        Assert.Equal([1, 2], got);
        Assert.IsType(expected, error);
    }
}
