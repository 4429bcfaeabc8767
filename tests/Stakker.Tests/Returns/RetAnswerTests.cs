using Stakker.Tests.Actors;

namespace Stakker.Tests.Returns;

/// <summary>Answering a Ret: once, with a value</summary>
public class RetAnswerTests : RetTestBase
{
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
}
