using Stakker.Tests.Actors;

namespace Stakker.Tests.Returns;

public class RetEdgeCaseTests
{
    sealed class Keeper
    {
        public readonly List<Ret<int>> Kept = [];
        public Keeper(Cx<Keeper> cx) { }
        public void Keep(Cx<Keeper> cx, Ret<int> r) => Kept.Add(r);
    }

    [Fact]
    public void ActorEnd_FirstNoValueCallbackThrows_OtherRetsStillAnsweredAndErrorSurfaces()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        var k = core.Spawn<Keeper>(static cx => new Keeper(cx), ActorTestKit.Notify(core, stops));
        var got = new List<string>();
        // Held Rets are answered newest first; the throwing one is kept last.
        k.Call(static (a, cx, r) => a.Keep(cx, r), Ret.From<int>(core, a => got.Add("first " + a.HasValue)));
        k.Call(static (a, cx, r) => a.Keep(cx, r), Ret.From<int>(core, _ => throw new InvalidOperationException("callback broke")));
        k.Call(static (a, cx, r) => a.Keep(cx, r), Ret.From<int>(core, a => got.Add("third " + a.HasValue)));
        core.Run(core.Now, false);

        k.Kill("end");   // the fault is the ending actor's: reported in its cause, not thrown

        StopCause cause = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Killed, cause.Kind);
        Assert.Equal("callback broke", cause.TeardownError!.InnerException!.Message);
        Assert.Equal(["third False", "first False"], got);
        Assert.True(k.Actor.IsZombie);
    }

    sealed class Forwarder
    {
        public Forwarder(Cx<Forwarder> cx) { }

        // Passes the work to a backend, keeping the client's Ret as the fixed argument of its own Ret.
        public void Handle(Cx<Forwarder> cx, Actor<Keeper> backend, Ret<int> client) =>
            backend.Call(static (b, cx, r) => b.Keep(cx, r),
                         cx.This.Ret<Ret<int>, int>(client, static (f, cx, c, answer) => c.Answer(answer.Value * 10)));
    }

    [Fact]
    public void ForwardedClientRet_ForwarderEndsBeforeBackendAnswers_ClientGetsNoValueAndBackendIsUnharmed()
    {
        var core = new Core(Instant.Zero);
        var client = new List<Answer<int>>();
        StopCause? backendStop = null;
        using var backend = core.Spawn<Keeper>(static cx => new Keeper(cx), Ret.From<StopCause>(core, a => backendStop = a.Value));
        var fwd = core.Spawn<Forwarder>(static cx => new Forwarder(cx), Ret.Nop<StopCause>());
        fwd.Call(static (f, cx, b, r) => f.Handle(cx, b, r), backend.Actor, Ret.From<int>(core, client.Add));
        core.Run(core.Now, false);

        fwd.Kill("forwarder gone");
        Assert.False(Assert.Single(client).HasValue);   // told at once: its holder ended

        backend.Call(static (b, cx) => b.Kept[0].Answer(4));   // the late answer goes to the dead forwarder
        core.Run(core.Now, false);
        Assert.Null(backendStop);
        Assert.Single(client);
    }

    [Fact]
    public void ForwardedClientRet_BackendAnswers_ClientGetsTheValue()
    {
        var core = new Core(Instant.Zero);
        var client = new List<Answer<int>>();
        using var backend = core.Spawn<Keeper>(static cx => new Keeper(cx), Ret.Nop<StopCause>());
        using var fwd = core.Spawn<Forwarder>(static cx => new Forwarder(cx), Ret.Nop<StopCause>());
        fwd.Call(static (f, cx, b, r) => f.Handle(cx, b, r), backend.Actor, Ret.From<int>(core, client.Add));
        core.Run(core.Now, false);
        backend.Call(static (b, cx) => b.Kept[0].Answer(4));
        core.Run(core.Now, false);
        Assert.Equal(40, Assert.Single(client).Value);
    }

    [Fact]
    public void CallAfterCoreDispose_RetInItAnswersNoValueAtOnce()
    {
        var core = new Core(Instant.Zero);
        var k = core.Spawn<Keeper>(static cx => new Keeper(cx), Ret.Nop<StopCause>());
        core.Run(core.Now, false);
        var got = new List<Answer<int>>();
        core.Dispose();
        k.Call(static (a, cx, r) => a.Keep(cx, r), Ret.From<int>(core, got.Add));
        Assert.False(Assert.Single(got).HasValue);
    }

    [Fact]
    public void CoreDispose_PendingTimerCarryingRet_AnswersNoValue()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        var k = core.Spawn<Keeper>(static cx => new Keeper(cx), Ret.Nop<StopCause>());
        k.Call(static (a, cx, r) => cx.After(TimeSpan.FromHours(1), static (a, cx, r) => a.Keep(cx, r), r), k.Actor.Ret<int>(static (a, cx, v) => { }));
        k.Call(static (a, cx, r) => cx.After(TimeSpan.FromHours(1), static (a, cx, r) => a.Keep(cx, r), r), Ret.From<int>(core, got.Add));
        core.Run(core.Now, false);
        core.Dispose();
        Assert.False(Assert.Single(got).HasValue);
    }
}
