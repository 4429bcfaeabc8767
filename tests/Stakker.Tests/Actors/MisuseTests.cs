namespace Stakker.Tests.Actors;

// Every test here makes a mistake on purpose to check that the runtime refuses it at run time; the
// analyzers' compile-time reports of the same mistakes (docs/analyzers) are expected here.
#pragma warning disable STK0003, STK0007, STK0008

/// <summary>Each misuse is reported with an exception that names the rule (and the actor, where there
/// is one), and leaves the runtime usable: no queued call of another actor is lost.</summary>
public class MisuseTests
{
    sealed class Rogue
    {
        public readonly List<string> Caught = [];
        public Ret<int> Kept;
        public Rogue(Cx<Rogue> cx) { }

        public void RunInside(Cx<Rogue> cx) => cx.Core.Run(cx.Now, false);
        public void RunInsideCaught(Cx<Rogue> cx)
        {
            try { cx.Core.Run(cx.Now, false); }
            catch (InvalidOperationException e) { Caught.Add(e.Message); }
        }
        public void DisposeCoreInside(Cx<Rogue> cx) => cx.Core.Dispose();
        public void Keep(Cx<Rogue> cx, Ret<int> r) => Kept = r;
        public void AnswerTwice(Cx<Rogue> cx, Ret<int> r) { r.Answer(1); r.Answer(2); }
        public void QueryOther(Cx<Rogue> cx, Actor<Bystander> b) => b.Query(static (a, cx) => a.Seen.Count);
        public void Noop(Cx<Rogue> cx) { }
    }

    sealed class World
    {
        public readonly Core Core = new(Instant.Zero);
        public readonly ActorOwn<Bystander> Bystander;
        public readonly ActorOwn<Rogue> Rogue;
        public readonly List<Answer<StopCause>> RogueStops = [];

        public World()
        {
            Bystander = Actors.Bystander.Spawn(Core);
            Rogue = Core.Spawn<Rogue>(static cx => new Rogue(cx), ActorTestKit.Notify(Core, RogueStops));
            Core.RunNow();
            Actors.Bystander.Queue(Bystander, "before");      // queued before the misuse; must still run
        }

        /// <summary>The runtime still works and the bystander saw every call made to it, in order</summary>
        public void AssertStillUsable(params string[] alsoSeen)
        {
            Actors.Bystander.Queue(Bystander, "after");
            Core.RunNow();
            Assert.Equal(["before", .. alsoSeen, "after"], Actors.Bystander.SeenBy(Bystander));

            using var fresh = Actors.Bystander.Spawn(Core);
            Actors.Bystander.Queue(fresh, "fresh");
            Core.RunNow();
            Assert.Equal(["fresh"], Actors.Bystander.SeenBy(fresh));
        }
    }

    const string WrongThreadRule = "may only be touched on their own thread";
    const string RunRule = "Core.Run was called while the Core was already running";

    static Exception? OnOtherThread(Action action) => OtherThread.Run(action);

    // ---- Run inside Run ---------------------------------------------------------------------

    [Fact]
    public void Run_FromInsideAHandler_FailsThatActorNamingTheRuleAndTheActor()
    {
        var w = new World();
        w.Rogue.Call(static (a, cx) => a.RunInside(cx));
        Bystander.Queue(w.Bystander, "queued behind the rogue call");

        w.Core.RunNow();

        StopCause c = Assert.Single(w.RogueStops).Value;
        var ex = Assert.IsType<InvalidOperationException>(c.Error);
        Assert.Contains(RunRule, ex.Message);
        Assert.Contains("Rogue#" + w.Rogue.Actor.Id, ex.Message);
        w.AssertStillUsable("queued behind the rogue call");
    }

    [Fact]
    public void Run_FromInsideAHandlerCaught_ActorCarriesOnAndTheOuterRunIsIntact()
    {
        var w = new World();
        w.Rogue.Call(static (a, cx) => a.RunInsideCaught(cx));
        Bystander.Queue(w.Bystander, "queued behind the rogue call");

        w.Core.RunNow();

        Assert.Contains(RunRule, Assert.Single(w.Rogue.Actor.Query(static (a, cx) => a.Caught.ToList())));
        Assert.Empty(w.RogueStops);
        w.AssertStillUsable("queued behind the rogue call");
    }

    [Fact]
    public void Run_FromADeferredAction_PropagatesOutOfRunAndTheNextRunCarriesOn()
    {
        var w = new World();
        Core core = w.Core;
        core.Defer(() => core.Run(core.Now, false));
        Bystander.Queue(w.Bystander, "queued behind the action");

        var ex = Assert.Throws<InvalidOperationException>(() => core.RunNow());

        Assert.Contains(RunRule, ex.Message);
        w.AssertStillUsable("queued behind the action");
    }

    [Fact]
    public void Run_FromInsideAQuery_IsRefusedAndTheQueriedActorFails()
    {
        var w = new World();
        Core core = w.Core;

        var ex = Assert.Throws<InvalidOperationException>(() => w.Rogue.Actor.Query((a, cx) => { core.Run(core.Now, false); return 0; }));

        Assert.Contains(RunRule, ex.Message);
        Assert.Equal(StopKind.Failed, Assert.Single(w.RogueStops).Value.Kind);
        w.AssertStillUsable();
    }

    [Fact]
    public void CoreDispose_FromInsideAHandler_IsRefusedAndTheCoreKeepsRunning()
    {
        var w = new World();
        w.Rogue.Call(static (a, cx) => a.DisposeCoreInside(cx));
        Bystander.Queue(w.Bystander, "queued behind the rogue call");

        w.Core.RunNow();

        Assert.Contains(RunRule, Assert.Single(w.RogueStops).Value.Error!.Message);
        w.AssertStillUsable("queued behind the rogue call");
    }

    // ---- wrong thread -----------------------------------------------------------------------

    [Fact]
    public void Run_FromAnotherThread_ThrowsInvalidOperationNamingTheRule()
    {
        var w = new World();

        Exception? ex = OnOtherThread(() => w.Core.Run(w.Core.Now, false));

        Assert.Contains(WrongThreadRule, Assert.IsType<InvalidOperationException>(ex).Message);
        w.AssertStillUsable();
    }

    [Fact]
    public void Run_FromATaskWaitedOn_ThrowsInvalidOperation()
    {
        var w = new World();
        int coreThread = Environment.CurrentManagedThreadId;
        int taskThread = 0;

        Task task = Task.Run(() =>
        {
            taskThread = Environment.CurrentManagedThreadId;
            w.Core.Run(w.Core.Now, false);
        });
        // Wait through the handle: Task.Wait() may run a not-yet-started task inline on this thread.
        ((IAsyncResult)task).AsyncWaitHandle.WaitOne();

        Assert.NotEqual(coreThread, taskThread);
        var ex = Assert.IsType<InvalidOperationException>(Assert.Single(task.Exception!.InnerExceptions));
        Assert.Contains(WrongThreadRule, ex.Message);
        w.AssertStillUsable();
    }

    public enum Op { Spawn, CallActor, QueryActor, KillActor, DisposeOwner, Owned, Defer, Shutdown, MakeRet, Timer, CreateWaker }

    [Theory]
    [InlineData(Op.Spawn)]
    [InlineData(Op.CallActor)]
    [InlineData(Op.QueryActor)]
    [InlineData(Op.KillActor)]
    [InlineData(Op.DisposeOwner)]
    [InlineData(Op.Owned)]
    [InlineData(Op.Defer)]
    [InlineData(Op.Shutdown)]
    [InlineData(Op.MakeRet)]
    [InlineData(Op.Timer)]
    [InlineData(Op.CreateWaker)]
    public void CoreOrActor_UsedFromAnotherThread_ThrowsAndChangesNothing(Op op)
    {
        var w = new World();
        Core core = w.Core;
        ActorOwn<Rogue> rogue = w.Rogue;

        Exception? ex = OnOtherThread(() =>
        {
            switch (op)
            {
                case Op.Spawn: core.Spawn<Rogue>(static cx => new Rogue(cx), Ret.Nop<StopCause>()); break;
                case Op.CallActor: rogue.Call(static (a, cx) => a.Noop(cx)); break;
                case Op.QueryActor: rogue.Actor.Query(static (a, cx) => a.Caught.Count); break;
                case Op.KillActor: rogue.Kill("from elsewhere"); break;
                case Op.DisposeOwner: rogue.Dispose(); break;
                case Op.Owned: rogue.Owned(); break;
                case Op.Defer: core.Defer(() => { }); break;
                case Op.Shutdown: core.Shutdown(StopCause.Stopped); break;
                case Op.MakeRet: Ret.From<int>(core, static _ => { }); break;
                case Op.Timer: core.After(TimeSpan.FromSeconds(1), () => { }); break;
                case Op.CreateWaker: core.CreateWaker(Fwd.Nop<bool>()); break;
            }
        });

        var ioe = Assert.IsType<InvalidOperationException>(ex);
        Assert.Contains(WrongThreadRule, ioe.Message);
        if (op is Op.CallActor or Op.QueryActor or Op.KillActor or Op.DisposeOwner or Op.Owned)
            Assert.Contains("Rogue#" + rogue.Actor.Id, ioe.Message);
        Assert.Equal(ActorState.Ready, rogue.Actor.State);
        Assert.False(rogue.IsDisposed);
        Assert.Empty(w.RogueStops);
        Assert.False(core.IsShutdown);
        Assert.Equal(0, core.TimerCount);
        w.AssertStillUsable();
    }

    public enum LiveOp { CallActor, AnswerRet, SendFwd, Defer, CheckThread }

    /// <summary>The thread check while Run is on the Core thread's stack: its fast path (is the caller's
    /// stack pointer inside Run's frame window?) must still refuse every other thread</summary>
    [Theory]
    [InlineData(LiveOp.CallActor)]
    [InlineData(LiveOp.AnswerRet)]
    [InlineData(LiveOp.SendFwd)]
    [InlineData(LiveOp.Defer)]
    [InlineData(LiveOp.CheckThread)]
    public void UsedFromAnotherThread_WhileAHandlerRuns_ThrowsAndQueuesNothing(LiveOp op)
    {
        var w = new World();
        Core core = w.Core;
        var got = new List<Answer<int>>();
        var items = new List<int>();
        Ret<int> ret = ActorTestKit.Recorder(core, got);
        Fwd<int> fwd = Fwd.From<int>(core, items.Add);
        Exception? caught = null;
        bool ranInside = false;
        int noops = 0;

        // The handler blocks (test only) while another thread acts, so the Core is mid-Run.
        core.Defer(() =>
        {
            ranInside = true;
            caught = OnOtherThread(() =>
            {
                switch (op)
                {
                    case LiveOp.CallActor: Bystander.Queue(w.Bystander, "from elsewhere"); break;
                    case LiveOp.AnswerRet: ret.Answer(1); break;
                    case LiveOp.SendFwd: fwd.Send(1); break;
                    case LiveOp.Defer: core.Defer(() => noops++); break;
                    case LiveOp.CheckThread: core.CheckThread(); break;
                }
            });
        });
        core.RunNow();

        Assert.True(ranInside);
        Assert.Contains(WrongThreadRule, Assert.IsType<InvalidOperationException>(caught).Message);
        Assert.True(ret.IsPending);
        Assert.Empty(got);
        Assert.Empty(items);
        Assert.Equal(0, noops);
        w.AssertStillUsable();   // the bystander saw nothing from the other thread
    }

    [Fact]
    public void RetAndFwd_UsedFromAnotherThread_ThrowAndStayUsableOnTheirOwnThread()
    {
        var w = new World();
        var got = new List<Answer<int>>();
        var items = new List<int>();
        Ret<int> ret = ActorTestKit.Recorder(w.Core, got);
        Fwd<int> fwd = Fwd.From<int>(w.Core, items.Add);

        Exception? answer = OnOtherThread(() => ret.Answer(1));
        Exception? dispose = OnOtherThread(() => ret.Dispose());
        Exception? send = OnOtherThread(() => fwd.Send(1));
        Exception? end = OnOtherThread(() => fwd.End());

        Assert.All(new[] { answer, dispose, send, end }, e => Assert.Contains(WrongThreadRule, Assert.IsType<InvalidOperationException>(e).Message));
        Assert.True(ret.IsPending);
        Assert.Empty(got);
        Assert.False(fwd.IsEnded);
        Assert.Empty(items);

        ret.Answer(2);
        fwd.Send(3);
        Assert.Equal(2, Assert.Single(got).Value);
        Assert.Equal([3], items);
        w.AssertStillUsable();
    }

    [Fact]
    public void FwdToActor_SendFromAnotherThread_ThrowsAndNothingIsQueued()
    {
        var w = new World();
        Fwd<string> fwd = w.Bystander.Actor.Fwd<string>(static (a, cx, s) => a.Note(cx, s));

        Exception? ex = OnOtherThread(() => fwd.Send("from elsewhere"));

        Assert.Contains(WrongThreadRule, Assert.IsType<InvalidOperationException>(ex).Message);
        fwd.Send("from home");
        w.AssertStillUsable("from home");
    }

    // ---- Ret and Fwd rules ------------------------------------------------------------------

    [Fact]
    public void RetAnswer_Twice_ThrowsNamingTheRuleAndRuntimeStaysUsable()
    {
        var w = new World();
        var got = new List<Answer<int>>();
        Ret<int> ret = ActorTestKit.Recorder(w.Core, got);
        ret.Answer(1);

        var ex = Assert.Throws<InvalidOperationException>(() => ret.Answer(2));

        Assert.Contains("answered at most once", ex.Message);
        Assert.Equal(1, Assert.Single(got).Value);
        w.AssertStillUsable();
    }

    [Fact]
    public void RetAnswer_TwiceInsideAHandler_FailsThatActorOnly()
    {
        var w = new World();
        var got = new List<Answer<int>>();
        w.Rogue.Call(static (a, cx, r) => a.AnswerTwice(cx, r), ActorTestKit.Recorder(w.Core, got));
        Bystander.Queue(w.Bystander, "queued behind the rogue call");

        w.Core.RunNow();

        Assert.Equal(1, Assert.Single(got).Value);
        Assert.Contains("answered at most once", Assert.Single(w.RogueStops).Value.Error!.Message);
        w.AssertStillUsable("queued behind the rogue call");
    }

    [Fact]
    public void RetPassedToACall_AfterItWasAnswered_ThrowsAndQueuesNothing()
    {
        var w = new World();
        Ret<int> ret = Ret.From<int>(w.Core, static _ => { });
        ret.Answer(1);

        var ex = Assert.Throws<InvalidOperationException>(() => w.Rogue.Call(static (a, cx, r) => a.Keep(cx, r), ret));

        Assert.Contains("was already answered or disposed was passed to a call", ex.Message);
        w.Core.RunNow();
        Assert.True(w.Rogue.Actor.Query(static (a, cx) => a.Kept.IsNop));   // the call never ran
        w.AssertStillUsable();
    }

    [Fact]
    public void FwdSend_AfterEnd_ThrowsNamingTheRule()
    {
        var w = new World();
        Fwd<string> fwd = w.Bystander.Actor.Fwd<string>(static (a, cx, s) => a.Note(cx, s));
        fwd.Send("sent");
        fwd.End();

        var ex = Assert.Throws<InvalidOperationException>(() => fwd.Send("too late"));

        Assert.Contains("Fwd<String> was used after its stream ended", ex.Message);
        w.AssertStillUsable("sent");
    }

    // ---- actor handles ----------------------------------------------------------------------

    [Fact]
    public void Query_FromInsideAHandler_ThrowsNamingTheTargetAndFailsTheCaller()
    {
        var w = new World();
        w.Rogue.Call(static (a, cx, b) => a.QueryOther(cx, b), w.Bystander.Actor);
        Bystander.Queue(w.Bystander, "queued behind the rogue call");

        w.Core.RunNow();

        string msg = Assert.Single(w.RogueStops).Value.Error!.Message;
        Assert.Contains("Query on Bystander#" + w.Bystander.Actor.Id + " was called from inside a handler", msg);
        w.AssertStillUsable("queued behind the rogue call");
    }

    [Fact]
    public void Query_OnPrepActor_ThrowsNamingTheActorAndState()
    {
        var w = new World();
        using var prep = w.Core.Create<Rogue>(Ret.Nop<StopCause>());

        var ex = Assert.Throws<InvalidOperationException>(() => prep.Actor.Query(static (a, cx) => 0));

        Assert.Contains("Query on Rogue#" + prep.Actor.Id + " failed: the actor is Prep", ex.Message);
        w.AssertStillUsable();
    }

    [Fact]
    public void DefaultActor_AnyUse_ThrowsNamingTheRuleAndType()
    {
        var w = new World();
        Actor<Bystander> none = default;

        var errors = new List<Exception>
        {
            Assert.Throws<InvalidOperationException>(() => none.Call(static (a, cx) => { })),
            Assert.Throws<InvalidOperationException>(() => none.Call(static (a, cx, s) => a.Note(cx, s), "x")),
            Assert.Throws<InvalidOperationException>(() => none.Query(static (a, cx) => 0)),
            Assert.Throws<InvalidOperationException>(() => none.Init(static cx => new Bystander(cx))),
            Assert.Throws<InvalidOperationException>(() => none.State),
            Assert.Throws<InvalidOperationException>(() => none.Fwd<string>(static (a, cx, s) => a.Note(cx, s))),
            Assert.Throws<InvalidOperationException>(() => none.Ret<int>(static (a, cx, v) => { })),
        };

        Assert.All(errors, e => Assert.Contains("Actor<Bystander> is the default value and refers to no actor", e.Message));
        Assert.Equal("Actor<Bystander>(none)", none.ToString());
        w.AssertStillUsable();
    }

    [Fact]
    public void Owned_FromADisposedOwner_ThrowsObjectDisposedNamingTheActor()
    {
        var w = new World();
        var extra = w.Rogue.Owned();
        extra.Dispose();

        var ex = Assert.Throws<ObjectDisposedException>(() => extra.Owned());

        Assert.Contains("Rogue#" + w.Rogue.Actor.Id, ex.Message);
        Assert.Contains("This owner was disposed", ex.Message);
        w.AssertStillUsable();
        Assert.Equal(ActorState.Ready, w.Rogue.Actor.State);    // the remaining owner keeps it alive
    }

    [Fact]
    public void Call_WithNullHandler_ThrowsArgumentNullAndQueuesNothing()
    {
        var w = new World();

        Assert.Throws<ArgumentNullException>(() => w.Rogue.Call(null!));
        Assert.Throws<ArgumentNullException>(() => w.Rogue.Call<int>(null!, 1));

        w.AssertStillUsable();
        Assert.Empty(w.RogueStops);
    }

    // ---- disposed Core ----------------------------------------------------------------------

    [Fact]
    public void DisposedCore_RunOrSpawn_ThrowsObjectDisposedAndQueuedRetsGotNoValue()
    {
        var core = new Core(Instant.Zero);
        var got = new List<Answer<int>>();
        var rogue = core.Spawn<Rogue>(static cx => new Rogue(cx), Ret.Nop<StopCause>());
        rogue.Call(static (a, cx, r) => a.Keep(cx, r), ActorTestKit.Recorder(core, got));

        core.Dispose();
        core.Dispose();         // a second dispose is harmless

        Assert.False(Assert.Single(got).HasValue);
        var run = Assert.Throws<ObjectDisposedException>(() => core.RunNow());
        var spawn = Assert.Throws<ObjectDisposedException>(() => core.Spawn<Rogue>(static cx => new Rogue(cx), Ret.Nop<StopCause>()));
        Assert.Contains("The Core was disposed", run.Message);
        Assert.Contains("The Core was disposed", spawn.Message);
    }
}
