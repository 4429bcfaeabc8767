namespace Stakker.Tests.Async;

public class AskTests
{
    sealed class Store
    {
        public int Value = 41;
        public Ret<int> Parked;
        public Store(Cx<Store> cx) { }
        public void Get(Cx<Store> cx, Ret<int> ret) => ret.Answer(++Value);
        public void Park(Cx<Store> cx, Ret<int> ret) => Parked = ret;   // keeps it unanswered
        public void Add(Cx<Store> cx, int n, Ret<int> ret) => ret.Answer(Value += n);
    }

    static ActorOwn<Store> NewStore(Core core) => core.Spawn<Store>(static cx => new Store(cx), Ret.Nop<StopCause>());

    [Fact]
    public void Ask_OnCoreThread_ReturnsAnswer()
    {
        var core = new Core(Instant.Zero);
        using var s = NewStore(core);
        int? got = null;
        core.Defer(async () => got = await s.Actor.Ask<int>(static (a, cx, r) => a.Get(cx, r)));
        AsyncTestDriver.RunVirtual(core, () => got.HasValue);
        Assert.Equal(42, got);
    }

    [Fact]
    public void Ask_WithArgument_ReturnsAnswer()
    {
        var core = new Core(Instant.Zero);
        using var s = NewStore(core);
        int? got = null;
        core.Defer(async () => got = await s.Actor.Ask<int, int>(static (a, cx, n, r) => a.Add(cx, n, r), 9));
        AsyncTestDriver.RunVirtual(core, () => got.HasValue);
        Assert.Equal(50, got);
    }

    [Theory]
    [InlineData(ActorEndPolicy.Surface, typeof(ActorFail))]
    [InlineData(ActorEndPolicy.Drop, typeof(OperationCanceledException))]
    public void Ask_ActorEndsHoldingTheRet_AwaitThrowsPerPolicy(ActorEndPolicy policy, Type expected)
    {
        var core = new Core(Instant.Zero);
        var s = NewStore(core);
        Exception? error = null;
        bool resumed = false;
        core.Defer(async () =>
        {
            try { await s.Actor.Ask<int>(static (a, cx, r) => a.Park(cx, r), policy); resumed = true; }
            catch (Exception ex) { error = ex; }
        });
        core.Run(core.Now, false);
        Assert.Null(error);
        s.Kill("gone");
        core.Run(core.Now, false);
        Assert.False(resumed);
        Assert.IsType(expected, error);
    }

    [Fact]
    public void Ask_ActorAlreadyEnded_ThrowsActorFail()
    {
        var core = new Core(Instant.Zero);
        var s = NewStore(core);
        core.Run(core.Now, false);
        s.Kill("gone");
        Exception? error = null;
        core.Defer(async () =>
        {
            try { await s.Actor.Ask<int>(static (a, cx, r) => a.Get(cx, r)); }
            catch (Exception ex) { error = ex; }
        });
        core.Run(core.Now, false);
        Assert.IsType<ActorFail>(error);
    }

    [Fact]
    public void Ask_Cancelled_ThrowsOperationCanceledAndLateAnswerIsIgnored()
    {
        var core = new Core(Instant.Zero);
        using var s = NewStore(core);
        using var cts = new CancellationTokenSource();
        Exception? error = null;
        core.Defer(async () =>
        {
            try { await s.Actor.Ask<int>(static (a, cx, r) => a.Park(cx, r), cancellationToken: cts.Token); }
            catch (Exception ex) { error = ex; }
        });
        core.Run(core.Now, false);
        cts.Cancel();
        core.Run(core.Now, false);
        Assert.IsType<OperationCanceledException>(error, exactMatch: false);
        // The store still holds the Ret; answering it now goes nowhere, and does not throw.
        s.Call(static (a, cx) => a.Parked.Answer(1));
        core.Run(core.Now, false);
        Assert.Equal(ActorState.Ready, s.Actor.State);
    }

    sealed class Peer
    {
        public Actor<Peer> Other;
        public Peer(Cx<Peer> cx) { }

        // A asks B, B asks A back, A answers: the cycle that deadlocks a mailbox that waits for its await.
        public void Outer(Cx<Peer> cx, Ret<string> ret)
        {
            var other = Other;
            _ = cx.StartAsync(async co =>
            {
                string inner = await other.Ask<string>(static (b, cx, r) => b.Middle(cx, r));
                ret.Answer("outer(" + inner + ")");
            });
        }

        public void Middle(Cx<Peer> cx, Ret<string> ret)
        {
            var other = Other;
            _ = cx.StartAsync(async co =>
            {
                string inner = await other.Ask<string>(static (a, cx, r) => a.Inner(cx, r));
                ret.Answer("middle(" + inner + ")");
            });
        }

        public void Inner(Cx<Peer> cx, Ret<string> ret) => ret.Answer("inner");
    }

    [Fact]
    public void Ask_CycleAToBToA_CompletesWithoutDeadlock()
    {
        var core = new Core(Instant.Zero);
        using var a = core.Spawn<Peer>(static cx => new Peer(cx), Ret.Nop<StopCause>());
        using var b = core.Spawn<Peer>(static cx => new Peer(cx), Ret.Nop<StopCause>());
        a.Call(static (p, cx, o) => p.Other = o, b.Actor);
        b.Call(static (p, cx, o) => p.Other = o, a.Actor);
        string? result = null;
        core.Defer(async () => result = await a.Actor.Ask<string>(static (p, cx, r) => p.Outer(cx, r)));
        core.Run(core.Now, false);
        Assert.Equal("outer(middle(inner))", result);
    }

    [Fact]
    public void Ask_FromOtherThread_Completes()
    {
        var core = new Core(Instant.Zero);
        using var s = NewStore(core);
        core.Run(core.Now, false);
        var results = new System.Collections.Concurrent.ConcurrentBag<int>();
        var threads = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 250; i++) results.Add(await s.Actor.Ask<int>(static (a, cx, r) => a.Get(cx, r)));
        })).ToArray();
        AsyncTestDriver.RunWithWakes(core, () => threads.All(t => t.IsCompleted), TimeSpan.FromSeconds(60));
        Assert.All(threads, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(Enumerable.Range(42, 1000), results.OrderBy(x => x));
    }

    [Fact]
    public void Pull_NothingSentUntilAwaited()
    {
        var core = new Core(Instant.Zero);
        using var s = NewStore(core);
        core.Run(core.Now, false);
        PullTask<Store, int> pull = s.Actor.Pull<int>(static (a, cx, r) => a.Get(cx, r));
        core.Run(core.Now, false);
        Assert.Equal(41, s.Actor.Query(static (a, cx) => a.Value));   // not asked yet
        int? got = null;
        core.Defer(async () => got = await pull);
        core.Run(core.Now, false);
        Assert.Equal(42, got);
    }

    [Theory]
    [InlineData(ActorEndPolicy.Surface, typeof(ActorFail))]
    [InlineData(ActorEndPolicy.Drop, typeof(OperationCanceledException))]
    public void Pull_ActorDropsRequest_AwaitThrowsPerPolicy(ActorEndPolicy policy, Type expected)
    {
        var core = new Core(Instant.Zero);
        var s = NewStore(core);
        Exception? error = null;
        var pull = s.Actor.Pull<int>(static (a, cx, r) => r.Dispose(), policy);
        core.Defer(async () => { try { await pull; } catch (Exception ex) { error = ex; } });
        core.Run(core.Now, false);
        Assert.IsType(expected, error);
        s.Dispose();
    }

    [Theory]
    [InlineData(ActorEndPolicy.Surface, typeof(ActorFail))]
    [InlineData(ActorEndPolicy.Drop, typeof(OperationCanceledException))]
    public void RetToTask_PushPipe_AnswerCompletesAndNoValueThrowsPerPolicy(ActorEndPolicy policy, Type expected)
    {
        var core = new Core(Instant.Zero);
        var (task1, ret1) = Pipes.RetToTask<int>(core, policy);
        var (task2, ret2) = Pipes.RetToTask<int>(core, policy);
        int? got = null;
        Exception? error = null;
        core.Defer(async () => got = await task1);
        core.Defer(async () => { try { await task2; } catch (Exception ex) { error = ex; } });
        core.Run(core.Now, false);
        Assert.Null(got);
        ret1.Answer(0);
        ret2.Dispose();
        core.Run(core.Now, false);
        Assert.Equal(0, got);   // a zero answer is a value, not "no value"
        Assert.IsType(expected, error);
    }

    [Fact]
    public void SpawnTask_FromCore_ResultAnswersRet()
    {
        var core = new Core(Instant.Zero);
        var answers = new List<Answer<int>>();
        core.SpawnTask(async () => { await core.Delay(TimeSpan.FromSeconds(5)); return 7; }, Ret.From<int>(core, answers.Add));
        core.SpawnTask<int>(async () => { await core.Delay(TimeSpan.FromSeconds(1)); throw new InvalidOperationException(); }, Ret.From<int>(core, answers.Add));
        AsyncTestDriver.RunVirtual(core, () => answers.Count == 2);
        Assert.False(answers[0].HasValue);   // the faulted task, at 1 s
        Assert.Equal(7, answers[1].Value);
        Assert.Equal(Instant.Zero + TimeSpan.FromSeconds(5), core.Now);
    }

    sealed class Spawner
    {
        public readonly List<Answer<int>> Got = [];
        public Spawner(Cx<Spawner> cx) { }
        public void Go(Cx<Spawner> cx, ActorEndPolicy policy) =>
            cx.SpawnTask(async co => { await co.Delay(TimeSpan.FromSeconds(10)); return 99; },
                         cx.Ret<int>(static (a, cx, v) => a.Got.Add(v)), policy);
    }

    [Theory]
    [InlineData(ActorEndPolicy.Drop)]
    [InlineData(ActorEndPolicy.Surface)]
    public void SpawnTask_FromActor_ResultAnswersRet(ActorEndPolicy policy)
    {
        var core = new Core(Instant.Zero);
        using var s = core.Spawn<Spawner>(static cx => new Spawner(cx), Ret.Nop<StopCause>());
        s.Call(static (a, cx, p) => a.Go(cx, p), policy);
        AsyncTestDriver.RunVirtual(core, () => s.Actor.Query(static (a, cx) => a.Got.Count) == 1);
        Assert.Equal(99, s.Actor.Query(static (a, cx) => a.Got[0]).Value);
    }

    [Theory]
    [InlineData(ActorEndPolicy.Drop)]
    [InlineData(ActorEndPolicy.Surface)]
    public void SpawnTask_ActorEndsFirst_RetGetsNoValueExactlyOnce(ActorEndPolicy policy)
    {
        var core = new Core(Instant.Zero);
        var answers = new List<Answer<int>>();
        var s = core.Spawn<Spawner>(static cx => new Spawner(cx), Ret.Nop<StopCause>());
        s.Call(static (a, cx, core, answers, policy) => cx.SpawnTask(async co => { await co.Delay(TimeSpan.FromSeconds(10)); return 99; },
                                        Ret.From<int>(core, answers.Add), policy), core, answers, policy);
        core.Run(Instant.Zero + TimeSpan.FromSeconds(1), false);
        s.Kill("gone");
        AsyncTestDriver.RunVirtual(core, () => false, TimeSpan.FromSeconds(30));
        Assert.False(Assert.Single(answers).HasValue);
    }
}
