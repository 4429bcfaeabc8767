namespace Stakker.Tests.Actors;

/// <summary>Ending actors at any depth, and faults inside an ending staying that actor's own</summary>
public class TeardownTests
{
    /// <summary>Runs <paramref name="body"/> on a thread with a 1 MB stack (the usual default), and rethrows what it threw</summary>
    static void OnOneMegabyteStack(Action body)
    {
        Exception? error = null;
        var t = new Thread(() =>
        {
            try { body(); }
            catch (Exception ex) { error = ex; }
        }, maxStackSize: 1024 * 1024);
        t.Start();
        Assert.True(t.Join(TimeSpan.FromMinutes(2)), "the test body did not finish");
        if (error is not null) throw new Xunit.Sdk.XunitException("the body threw: " + error);
    }

    /// <summary>One link of an ownership chain: owns the next link and disposes it with itself</summary>
    sealed class Link(ActorOwn<Link>? next) : IDisposable
    {
        public void Dispose() => next?.Dispose();
    }

    [Fact]
    public void OwnershipChain_100000Deep_EndsOnAOneMegabyteStack_DeepestFirst()
    {
        OnOneMegabyteStack(() =>
        {
            const int depth = 100_000;
            var core = new Core(Instant.Zero);
            var ended = new List<long>(depth);
            Ret<StopCause> Notify(int i) => Ret.From<StopCause>(core, c =>
            {
                Assert.Equal(StopKind.Dropped, c.Value.Kind);
                ended.Add(i);
            });
            ActorOwn<Link>? next = null;
            for (int i = depth - 1; i >= 0; i--)
                next = core.Spawn<Link, ActorOwn<Link>?>(static (cx, n) => new Link(n), next, Notify(i));
            ActorOwn<Link> root = next!;
            core.Run(core.Now, false);

            root.Dispose();
            core.Run(core.Now, false);

            Assert.Equal(depth, ended.Count);
            // Each owner hears of its actor only after the whole chain below it has ended.
            for (int i = 0; i < depth; i++) Assert.Equal(depth - 1 - i, ended[i]);
            Assert.True(root.Actor.IsZombie);
        });
    }

    [Fact]
    public void KillOfTheChainsRoot_FromOutsideRun_EndsTheWholeChainBeforeKillReturns()
    {
        OnOneMegabyteStack(() =>
        {
            const int depth = 20_000;
            var core = new Core(Instant.Zero);
            int ended = 0;
            var notify = Ret.From<StopCause>(core, _ => ended++);
            ActorOwn<Link>? next = null;
            for (int i = 0; i < depth; i++)
                next = core.Spawn<Link, ActorOwn<Link>?>(static (cx, n) => new Link(n), next, i == 0 ? notify : Ret.Nop<StopCause>());
            core.Run(core.Now, false);

            next!.Kill("cut");

            Assert.Equal(1, ended);   // the deepest link, made first, carries the counting notify
        });
    }

    [Fact]
    public void RetFromChain_100000Long_EachAnsweredOnceOnAOneMegabyteStack()
    {
        OnOneMegabyteStack(() =>
        {
            const int length = 100_000;
            var core = new Core(Instant.Zero);
            var rets = new Ret<int>[length];
            var got = new int[length];
            var values = new int[length];
            for (int i = length - 1; i >= 0; i--)
            {
                int k = i;
                rets[k] = Ret.From<int>(core, a =>
                {
                    got[k]++;
                    values[k] = a.Value;
                    if (k + 1 < length) rets[k + 1].Answer(a.Value + 1);   // answered from inside the callback
                });
            }

            rets[0].Answer(0);                 // outside Run: nests up to the limit, then queues the rest
            Assert.True(got[Core.MaxCallbackNesting - 1] == 1 && got[Core.MaxCallbackNesting] == 0);
            core.Run(core.Now, false);

            for (int i = 0; i < length; i++)
            {
                Assert.Equal(1, got[i]);
                Assert.Equal(i, values[i]);
            }
        });
    }

    [Fact]
    public void FwdFromChain_DeepSends_KeepOrderAndLoseNothing()
    {
        OnOneMegabyteStack(() =>
        {
            var core = new Core(Instant.Zero);
            var seen = new List<int>();
            Fwd<int>? self = null;
            // Each even item sends the next from inside its callback; the last one ends the stream.
            self = Fwd.From<int>(core, x =>
            {
                seen.Add(x);
                if (x % 2 != 0) return;
                if (x < 50_000) self!.Send(x + 2);
                else self!.End();
            }, end => seen.Add(-1));
            self.Send(0);
            self.Send(1);          // sent after 0's chain was cut at the nesting limit: comes after what was queued
            core.Run(core.Now, false);

            var evens = Enumerable.Range(0, 25_001).Select(i => 2 * i).ToList();
            Assert.Equal(evens.Take(Core.MaxCallbackNesting), seen.Take(Core.MaxCallbackNesting));
            Assert.Equal(25_001 + 2, seen.Count);
            Assert.Equal(evens, seen.Where(x => x >= 0 && x % 2 == 0));
            Assert.True(seen.IndexOf(1) > Core.MaxCallbackNesting);
            Assert.Equal(-1, seen[^1]);
        });
    }

    /// <summary>A parent that owns three children and disposes their owners in turn, as the docs recommend</summary>
    sealed class Parent : IDisposable
    {
        readonly List<string> _log;
        public readonly List<ActorOwn<Child>> Children = [];

        public Parent(Cx<Parent> cx, List<string> log, int throwingChild)
        {
            _log = log;
            for (int i = 1; i <= 3; i++)
            {
                string name = "C" + i;
                Children.Add(cx.Spawn<Child, List<string>, (int, bool)>(static (cx, l, a) => new Child(l, a.Item1, a.Item2), log, (i, i == throwingChild),
                    Ret.From<StopCause>(cx.Core, c => log.Add(name + " told " + c.Value.Kind))));
            }
        }

        public void Dispose()
        {
            foreach (var c in Children) c.Dispose();   // must not throw, whatever a child does
            _log.Add("P disposed its children");
        }
    }

    sealed class Child(List<string> log, int n, bool throws) : IDisposable
    {
        public int N => n;

        public void Dispose()
        {
            log.Add("C" + n + " disposing");
            if (throws) throw new InvalidOperationException("child " + n + " broke");
        }
    }

    [Fact]
    public void ChildDisposeThrows_SiblingsStillEnd_ParentDisposeCompletes_EachOwnerHearsOnce()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var ends = new List<ActorEnd>();
        core.ActorEnded += ends.Add;
        var parentStops = new List<Answer<StopCause>>();
        var parent = core.Spawn<Parent, List<string>, int>(static (cx, l, t) => new Parent(cx, l, t), log, 2, ActorTestKit.Notify(core, parentStops));
        using var bystander = Bystander.Spawn(core);
        core.RunNow();
        var children = parent.Actor.Query(static (a, cx) => a.Children.Select(c => c.Actor).ToList());

        parent.Call(static (a, cx) => cx.Stop());
        Bystander.Queue(bystander, "after");
        core.RunNow();   // nothing escapes Run

        Assert.All(children, c => Assert.True(c.IsZombie));
        Assert.Equal(["P disposed its children", "C1 disposing", "C2 disposing", "C3 disposing"],
            log.Where(s => s.Contains("dispos", StringComparison.Ordinal)));
        Assert.Equal(StopKind.Stopped, Assert.Single(parentStops).Value.Kind);
        Assert.Null(parentStops[0].Value.TeardownError);
        Assert.Equal(["after"], Bystander.SeenBy(bystander));

        // Each child ended once; the broken one's fault is in its own cause only.
        var childEnds = ends.Where(e => e.StateType == typeof(Child)).ToList();
        Assert.Equal(3, childEnds.Count);
        Assert.Equal([children[0].Id, children[1].Id, children[2].Id], childEnds.Select(e => e.ActorId));
        Assert.Equal(StopKind.Dropped, childEnds[0].Cause.Kind);
        Assert.Equal(StopKind.Failed, childEnds[1].Cause.Kind);
        Assert.Equal("child 2 broke", childEnds[1].Cause.TeardownError!.InnerException!.Message);
        Assert.Same(childEnds[1].Cause.TeardownError, childEnds[1].Cause.Error);
        Assert.Equal(StopKind.Dropped, childEnds[2].Cause.Kind);
        Assert.Contains("Child#" + children[1].Id, childEnds[1].Cause.TeardownError!.Message);
        Assert.Equal(["C1 told Dropped", "C2 told Failed", "C3 told Dropped"], log.Where(s => s.Contains(" told ", StringComparison.Ordinal)));
    }

    [Fact]
    public void DisposeThrowsAfterAFailure_TheFailureIsKept_TheTeardownFaultIsAdded()
    {
        var core = new Core(Instant.Zero);
        var stops = new List<Answer<StopCause>>();
        var child = core.Spawn<Child, List<string>, (int, bool)>(static (cx, l, a) => new Child(l, a.Item1, a.Item2), [], (1, true), ActorTestKit.Notify(core, stops));
        core.RunNow();

        child.Call(static (a, cx) => throw new FormatException("handler broke"));
        core.RunNow();

        StopCause cause = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Failed, cause.Kind);
        Assert.IsType<FormatException>(cause.Error);
        Assert.Equal("child 1 broke", cause.TeardownError!.InnerException!.Message);
    }

    [Fact]
    public void NotifyCallbackThrows_ReportedToObservers_NotThrownOutOfRun()
    {
        var core = new Core(Instant.Zero);
        var ends = new List<ActorEnd>();
        core.ActorEnded += ends.Add;
        core.ActorEnded += _ => throw new InvalidOperationException("an observer's own fault is ignored");
        var a = core.Spawn<Child, List<string>, (int, bool)>(static (cx, l, a) => new Child(l, a.Item1, a.Item2), [], (1, false),
            Ret.From<StopCause>(core, _ => throw new InvalidOperationException("notify broke")));
        using var bystander = Bystander.Spawn(core);
        core.RunNow();

        a.Kill("end");   // outside a handler: ends now
        Bystander.Queue(bystander, "still served");
        core.RunNow();

        ActorEnd end = Assert.Single(ends, e => e.StateType == typeof(Child));
        Assert.Equal(StopKind.Killed, end.Cause.Kind);
        Assert.Equal("notify broke", end.NotifyError!.Message);
        Assert.Equal(["still served"], Bystander.SeenBy(bystander));
    }

    [Fact]
    public async Task UnderCoreThread_AThrowingDispose_DoesNotStopTheCore()
    {
        ActorOwn<Child>? bad = null;
        ActorOwn<Bystander>? other = null;
        var teardownErrors = new List<string>();
        using var thread = new CoreThread(core =>
        {
            core.ActorEnded += e => { if (e.Cause.TeardownError is { } t) teardownErrors.Add(t.InnerException!.Message); };
            bad = core.Spawn<Child, List<string>, (int, bool)>(static (cx, l, a) => new Child(l, a.Item1, a.Item2), [], (7, true), Ret.Nop<StopCause>());
            other = Bystander.Spawn(core);
        });
        await thread.Started.WaitAsync(TimeSpan.FromSeconds(10));

        await thread.InvokeAsync(_ => { bad!.Call(static (a, cx) => cx.Stop()); return 0; }).WaitAsync(TimeSpan.FromSeconds(10));
        await thread.InvokeAsync(_ =>
        {
            Bystander.Queue(other!, "served after the fault");
            return 0;
        }).WaitAsync(TimeSpan.FromSeconds(10));
        var after = await thread.InvokeAsync(_ => Bystander.SeenBy(other!)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["served after the fault"], after);
        Assert.False(thread.Completion.IsCompleted);
        Assert.Equal(["child 7 broke"], await thread.InvokeAsync(_ => teardownErrors.ToList()).WaitAsync(TimeSpan.FromSeconds(10)));
        thread.Stop();
        Assert.Equal(StopKind.Stopped, (await thread.Completion.WaitAsync(TimeSpan.FromSeconds(10))).Kind);
    }

    [Fact]
    public void AnEndingStartedByAnOwnersNotifyCallback_FinishesBeforeTheFirstEndingReturns()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        ActorOwn<Child>? second = null;
        second = core.Spawn<Child, List<string>, (int, bool)>(static (cx, l, a) => new Child(l, a.Item1, a.Item2), log, (2, false),
            Ret.From<StopCause>(core, c => log.Add("2 told " + c.Value.Kind)));
        var first = core.Spawn<Child, List<string>, (int, bool)>(static (cx, l, a) => new Child(l, a.Item1, a.Item2), log, (1, false),
            Ret.From<StopCause>(core, c =>
            {
                log.Add("1 told " + c.Value.Kind);
                second!.Kill("the first one ended");   // a plain callback ending another actor during an ending
            }));
        core.RunQueued();

        first.Kill("end");

        Assert.Equal(["C1 disposing", "1 told Killed", "C2 disposing", "2 told Killed"], log);
        Assert.True(second.Actor.IsZombie);
    }
}
