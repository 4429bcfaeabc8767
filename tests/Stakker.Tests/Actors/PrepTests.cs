namespace Stakker.Tests.Actors;

public class PrepTests
{
    /// <summary>Records every call it gets, with the value init set, into a shared log</summary>
    sealed class Node : IDisposable
    {
        public readonly List<string> Log;
        public readonly int Seed;
        public Actor<Node> Peer;
        public Node(List<string> log, int seed) { Log = log; Seed = seed; }

        public void Check(Cx<Node> cx, string tag) => Log.Add(tag + ":" + Seed);
        public void CheckThenStop(Cx<Node> cx, string tag) { Log.Add(tag + ":" + Seed); cx.Stop(); }
        public void CheckThenThrow(Cx<Node> cx, string tag) { Log.Add(tag + ":" + Seed); throw new InvalidOperationException("buffered call threw"); }
        public void Get(Cx<Node> cx, Ret<int> ret) => ret.Answer(Seed);
        public void Ping(Cx<Node> cx, int n)
        {
            Log.Add("ping " + Seed + " " + n);
            if (n > 0) Peer.Call(static (a, cx, m) => a.Ping(cx, m), n - 1);
        }
        public void Dispose() => Log.Add("disposed:" + Seed);

        /// <summary>First step of a two-step init: stays in Prep and queues the second step</summary>
        public static Node? InitStep1(Cx<Node> cx, List<string> log, int seed)
        {
            log.Add("step1");
            cx.This.Init(static (cx, l, s) => InitStep2(cx, l, s), log, seed * 2);
            return null;
        }

        static Node InitStep2(Cx<Node> cx, List<string> log, int seed)
        {
            log.Add("step2");
            return new Node(log, seed);
        }
    }

    static void QueueCheck(Actor<Node> n, string tag) => n.Call(static (a, cx, t) => a.Check(cx, t), tag);

    [Fact]
    public void Create_CallsBeforeInit_AreBufferedAndRunInArrivalOrderOnceReady()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var node = core.Create<Node>(Ret.Nop<StopCause>());
        QueueCheck(node, "c1");
        QueueCheck(node, "c2");
        core.RunNow();

        Assert.Equal(ActorState.Prep, node.Actor.State);
        Assert.Empty(log);

        QueueCheck(node, "c3");
        node.Actor.Init(static (cx, l) => new Node(l, 7), log);
        core.RunNow();

        Assert.Equal(ActorState.Ready, node.Actor.State);
        Assert.Equal(["c1:7", "c2:7", "c3:7"], log);
    }

    [Fact]
    public void Init_MakingActorReady_RunsBufferedCallsBeforeAnyOtherQueuedItem()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var node = core.Create<Node>(Ret.Nop<StopCause>());
        using var other = core.Spawn<Node, List<string>, int>(static (cx, l, s) => new Node(l, s), log, 2, Ret.Nop<StopCause>());
        core.RunNow();

        QueueCheck(node, "buffered");             // comes off the queue while Prep: kept inside the actor
        node.Actor.Init(static (cx, l) => new Node(l, 1), log);
        QueueCheck(other, "other");              // queued after the init
        core.RunNow();

        Assert.Equal(["buffered:1", "other:2"], log);
    }

    [Fact]
    public void Init_ReturningNull_StaysPrepAndSecondInitMakesItReady()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        using var node = core.Create<Node>(ActorTestKit.Notify(core, stops));
        node.Actor.Init(static (cx, l, s) => Node.InitStep1(cx, l, s), log, 21);
        QueueCheck(node, "c1");

        core.RunNow();

        Assert.Equal(["step1", "step2", "c1:42"], log);
        Assert.Equal(ActorState.Ready, node.Actor.State);
        Assert.Empty(stops);
    }

    [Fact]
    public void Init_ReturningNull_ActorStaysPrepWithCallsWaiting()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var node = core.Spawn<Node>(static cx => null, Ret.Nop<StopCause>());
        QueueCheck(node, "waits");

        core.RunNow();

        Assert.Equal(ActorState.Prep, node.Actor.State);
        Assert.False(node.Actor.TryQuery(static (a, cx) => a.Seed, out _));
        Assert.Empty(log);

        node.Actor.Init(static (cx, l) => new Node(l, 5), log);
        core.RunNow();
        Assert.Equal(["waits:5"], log);
    }

    [Fact]
    public void Init_ArrivingAfterReady_IsIgnored()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var node = core.Spawn<Node, List<string>>(static (cx, l) => new Node(l, 1), log, Ret.Nop<StopCause>());
        core.RunNow();
        Node first = node.Actor.Query(static (a, cx) => a);

        node.Actor.Init(static (cx, l) => { l.Add("second init ran"); return new Node(l, 2); }, log);
        core.RunNow();

        Assert.Same(first, node.Actor.Query(static (a, cx) => a));
        Assert.DoesNotContain("second init ran", log);
    }

    [Fact]
    public void Create_TwoActorsReferencingEachOther_CycleWorksOnceBothAreReady()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var a = core.Create<Node>(Ret.Nop<StopCause>());
        using var b = core.Create<Node>(Ret.Nop<StopCause>());
        a.Actor.Init(static (cx, l, peer) => new Node(l, 1) { Peer = peer }, log, b.Actor);
        // A call to b before b exists: it waits inside b.
        b.Call(static (x, cx, n) => x.Ping(cx, n), 3);
        b.Actor.Init(static (cx, l, peer) => new Node(l, 2) { Peer = peer }, log, a.Actor);

        core.RunNow();

        Assert.Equal(["ping 2 3", "ping 1 2", "ping 2 1", "ping 1 0"], log);
    }

    [Fact]
    public void Init_Throws_ActorFailsWithThatExceptionAndBufferedRetsAnswerNoValue()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        var answers = new List<Answer<int>>();
        var boom = new InvalidOperationException("init exploded");
        using var node = core.Create<Node>(ActorTestKit.Notify(core, stops));
        node.Call(static (a, cx, r) => a.Get(cx, r), ActorTestKit.Recorder(core, answers));
        core.RunNow();                      // the call is now buffered in the Prep actor
        Assert.Empty(answers);

        node.Actor.Init(static (cx, e) => throw e, boom);
        core.RunNow();

        StopCause cause = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Failed, cause.Kind);
        Assert.Same(boom, cause.Error);
        Assert.False(Assert.Single(answers).HasValue);
        Assert.True(node.Actor.IsZombie);
    }

    [Fact]
    public void Init_CxFail_ActorFailsWithTheMessage()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        using var node = core.Spawn<Node>(static cx => { cx.Fail("no config"); return null; }, ActorTestKit.Notify(core, stops));

        Assert.Empty(stops);   // init is queued, not run by Spawn
        core.RunNow();

        StopCause cause = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Failed, cause.Kind);
        Assert.IsType<ActorException>(cause.Error);
        Assert.Equal("no config", cause.Error!.Message);
    }

    [Fact]
    public void Init_CxStop_ActorEndsStoppedAfterRun()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        using var node = core.Spawn<Node>(static cx => { cx.Stop(); return null; }, ActorTestKit.Notify(core, stops));

        Assert.Empty(stops);
        core.RunNow();

        Assert.Equal(StopKind.Stopped, Assert.Single(stops).Value.Kind);
    }

    [Fact]
    public void Init_FailsAfterBuildingState_StateIsDisposedAndNeverReady()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        using var node = core.Spawn<Node, List<string>>(static (cx, l) => { cx.Fail("late"); return new Node(l, 9); }, log, ActorTestKit.Notify(core, stops));
        QueueCheck(node, "never");

        core.RunNow();

        Assert.Equal(["disposed:9"], log);
        Assert.Equal(StopKind.Failed, Assert.Single(stops).Value.Kind);
        Assert.True(node.Actor.IsZombie);
    }

    [Fact]
    public void BufferedCall_StoppingTheActor_DropsTheRestAndTheirRetsAnswerNoValue()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var answers = new List<Answer<int>>();
        var stops = new List<Answer<StopCause>>();
        using var node = core.Create<Node>(ActorTestKit.Notify(core, stops));
        QueueCheck(node, "first");
        node.Call(static (a, cx, t) => a.CheckThenStop(cx, t), "stopper");
        QueueCheck(node, "after");
        node.Call(static (a, cx, r) => a.Get(cx, r), ActorTestKit.Recorder(core, answers));
        node.Actor.Init(static (cx, l) => new Node(l, 3), log);

        core.RunNow();

        Assert.Equal(["first:3", "stopper:3", "disposed:3"], log);
        Assert.False(Assert.Single(answers).HasValue);
        Assert.Equal(StopKind.Stopped, Assert.Single(stops).Value.Kind);
    }

    [Fact]
    public void BufferedCall_Throwing_FailsTheActorAndOtherActorsStillRun()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        using var node = core.Create<Node>(ActorTestKit.Notify(core, stops));
        using var bystander = Bystander.Spawn(core);
        node.Call(static (a, cx, t) => a.CheckThenThrow(cx, t), "thrower");
        QueueCheck(node, "after");
        node.Actor.Init(static (cx, l) => new Node(l, 4), log);
        Bystander.Queue(bystander, "still here");

        core.RunNow();

        Assert.Equal(["thrower:4", "disposed:4"], log);
        Assert.IsType<InvalidOperationException>(Assert.Single(stops).Value.Error);
        Assert.Equal(["still here"], Bystander.SeenBy(bystander));
    }

    [Fact]
    public void PrepActor_Killed_BufferedCallsDroppedAndTheirRetsAnswerNoValue()
    {
        var core = new Core(Instant.Zero);
        var answers = new List<Answer<int>>();
        var stops = new List<Answer<StopCause>>();
        using var node = core.Create<Node>(ActorTestKit.Notify(core, stops));
        node.Call(static (a, cx, r) => a.Get(cx, r), ActorTestKit.Recorder(core, answers));
        node.Call(static (a, cx, r) => a.Get(cx, r), ActorTestKit.Recorder(core, answers));
        core.RunNow();
        Assert.Empty(answers);

        node.Kill("not needed");

        Assert.Equal(2, answers.Count);
        Assert.All(answers, a => Assert.False(a.HasValue));
        Assert.Equal(StopKind.Killed, Assert.Single(stops).Value.Kind);
    }

    [Fact]
    public void PrepActor_OwnerDisposed_EndsDroppedAndBufferedRetAnswersNoValue()
    {
        var core = new Core(Instant.Zero);
        var answers = new List<Answer<int>>();
        var stops = new List<Answer<StopCause>>();
        var node = core.Create<Node>(ActorTestKit.Notify(core, stops));
        node.Call(static (a, cx, r) => a.Get(cx, r), ActorTestKit.Recorder(core, answers));

        node.Dispose();
        core.RunNow();

        Assert.False(Assert.Single(answers).HasValue);
        Assert.Equal(StopKind.Dropped, Assert.Single(stops).Value.Kind);
    }

    [Fact]
    public void Init_QueuedFromTheLazyQueue_CallsMadeEarlierWaitAndRunOnceAfterIt()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var node = core.Create<Node>(Ret.Nop<StopCause>());
        Actor<Node> actor = node;
        core.Lazy(() => actor.Init(static (cx, l) => new Node(l, 8), log));
        QueueCheck(node, "c1");          // main queue runs before the lazy queue: the actor is still Prep
        QueueCheck(node, "c2");

        core.RunNow();

        Assert.Equal(["c1:8", "c2:8"], log);
        Assert.Equal(ActorState.Ready, node.Actor.State);
    }
}
