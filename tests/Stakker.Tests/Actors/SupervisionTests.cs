namespace Stakker.Tests.Actors;

public class SupervisionTests
{
    sealed class Worker
    {
        public readonly int Generation;
        public int Total;
        public Worker(Cx<Worker> cx, int generation) { Generation = generation; }

        public void Work(Cx<Worker> cx, int n)
        {
            if (n < 0) throw new InvalidOperationException("bad input " + n);
            Total += n;
        }
        public void Stop(Cx<Worker> cx) => cx.Stop();
        public void FailWith(Cx<Worker> cx, string msg) => cx.Fail(msg);
        public void FailError(Cx<Worker> cx, Exception e) => cx.Fail(e);
        public void Get(Cx<Worker> cx, Ret<int> ret) => ret.Answer(Total);
    }

    /// <summary>Restarts its worker whenever it ends, up to a limit; past the limit it fails with the worker's cause</summary>
    sealed class Supervisor : IDisposable
    {
        readonly int _maxRestarts;
        ActorOwn<Worker> _worker;
        int _generation = 1;
        public int Restarts;
        public readonly List<StopCause> WorkerEnds = [];
        public readonly List<int> GenerationsStarted = [];

        public Supervisor(Cx<Supervisor> cx, int maxRestarts)
        {
            _maxRestarts = maxRestarts;
            _worker = StartWorker(cx);
        }

        ActorOwn<Worker> StartWorker(Cx<Supervisor> cx)
        {
            GenerationsStarted.Add(_generation);
            return cx.Spawn<Worker, int>(static (cx, g) => new Worker(cx, g), _generation,
                cx.Ret<int, StopCause>(_generation, static (a, cx, g, c) => a.WorkerEnded(cx, g, c)));
        }

        void WorkerEnded(Cx<Supervisor> cx, int generation, Answer<StopCause> cause)
        {
            StopCause c = cause.GetValueOrDefault(StopCause.Dropped);
            WorkerEnds.Add(c);
            if (generation != _generation) return;          // an old worker: already replaced
            if (Restarts == _maxRestarts)
            {
                cx.Fail(c);                                 // give up: pass the worker's failure upward
                return;
            }
            Restarts++;
            _generation++;
            _worker.Dispose();
            _worker = StartWorker(cx);
        }

        public void Send(Cx<Supervisor> cx, int n) => _worker.Call(static (w, cx, x) => w.Work(cx, x), n);
        public void Ask(Cx<Supervisor> cx, Ret<int> ret) => _worker.Call(static (w, cx, r) => w.Get(cx, r), ret);
        public Actor<Worker> Worker => _worker.Actor;
        public void Dispose() => _worker.Dispose();
    }

    public enum Pass { FailThrough, FailAlways, FailWithCause }

    public enum ChildEnd { Stop, Fail, Throw, Kill, Drop }

    /// <summary>A parent that wires its one child's notify in one of the failing-upward ways</summary>
    sealed class Parent : IDisposable
    {
        public ActorOwn<Worker>? Child;
        public readonly List<string> Log = [];

        public Parent(Cx<Parent> cx, Pass pass)
        {
            Ret<StopCause> notify = pass switch
            {
                Pass.FailThrough => cx.RetFailThrough(),
                Pass.FailAlways => cx.RetFail("child is essential"),
                _ => cx.RetSome<StopCause>(static (a, cx, c) => { a.Log.Add("passing up " + c.Kind); cx.Fail(c); }),
            };
            Child = cx.Spawn<Worker, int>(static (cx, g) => new Worker(cx, g), 1, notify);
        }

        public void EndChild(Cx<Parent> cx, ChildEnd how)
        {
            switch (how)
            {
                case ChildEnd.Stop: Child!.Call(static (w, cx) => w.Stop(cx)); break;
                case ChildEnd.Fail: Child!.Call(static (w, cx, m) => w.FailWith(cx, m), "child failed"); break;
                case ChildEnd.Throw: Child!.Call(static (w, cx, n) => w.Work(cx, n), -1); break;
                case ChildEnd.Kill: Child!.Kill("child killed"); break;
                case ChildEnd.Drop: Child!.Dispose(); Child = null; break;
            }
        }

        public void FailChildWith(Cx<Parent> cx, Exception e) => Child!.Call(static (w, cx, x) => w.FailError(cx, x), e);
        public void Note(Cx<Parent> cx, string s) => Log.Add(s);
        public void Dispose() => Child?.Dispose();
    }

    static int WorkerTotal(Actor<Supervisor> s) => s.Query(static (a, cx) => a.Worker).Query(static (w, cx) => w.Total);
    static int WorkerGeneration(Actor<Supervisor> s) => s.Query(static (a, cx) => a.Worker).Query(static (w, cx) => w.Generation);
    static void Send(Actor<Supervisor> s, int n) => s.Call(static (a, cx, x) => a.Send(cx, x), n);

    [Fact]
    public void Supervisor_WorkerFailsRepeatedly_RestartsItWithFreshStateEachTime()
    {
        var core = new Core(Instant.Zero);
        using var sup = core.Spawn<Supervisor, int>(static (cx, m) => new Supervisor(cx, m), 5, Ret.Shutdown(core));
        core.RunNow();

        for (int round = 1; round <= 4; round++)
        {
            Send(sup, 10 * round);
            Send(sup, round);
            core.RunNow();
            Assert.Equal(round, WorkerGeneration(sup));
            Assert.Equal(11 * round, WorkerTotal(sup));      // the old worker's total did not survive

            Send(sup, -round);                               // the worker throws
            Send(sup, 1000);                                 // queued behind the failure: dropped with the dead worker
            core.RunNow();
            Assert.Equal(round + 1, WorkerGeneration(sup));
            Assert.Equal(0, WorkerTotal(sup));
        }

        var (restarts, ends, generations) = sup.Actor.Query(static (a, cx) => (a.Restarts, a.WorkerEnds.ToList(), a.GenerationsStarted.ToList()));
        Assert.Equal(4, restarts);
        Assert.Equal([1, 2, 3, 4, 5], generations);
        Assert.Equal(4, ends.Count);
        Assert.All(ends, e => Assert.Equal(StopKind.Failed, e.Kind));
        Assert.Equal(["bad input -1", "bad input -2", "bad input -3", "bad input -4"], ends.Select(e => e.Error!.Message));
        Assert.False(core.IsShutdown);
    }

    [Fact]
    public void Supervisor_RequestToFailedWorker_AnswersNoValueAndTheNextWorkerAnswersNormally()
    {
        var core = new Core(Instant.Zero);
        var answers = new List<Answer<int>>();
        using var sup = core.Spawn<Supervisor, int>(static (cx, m) => new Supervisor(cx, m), 3, Ret.Shutdown(core));
        core.RunNow();

        Send(sup, -1);
        sup.Call(static (a, cx, r) => a.Ask(cx, r), ActorTestKit.Recorder(core, answers));   // reaches the dying worker
        core.RunNow();
        Send(sup, 7);
        sup.Call(static (a, cx, r) => a.Ask(cx, r), ActorTestKit.Recorder(core, answers));   // reaches its replacement
        core.RunNow();

        Assert.Equal(2, answers.Count);
        Assert.False(answers[0].HasValue);
        Assert.Equal(7, answers[1].Value);
    }

    [Fact]
    public void Supervisor_PastItsRestartLimit_FailsUpwardWithTheWorkersErrorToShutdown()
    {
        var core = new Core(Instant.Zero);
        var sup = core.Spawn<Supervisor, int>(static (cx, m) => new Supervisor(cx, m), 3, Ret.Shutdown(core));
        core.RunNow();

        for (int i = 1; i <= 3; i++)
        {
            Send(sup, -i);
            core.RunNow();
            Assert.False(core.IsShutdown);
            Assert.Equal(i + 1, WorkerGeneration(sup));
        }
        Actor<Worker> lastWorker = sup.Actor.Query(static (a, cx) => a.Worker);
        Send(sup, -4);
        core.RunNow();

        Assert.True(core.IsShutdown);
        StopCause cause = core.ShutdownCause!;
        Assert.Equal(StopKind.Failed, cause.Kind);
        Assert.Equal("bad input -4", cause.Error!.Message);
        Assert.True(sup.Actor.IsZombie);
        Assert.True(lastWorker.IsZombie);
        sup.Dispose();
    }

    static (ActorOwn<Parent> Parent, List<Answer<StopCause>> Stops) SpawnParent(Core core, Pass pass, Ret<StopCause>? notify = null)
    {
        var stops = new List<Answer<StopCause>>();
        var parent = core.Spawn<Parent, Pass>(static (cx, p) => new Parent(cx, p), pass, notify ?? ActorTestKit.Notify(core, stops));
        core.RunNow();
        return (parent, stops);
    }

    [Fact]
    public void RetFailThrough_ChildFails_ParentFailsWithTheChildsErrorUpToShutdown()
    {
        var core = new Core(Instant.Zero);
        var (parent, _) = SpawnParent(core, Pass.FailThrough, Ret.Shutdown(core));
        Actor<Worker> child = parent.Actor.Query(static (p, cx) => p.Child!.Actor);

        parent.Call(static (p, cx, h) => p.EndChild(cx, h), ChildEnd.Throw);
        core.RunNow();

        Assert.True(child.IsZombie);
        Assert.True(parent.Actor.IsZombie);
        StopCause cause = core.ShutdownCause!;
        Assert.Equal(StopKind.Failed, cause.Kind);
        Assert.IsType<InvalidOperationException>(cause.Error);
        Assert.Equal("bad input -1", cause.Error!.Message);
        parent.Dispose();
    }

    [Theory]
    [InlineData(ChildEnd.Stop)]
    [InlineData(ChildEnd.Kill)]
    [InlineData(ChildEnd.Drop)]
    public void RetFailThrough_ChildStoppedKilledOrDropped_ParentCarriesOn(ChildEnd how)
    {
        var core = new Core(Instant.Zero);
        var (parent, _) = SpawnParent(core, Pass.FailThrough, Ret.Shutdown(core));

        parent.Call(static (p, cx, h) => p.EndChild(cx, h), how);
        core.RunNow();
        parent.Call(static (p, cx, s) => p.Note(cx, s), "still alive");
        core.RunNow();

        Assert.False(core.IsShutdown);
        Assert.Equal(["still alive"], parent.Actor.Query(static (p, cx) => p.Log.ToList()));

        parent.Dispose();
        core.RunNow();
        Assert.Same(StopCause.Dropped, core.ShutdownCause);
    }

    [Fact]
    public void RetFailThrough_ChildFailsWithAnError_ParentFailsWithTheSameExceptionObject()
    {
        var core = new Core(Instant.Zero);
        var (parent, stops) = SpawnParent(core, Pass.FailThrough);
        Actor<Worker> child = parent.Actor.Query(static (p, cx) => p.Child!.Actor);
        var error = new TimeoutException("upstream timed out");

        parent.Call(static (p, cx, e) => p.FailChildWith(cx, e), (Exception)error);
        core.RunNow();

        StopCause parentCause = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Failed, parentCause.Kind);
        Assert.Same(error, parentCause.Error);
        Assert.True(child.IsZombie);
        parent.Dispose();
    }

    [Theory]
    [InlineData(ChildEnd.Stop, "Actor stopped")]
    [InlineData(ChildEnd.Fail, "Actor failed: child failed")]
    [InlineData(ChildEnd.Throw, "Actor failed: bad input -1")]
    [InlineData(ChildEnd.Kill, "Actor was killed: child killed")]
    [InlineData(ChildEnd.Drop, "Actor was dropped")]
    public void RetFail_AnyChildEnding_ParentFailsWithTheMessageAndTheCause(ChildEnd how, string childCause)
    {
        var core = new Core(Instant.Zero);
        var (parent, _) = SpawnParent(core, Pass.FailAlways, Ret.Shutdown(core));

        parent.Call(static (p, cx, h) => p.EndChild(cx, h), how);
        core.RunNow();

        Assert.True(parent.Actor.IsZombie);
        StopCause cause = core.ShutdownCause!;
        Assert.Equal(StopKind.Failed, cause.Kind);
        Assert.Equal("child is essential: " + childCause, cause.Error!.Message);
        parent.Dispose();
    }

    [Fact]
    public void RetFail_AbandonedUnanswered_FailsTheParentWithTheMessage()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        using var parent = core.Spawn<Parent, Pass>(static (cx, p) => new Parent(cx, p), Pass.FailThrough, ActorTestKit.Notify(core, stops));
        core.RunNow();

        // A RetFail that is dropped without an answer ("no value") also fails its actor.
        parent.Actor.Query(static (p, cx) => { cx.RetFail("lost the notify").Dispose(); return 0; });
        core.RunNow();

        StopCause cause = Assert.Single(stops).Value;
        Assert.Equal("lost the notify", cause.Error!.Message);
    }

    [Theory]
    [InlineData(ChildEnd.Stop, StopKind.Stopped)]
    [InlineData(ChildEnd.Throw, StopKind.Failed)]
    [InlineData(ChildEnd.Kill, StopKind.Failed)]
    [InlineData(ChildEnd.Drop, StopKind.Failed)]
    public void CxFailWithChildCause_PassesTheChildsEndingUpToShutdown(ChildEnd how, StopKind expected)
    {
        var core = new Core(Instant.Zero);
        var (parent, _) = SpawnParent(core, Pass.FailWithCause, Ret.Shutdown(core));

        parent.Call(static (p, cx, h) => p.EndChild(cx, h), how);
        core.RunNow();

        Assert.True(parent.Actor.IsZombie);
        Assert.Equal(expected, core.ShutdownCause!.Kind);
        parent.Dispose();
    }

    [Fact]
    public void RetShutdown_TopLevelActorStops_CoreShutdownWithStopped()
    {
        var core = new Core(Instant.Zero);
        using var w = core.Spawn<Worker, int>(static (cx, g) => new Worker(cx, g), 1, Ret.Shutdown(core));
        core.RunNow();
        Assert.False(core.IsShutdown);
        Assert.Null(core.ShutdownCause);

        w.Call(static (a, cx) => a.Stop(cx));
        core.RunNow();

        Assert.True(core.IsShutdown);
        Assert.Same(StopCause.Stopped, core.ShutdownCause);
    }

    [Fact]
    public void RetShutdown_DisposedUnanswered_CoreShutdownWithDropped()
    {
        var core = new Core(Instant.Zero);
        Ret<StopCause> shutdown = Ret.Shutdown(core);

        shutdown.Dispose();

        Assert.Same(StopCause.Dropped, core.ShutdownCause);
    }
}
