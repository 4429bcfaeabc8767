namespace Stakker.Docs.Tests.Concepts;

/// <summary>docs/concepts.md, run</summary>
public class ConceptsTests
{
    [Fact]
    public void ACallIsQueuedAndRunsInsideRun()
    {
        #region doc:concepts-core
        var core = new Core(Instant.Zero);
        using var counter = core.Spawn<Counter>(static cx => new Counter(), Ret.Shutdown(core));
        counter.Call(static (c, cx, n) => c.Add(cx, n), 5);          // queued: nothing has run yet
        int seen = -1;
        counter.Call(static (c, cx, r) => c.Get(cx, r), Ret.From<int>(core, a => seen = a.Value));
        core.Run(core.Now, idle: false);                               // init, Add(5), Get: seen == 5
        #endregion
        Assert.Equal(5, seen);
    }

    [Fact]
    public void ARetIsAnsweredWithAValueOrWithNoValue()
    {
        var core = new Core(Instant.Zero);
        using var counter = core.Spawn<Counter>(static cx => new Counter(), Ret.Shutdown(core));
        using var display = core.Spawn<Display, Actor<Counter>>(static (cx, c) => new Display(cx, c), counter.Actor, Ret.Nop<StopCause>());
        counter.Call(static (c, cx, n) => c.Add(cx, n), 3);
        display.Call(static (d, cx) => d.Refresh(cx));
        core.Run(core.Now, idle: false);
        Assert.Equal("3 items", display.Actor.Query(static (d, cx) => d.Shown));

        counter.Kill("gone");
        display.Call(static (d, cx) => d.Refresh(cx));
        core.Run(core.Now, idle: false);
        Assert.Equal("counter gone", display.Actor.Query(static (d, cx) => d.Shown));
    }

    [Fact]
    public void TimersRunOnVirtualTime()
    {
        #region doc:concepts-virtual-time
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        StopCause? ended = null;
        using var blinker = core.Spawn<Blinker, List<string>>(static (cx, log) => new Blinker(cx, log), log,
            Ret.From<StopCause>(core, a => ended = a.Value));
        core.RunUntil(Instant.Zero + TimeSpan.FromHours(1));    // an hour of timers, at once
        // log: blink at T+00:00:01, blink at T+00:00:02, blink at T+00:00:03, disposed
        // ended: Actor stopped
        #endregion
        Assert.Equal(["blink at T+00:00:01", "blink at T+00:00:02", "blink at T+00:00:03", "disposed"], log);
        Assert.Equal(StopKind.Stopped, ended!.Kind);
        Assert.Equal("Actor stopped", ended.ToString());
    }

    [Fact]
    public void AFailureReachesTheOwnerAsAStopCause()
    {
        #region doc:concepts-stop-cause
        var core = new Core(Instant.Zero);
        var causes = new List<string>();
        using var counter = core.Spawn<Counter>(static cx => new Counter(), Ret.From<StopCause>(core, a => causes.Add(a.Value.ToString())));
        counter.Call(static (c, cx) => throw new InvalidOperationException("bad input"));
        core.Run(core.Now, idle: false);
        // causes: ["Actor failed: bad input"]; calls to it from now on are dropped
        #endregion
        Assert.Equal(["Actor failed: bad input"], causes);
        Assert.Equal(ActorState.Zombie, counter.Actor.State);
    }

    [Fact]
    public void ActorsOfOneCoreShareStateExplicitly()
    {
        #region doc:concepts-share
        var core = new Core(Instant.Zero);
        using var scores = new Share<Dictionary<string, int>>(core, []);
        using var ada = core.Spawn<Player, Share<Dictionary<string, int>>, string>(
            static (cx, s, name) => new Player(s, name), scores, "ada", Ret.Nop<StopCause>());
        using var bob = core.Spawn<Player, Share<Dictionary<string, int>>, string>(
            static (cx, s, name) => new Player(s, name), scores, "bob", Ret.Nop<StopCause>());
        ada.Call(static (p, cx, n) => p.Scored(cx, n), 3);
        bob.Call(static (p, cx, n) => p.Scored(cx, n), 2);
        ada.Call(static (p, cx, n) => p.Scored(cx, n), 4);
        core.Run(core.Now, idle: false);
        // scores.Ro(core): { ada: 7, bob: 2 }
        #endregion
        Assert.Equal(7, scores.Ro(core)["ada"]);
        Assert.Equal(2, scores.Ro(core)["bob"]);
    }
}
