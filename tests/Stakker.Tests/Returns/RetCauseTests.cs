using Stakker.Tests.Actors;

namespace Stakker.Tests.Returns;

/// <summary>"No value" that says why: <see cref="Ret{T}.Abandon(StopCause)"/> and <see cref="Answer{T}.Cause"/></summary>
public class RetCauseTests
{
    sealed class Asker
    {
        public readonly List<Answer<int>> Answers = [];
        public readonly List<(string Tag, Answer<int> Answer)> Tagged = [];
        public readonly List<int> Values = [];
        public Asker(Cx<Asker> cx) { }
    }

    static ActorOwn<Asker> Spawn(Core core) => core.Spawn<Asker>(static cx => new Asker(cx), Ret.Nop<StopCause>());

    [Fact]
    public void Abandon_CallbackEndPoint_GetsNoValueWithTheCause_Once()
    {
        var core = new Core(Instant.Zero);
        var seen = new List<Answer<int>>();
        Ret<int> ret = Ret.From<int>(core, seen.Add);
        ret.Abandon(StopCause.Lost);
        ret.Abandon(StopCause.Stopped);
        ret.Dispose();
        core.RunNow();
        Answer<int> a = Assert.Single(seen);
        Assert.False(a.HasValue);
        Assert.Same(StopCause.Lost, a.Cause);
        Assert.Equal("(no value: Lost connection to actor)", a.ToString());
        Assert.False(ret.IsPending);
    }

    [Fact]
    public void Abandon_AfterAnAnswer_DoesNothing()
    {
        var core = new Core(Instant.Zero);
        var seen = new List<Answer<int>>();
        Ret<int> ret = Ret.From<int>(core, seen.Add);
        ret.Answer(0);
        ret.Abandon(StopCause.Lost);
        Answer<int> a = Assert.Single(seen);
        Assert.True(a.HasValue);
        Assert.Equal(0, a.Value);
        Assert.Null(a.Cause);
    }

    [Fact]
    public void LocalNoValue_HasNoCause()
    {
        var core = new Core(Instant.Zero);
        var seen = new List<Answer<int>>();
        Ret.From<int>(core, seen.Add).Dispose();
        Answer<int> a = Assert.Single(seen);
        Assert.False(a.HasValue);
        Assert.Null(a.Cause);
        Assert.Equal("(no value)", a.ToString());
        Assert.Throws<ActorFail>(() => a.Value);
    }

    [Fact]
    public void Abandon_ActorEndPoints_QueueTheCause_RetSomeIgnoresIt()
    {
        var core = new Core(Instant.Zero);
        using var own = Spawn(core);
        core.RunNow();
        Actor<Asker> asker = own.Actor;
        asker.Ret<int>(static (a, cx, v) => a.Answers.Add(v)).Abandon(StopCause.Lost);
        asker.Ret<string, int>("fixed", static (a, cx, tag, v) => a.Tagged.Add((tag, v))).Abandon(StopCause.Killed("gone"));
        asker.RetSome<int>(static (a, cx, v) => a.Values.Add(v)).Abandon(StopCause.Lost);
        asker.RetSome<string, int>("fixed", static (a, cx, tag, v) => a.Values.Add(v)).Abandon(StopCause.Lost);
        core.RunNow();

        Answer<int> plain = Assert.Single(asker.Query(static (a, cx) => a.Answers.ToList()));
        Assert.Equal(StopKind.Lost, plain.Cause?.Kind);
        var (tag, tagged) = Assert.Single(asker.Query(static (a, cx) => a.Tagged.ToList()));
        Assert.Equal("fixed", tag);
        Assert.Equal(StopKind.Killed, tagged.Cause?.Kind);
        Assert.Equal("gone", tagged.Cause?.Error?.Message);
        Assert.Empty(asker.Query(static (a, cx) => a.Values.ToList()));
    }

    [Fact]
    public void Abandon_ActorEndPoint_ThenALocalNoValue_DoesNotKeepTheOldCause()
    {
        // End-points are pooled: a node that carried a cause must not pass it to the next "no value".
        var core = new Core(Instant.Zero);
        using var own = Spawn(core);
        core.RunNow();
        Actor<Asker> asker = own.Actor;
        for (int i = 0; i < 3; i++)
        {
            asker.Ret<int>(static (a, cx, v) => a.Answers.Add(v)).Abandon(StopCause.Lost);
            core.RunNow();
            asker.Ret<int>(static (a, cx, v) => a.Answers.Add(v)).Dispose();
            core.RunNow();
            asker.Ret<int>(static (a, cx, v) => a.Answers.Add(v)).Answer(i);
            core.RunNow();
        }
        var answers = asker.Query(static (a, cx) => a.Answers.ToList());
        Assert.Equal(9, answers.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(StopKind.Lost, answers[3 * i].Cause?.Kind);
            Assert.Null(answers[3 * i + 1].Cause);
            Assert.False(answers[3 * i + 1].HasValue);
            Assert.Equal(i, answers[3 * i + 2].Value);
            Assert.Null(answers[3 * i + 2].Cause);
        }
    }

    [Fact]
    public async Task Abandon_AskEndPoint_FailsWithTheCauseInTheMessage()
    {
        var core = new Core(Instant.Zero);
        using var own = Spawn(core);
        core.RunNow();
        ValueTask<int> task = own.Actor.Ask<int>(static (a, cx, r) => r.Abandon(StopCause.Lost));
        core.RunNow();
        Assert.True(task.IsCompleted);
        var e = await Assert.ThrowsAsync<ActorFail>(async () => await task);
        Assert.Contains("Lost connection to actor", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shutdown_NoValueWithACause_ShutsDownWithThatCause()
    {
        var core = new Core(Instant.Zero);
        Ret.Shutdown(core).Abandon(StopCause.Lost);
        Assert.Same(StopCause.Lost, core.ShutdownCause);
        var other = new Core(Instant.Zero);
        Ret.Shutdown(other).Dispose();
        Assert.Same(StopCause.Dropped, other.ShutdownCause);
    }

    [Fact]
    public void NoneBecause_NullCause_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Answer<int>.NoneBecause(null!));
        var core = new Core(Instant.Zero);
        Ret<int> ret = Ret.From<int>(core, _ => { });
        Assert.Throws<ArgumentNullException>(() => ret.Abandon(null!));
        Assert.True(ret.IsPending);
        ret.Dispose();
    }
}
