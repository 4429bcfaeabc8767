using System.Threading.Channels;

namespace Stakker.Docs.Tests.Async;

/// <summary>docs/async.md, run</summary>
public class AsyncTests
{
    /// <summary>Runs the Core until <paramref name="done"/>, waiting for wakes from other threads in between</summary>
    static void RunUntil(Core core, Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        core.Run(core.Now, idle: false);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            core.WaitForWake(TimeSpan.FromMilliseconds(100));
            core.Run(core.Now, idle: false);
        }
    }

    [Fact]
    public void SpawnTaskFromAnActorAnswersItsRet()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, "hello");
        try
        {
            var core = new Core(Instant.Zero);
            using var doc = core.Spawn<Document>(static cx => new Document(), Ret.Shutdown(core));
            doc.Call(static (d, cx, p) => d.Load(cx, p), path);
            RunUntil(core, () => doc.Actor.Query(static (d, cx) => d.Text) is not null);
            Assert.Equal("hello", doc.Actor.Query(static (d, cx) => d.Text));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void SpawnTaskOutsideActorsAnswersOnTheCoresClock()
    {
        var core = new Core(Instant.Zero);
        (int Value, Instant At)? got = null;
        Ret<int> ret = Ret.From<int>(core, a => got = (a.Value, core.Now));
        #region doc:async-spawn-task-outside
        core.SpawnTask(async () => { await core.Delay(TimeSpan.FromSeconds(5)); return 7; }, ret);
        #endregion
        core.RunUntil(Instant.Zero + TimeSpan.FromSeconds(10));
        Assert.Equal((7, Instant.Zero + TimeSpan.FromSeconds(5)), got);
    }

    static async Task<int> PushPipe(bool answers)
    {
        var core = new Core(Instant.Zero);
        using var worker = core.Spawn<Worker, bool>(static (cx, a) => new Worker(a), answers, Ret.Shutdown(core));
        Task<int> run = core.RunAsync(async () =>
        {
            #region doc:async-push-pipe
            var (task, ret) = Pipes.RetToTask<int>(core);
            worker.Call(static (w, cx, r) => w.Compute(cx, r), ret);
            int result = await task;            // ActorFail if the worker drops the Ret (Surface)
            #endregion
            return result;
        });
        core.Run(core.Now, idle: false);
        return await run;
    }

    [Fact]
    public async Task APushPipeGivesTheAnswerOrActorFail()
    {
        Assert.Equal(42, await PushPipe(answers: true));
        await Assert.ThrowsAsync<ActorFail>(() => PushPipe(answers: false));
    }

    [Fact]
    public async Task APullIsSentOnlyWhenAwaited()
    {
        var core = new Core(Instant.Zero);
        using var own = core.Spawn<Store>(static cx => new Store(), Ret.Shutdown(core));
        Actor<Store> store = own.Actor;
        Task<int> run = core.RunAsync(async () =>
        {
            #region doc:async-pull
            PullTask<Store, int> first = store.Pull<int>(static (s, cx, r) => s.Next(cx, r));
            PullTask<Store, int> second = store.Pull<int>(static (s, cx, r) => s.Next(cx, r));   // never awaited: never sent
            int v = await first;                                                               // 1
            #endregion
            return v;
        });
        core.RunUntil(Instant.Zero + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await run);
        Assert.Equal(1, store.Query(static (s, cx) => s.Asked));
    }

    [Fact]
    public async Task AskReturnsTheAnswer()
    {
        var core = new Core(Instant.Zero);
        using var own = core.Spawn<Account>(static cx => new Account(), Ret.Shutdown(core));
        Actor<Account> account = own.Actor;
        CancellationToken ct = CancellationToken.None;
        Task<(int, int)> run = core.RunAsync(async () =>
        {
            #region doc:async-ask
            int balance = await account.Ask<int>(static (a, cx, r) => a.Balance(cx, r));
            int after   = await account.Ask<int, int>(static (a, cx, n, r) => a.Deposit(cx, n, r), 100, cancellationToken: ct);
            #endregion
            return (balance, after);
        });
        core.Run(core.Now, idle: false);
        Assert.Equal((50, 150), await run);
    }

    [Fact]
    public void AStreamsItemsAndItsEndArriveAsCalls()
    {
        var core = new Core(Instant.Zero);
        var feed = Channel.CreateUnbounded<Quote>();
        using var board = core.Spawn<QuoteBoard>(static cx => new QuoteBoard(), Ret.Shutdown(core));
        board.Call(static (b, cx, f) => b.Subscribe(cx, f), feed.Reader);
        feed.Writer.TryWrite(new Quote("ACME", 10m));
        feed.Writer.TryWrite(new Quote("ACME", 11m));
        feed.Writer.Complete();
        RunUntil(core, () => board.Actor.Query(static (b, cx) => b.Ended) is not null);
        Assert.Equal([10m, 11m], board.Actor.Query(static (b, cx) => b.Quotes.Select(q => q.Price).ToList()));
        Assert.Equal("normal", board.Actor.Query(static (b, cx) => b.Ended));
    }

    [Fact]
    public async Task APushStreamIsReadWithAwaitForeach()
    {
        var core = new Core(Instant.Zero);
        using var own = core.Spawn<RowProducer>(static cx => new RowProducer(), Ret.Shutdown(core));
        Actor<RowProducer> producer = own.Actor;
        var rows = new List<int>();
        void Process(Row row) => rows.Add(row.Number);
        Task run = core.RunAsync(async () =>
        {
            #region doc:async-push-stream
            var more = producer.Fwd<Unit>(static (p, cx, _) => p.SendBatch(cx), static (p, cx, _) => p.ConsumerGone(cx));
            var (stream, sink) = Streams.FwdToStream<Row>(core, more, capacity: 64);
            producer.Call(static (p, cx, s) => p.Attach(cx, s), sink);
            await foreach (Row row in stream) Process(row);
            #endregion
        });
        for (int i = 0; i < 100 && !run.IsCompleted; i++) core.Run(core.Now, idle: false);
        await run;
        Assert.Equal(Enumerable.Range(1, 25), rows);
        Assert.True(producer.Query(static (p, cx) => p.Requests) >= 3);   // asked for more, batch by batch
    }

    [Fact]
    public void ACoroutineAwaitsWithoutHoldingItsActor()
    {
        var core = new Core(Instant.Zero);
        using var cache = core.Spawn<Cache, FakeHttp>(static (cx, h) => new Cache(h), new FakeHttp(core), Ret.Shutdown(core));
        cache.Call(static (c, cx) => c.Refresh(cx));
        core.RunUntil(Instant.Zero + TimeSpan.FromMinutes(12));
        Assert.Equal(3, cache.Actor.Query(static (c, cx) => c.Applied));   // at 0:00.1, 5:00.2, 10:00.3
    }
}
