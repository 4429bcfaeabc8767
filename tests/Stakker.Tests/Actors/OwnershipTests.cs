namespace Stakker.Tests.Actors;

public class OwnershipTests
{
    /// <summary>A tree node: owns children, disposes them with itself, logs everything into a shared log</summary>
    sealed class TreeNode : IDisposable
    {
        readonly List<string> _log;
        readonly string _name;
        readonly List<ActorOwn<TreeNode>> _children = [];

        public TreeNode(List<string> log, string name) { _log = log; _name = name; }

        public void Note(Cx<TreeNode> cx, string s) => _log.Add(_name + " " + s);

        /// <summary>Adds a child whose ending is told to this actor (the usual parent/child wiring)</summary>
        public void AddChild(Cx<TreeNode> cx, string name)
        {
            var child = cx.Spawn<TreeNode, List<string>, string>(static (cx, l, n) => new TreeNode(l, n), _log, name,
                cx.Ret<string, StopCause>(name, static (a, cx, n, c) => a.ChildEnded(cx, n, c)));
            _children.Add(child);
        }

        /// <summary>Adds a child whose ending is recorded straight into the log (to see the order of endings)</summary>
        public void AddLoggedChild(Cx<TreeNode> cx, string name)
        {
            List<string> log = _log;
            var child = cx.Spawn<TreeNode, List<string>, string>(static (cx, l, n) => new TreeNode(l, n), _log, name,
                Ret.From<StopCause>(cx.Core, c => log.Add(name + " ended " + c.Value.Kind)));
            _children.Add(child);
        }

        public void ChildEnded(Cx<TreeNode> cx, string child, Answer<StopCause> cause) =>
            _log.Add(_name + " heard " + child + " " + cause.Value.Kind);

        public void DropFirstChild(Cx<TreeNode> cx)
        {
            _children[0].Dispose();
            _children.RemoveAt(0);
            _log.Add(_name + " dropped a child");
        }

        public Actor<TreeNode> Child(int i) => _children[i].Actor;

        public void Stop(Cx<TreeNode> cx) => cx.Stop();
        public void Throw(Cx<TreeNode> cx) => throw new InvalidOperationException("parent broke");

        public void Dispose()
        {
            _log.Add(_name + " disposing");
            foreach (var c in _children) c.Dispose();
            _log.Add(_name + " disposed");
        }
    }

    static ActorOwn<TreeNode> SpawnNode(Core core, List<string> log, string name, Ret<StopCause> notify) =>
        core.Spawn<TreeNode, List<string>, string>(static (cx, l, n) => new TreeNode(l, n), log, name, notify);

    static void Note(Actor<TreeNode> n, string s) => n.Call(static (a, cx, x) => a.Note(cx, x), s);

    [Fact]
    public void Dispose_LastOwner_CallsAlreadyQueuedRunThenActorEndsDropped()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        var own = SpawnNode(core, log, "n", ActorTestKit.Notify(core, stops));
        Note(own, "one");
        Note(own, "two");

        own.Dispose();
        Assert.Empty(stops);        // deferred: not ended by the dispose itself
        Assert.True(own.IsDisposed);
        core.RunNow();

        Assert.Equal(["n one", "n two", "n disposing", "n disposed"], log);
        Assert.Same(StopCause.Dropped, Assert.Single(stops).Value);
    }

    [Fact]
    public void Dispose_LastOwner_CallsMadeAfterTheDisposeAreDropped()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var own = SpawnNode(core, log, "n", Ret.Nop<StopCause>());
        core.RunNow();
        Actor<TreeNode> actor = own;

        own.Dispose();
        Note(actor, "too late");
        core.RunNow();

        Assert.Equal(["n disposing", "n disposed"], log);
        Assert.True(actor.IsZombie);
    }

    [Fact]
    public void Dispose_Twice_CountsAsOneOwnerOnly()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        var first = SpawnNode(core, [], "n", ActorTestKit.Notify(core, stops));
        using var second = first.Owned();

        first.Dispose();
        first.Dispose();
        core.RunNow();

        Assert.Empty(stops);
        Assert.Equal(ActorState.Ready, second.Actor.State);
    }

    [Fact]
    public void Owned_SecondOwner_ActorLivesUntilTheLastOwnerIsDisposed()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        var first = SpawnNode(core, log, "n", ActorTestKit.Notify(core, stops));
        var second = first.Owned();
        var third = second.Owned();
        core.RunNow();

        first.Dispose();
        core.RunNow();
        third.Dispose();
        core.RunNow();
        Note(second, "still alive");
        core.RunNow();
        Assert.Empty(stops);
        Assert.Equal(["n still alive"], log);

        second.Dispose();
        core.RunNow();
        Assert.Same(StopCause.Dropped, Assert.Single(stops).Value);
        Assert.True(second.Actor.IsZombie);
    }

    [Fact]
    public void Dispose_OwnerOfAnActorThatAlreadyEnded_NoSecondNotify()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        var own = SpawnNode(core, [], "n", ActorTestKit.Notify(core, stops));
        own.Call(static (a, cx) => a.Stop(cx));
        core.RunNow();

        own.Dispose();
        core.RunNow();

        Assert.Same(StopCause.Stopped, Assert.Single(stops).Value);
    }

    public enum Ending { Stop, Fail, Throw, Kill, Drop }

    sealed class DisposableState : IDisposable
    {
        public readonly List<string> Log;
        public DisposableState(List<string> log) { Log = log; }
        public void Stop(Cx<DisposableState> cx) => cx.Stop();
        public void Fail(Cx<DisposableState> cx) => cx.Fail("fail");
        public void Throw(Cx<DisposableState> cx) => throw new InvalidOperationException("throw");
        public void Dispose() => Log.Add("disposed");
    }

    [Theory]
    [InlineData(Ending.Stop, StopKind.Stopped)]
    [InlineData(Ending.Fail, StopKind.Failed)]
    [InlineData(Ending.Throw, StopKind.Failed)]
    [InlineData(Ending.Kill, StopKind.Killed)]
    [InlineData(Ending.Drop, StopKind.Dropped)]
    public void Ending_AnyCause_DisposesTheStateExactlyOnce(Ending how, StopKind expected)
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        var own = core.Spawn<DisposableState, List<string>>(static (cx, l) => new DisposableState(l), log, ActorTestKit.Notify(core, stops));
        core.RunNow();

        switch (how)
        {
            case Ending.Stop: own.Call(static (a, cx) => a.Stop(cx)); break;
            case Ending.Fail: own.Call(static (a, cx) => a.Fail(cx)); break;
            case Ending.Throw: own.Call(static (a, cx) => a.Throw(cx)); break;
            case Ending.Kill: own.Kill("kill"); break;
            case Ending.Drop: own.Dispose(); break;
        }
        core.RunNow();
        own.Dispose();
        core.RunNow();

        Assert.Equal(["disposed"], log);
        Assert.Equal(expected, Assert.Single(stops).Value.Kind);
    }

    [Fact]
    public void ParentEnds_ChildrenAndGrandchildrenEndDroppedDepthFirst()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var parent = SpawnNode(core, log, "P", Ret.From<StopCause>(core, c => log.Add("P ended " + c.Value.Kind)));
        parent.Call(static (a, cx, n) => a.AddLoggedChild(cx, n), "C1");
        parent.Call(static (a, cx, n) => a.AddLoggedChild(cx, n), "C2");
        core.RunNow();
        Actor<TreeNode> c1 = parent.Actor.Query(static (a, cx) => a.Child(0));
        c1.Call(static (a, cx, n) => a.AddLoggedChild(cx, n), "G1");
        core.RunNow();
        Actor<TreeNode> g1 = c1.Query(static (a, cx) => a.Child(0));
        log.Clear();

        parent.Call(static (a, cx) => a.Stop(cx));
        core.RunNow();

        // Each Dispose runs to its end first; then the children it dropped end in order, each with its
        // subtree, and every owner hears of its actor after the subtree below it has ended.
        Assert.Equal(
        [
            "P disposing", "P disposed",
            "C1 disposing", "C1 disposed", "G1 disposing", "G1 disposed", "G1 ended Dropped", "C1 ended Dropped",
            "C2 disposing", "C2 disposed", "C2 ended Dropped",
            "P ended Stopped",
        ], log);
        Assert.True(c1.IsZombie);
        Assert.True(g1.IsZombie);
    }

    [Fact]
    public void ParentEnds_ChildrensNotifyToTheDeadParentIsIgnored()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        var parent = SpawnNode(core, log, "P", ActorTestKit.Notify(core, stops));
        parent.Call(static (a, cx, n) => a.AddChild(cx, n), "C1");
        parent.Call(static (a, cx, n) => a.AddChild(cx, n), "C2");
        core.RunNow();
        log.Clear();

        parent.Call(static (a, cx) => a.Throw(cx));
        core.RunNow();
        core.RunNow();

        Assert.Equal(["P disposing", "P disposed", "C1 disposing", "C1 disposed", "C2 disposing", "C2 disposed"], log);
        Assert.DoesNotContain(log, s => s.Contains("heard", StringComparison.Ordinal));
        Assert.Equal(StopKind.Failed, Assert.Single(stops).Value.Kind);
    }

    [Fact]
    public void ParentDropsChildInHandler_ChildEndsDroppedAfterItsQueuedCallsAndParentHearsIt()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var parent = SpawnNode(core, log, "P", Ret.Nop<StopCause>());
        parent.Call(static (a, cx, n) => a.AddChild(cx, n), "C");
        core.RunNow();
        Actor<TreeNode> child = parent.Actor.Query(static (a, cx) => a.Child(0));
        log.Clear();

        Note(child, "queued before the drop");
        parent.Call(static (a, cx) => a.DropFirstChild(cx));
        core.RunNow();

        Assert.Equal(["C queued before the drop", "P dropped a child", "C disposing", "C disposed", "P heard C Dropped"], log);
        Assert.True(child.IsZombie);
    }

    [Fact]
    public void OwnerDisposedInsideAnotherActorsEnding_ChildEndsAtOnceNotLater()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var parent = SpawnNode(core, log, "P", Ret.Nop<StopCause>());
        parent.Call(static (a, cx, n) => a.AddLoggedChild(cx, n), "C");
        core.RunNow();
        Actor<TreeNode> child = parent.Actor.Query(static (a, cx) => a.Child(0));

        parent.Kill("stop the tree");

        // Kill outside a handler ends the parent at once, and its subtree with it, before Kill returns.
        Assert.True(child.IsZombie);
        Assert.Contains("C ended Dropped", log);
    }

    [Fact]
    public void FwdSentThenOwnerDisposedAtOnce_TheForwardedCallStillRuns()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        var own = SpawnNode(core, log, "cat", ActorTestKit.Notify(core, stops));
        Fwd<string> fwd = own.Actor.Fwd<string>(static (a, cx, s) => a.Note(cx, s));

        fwd.Send("sound");
        own.Dispose();
        core.RunNow();

        Assert.Equal(["cat sound", "cat disposing", "cat disposed"], log);
        Assert.Same(StopCause.Dropped, Assert.Single(stops).Value);
    }
}
