namespace Stakker.Tests;

public class SmokeTests
{
    sealed class Counter
    {
        public int Count;
        public Counter(Cx<Counter> cx) { }
        public void Add(Cx<Counter> cx, int n) => Count += n;
        public void Get(Cx<Counter> cx, Ret<int> ret) => ret.Answer(Count);
    }

    sealed class Asker
    {
        public readonly List<Answer<int>> Got = [];
        public Asker(Cx<Asker> cx) { }
        public void Ask(Cx<Asker> cx, Actor<Counter> c) => c.Call(static (a, cx, r) => a.Get(cx, r), cx.Ret<int>(static (a, cx, v) => a.Got.Add(v)));
    }

    [Fact]
    public void Call_Queued_RunsOnRunInOrder()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<StopCause>();
        using var c = core.Spawn<Counter>(static cx => new Counter(cx), Ret.From<StopCause>(core, a => stops.Add(a.Value)));
        c.Call(static (a, cx, n) => a.Add(cx, n), 5);
        c.Call(static (a, cx, n) => a.Add(cx, n), 7);
        Assert.False(c.Actor.TryQuery(static (a, cx) => a.Count, out _));   // still Prep: init is queued
        core.Run(core.Now, false);
        Assert.Equal(12, c.Actor.Query(static (a, cx) => a.Count));
        var asker = core.Spawn<Asker>(static cx => new Asker(cx), Ret.Nop<StopCause>());
        asker.Call(static (a, cx, t) => a.Ask(cx, t), c.Actor);
        core.Run(core.Now, false);
        Assert.Equal(12, Assert.Single(asker.Actor.Query(static (a, cx) => a.Got)).Value);
        c.Dispose();
        core.Run(core.Now, false);
        Assert.Equal(StopKind.Dropped, Assert.Single(stops).Kind);
    }
}
