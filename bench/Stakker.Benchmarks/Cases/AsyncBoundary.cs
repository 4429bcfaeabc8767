using BenchmarkDotNet.Attributes;

namespace Stakker.Benchmarks;

/// <summary><c>await actor.Ask&lt;int&gt;(...)</c> round trips from async code: figures per request (an ask, its answer, the resumed await)</summary>
/// <remarks>
/// Stakker: one async loop started on the Core (inside <c>Core.Run</c>, under the Core's
/// SynchronizationContext) awaits <c>server.Ask&lt;int&gt;(static (s, cx, r) => s.Get(cx, r))</c> N times;
/// each answer completes a pooled ValueTask whose continuation is queued back on the Core, so one
/// <c>Run</c> runs the whole loop. Akka.NET: <c>Ask&lt;int&gt;</c> awaited in a loop. Proto.Actor:
/// <c>RequestAsync&lt;int&gt;</c> awaited in a loop. All three check that the answers are consecutive.
/// </remarks>
[MemoryDiagnoser]
[Case(6, "AskAwait (await Ask on the Core; peers await Ask/RequestAsync)", "request", GoalNs = 100)]
public class AskAwait : PeerCase<StakkerSide.AskAwaitDriver, AkkaSide.RequestResponseDriver, ProtoSide.RequestResponseDriver>
{
    public const int StakkerRequests = 10_000;
    public const int PeerRequests = 1_000;

    protected override StakkerSide.AskAwaitDriver NewStakker() => new();
    protected override AkkaSide.RequestResponseDriver NewAkka() => new();
    protected override ProtoSide.RequestResponseDriver NewProto() => new();

    [Benchmark(Baseline = true, OperationsPerInvoke = StakkerRequests)]
    public void Stakker() => StakkerDriver.Run(StakkerRequests);

    [Benchmark(OperationsPerInvoke = PeerRequests)]
    public Task AkkaNet() => AkkaDriver.RunAskChecked(PeerRequests);

    [Benchmark(OperationsPerInvoke = PeerRequests)]
    public Task ProtoActor() => ProtoDriver.RunRequestAsyncChecked(PeerRequests);
}

/// <summary>A Ret-backed ValueTask made, answered and awaited on the Core: figures per await</summary>
/// <remarks>
/// Stakker: in an async loop on the Core, <c>var (task, ret) = Pipes.RetToTask&lt;int&gt;(core);
/// ret.Answer(i); sum += await task;</c>, checking the sum. The answer is in before the await, so the
/// await completes at once: this is the cost of the pipe (rent, answer, result, recycle), not of a
/// queued continuation (that is in <see cref="AskAwait"/>). The peers have no such thing; the BCL
/// reference is a <c>TaskCompletionSource&lt;int&gt;</c> set then awaited on a thread-pool thread.
/// </remarks>
[MemoryDiagnoser]
[Case(7, "RetTaskAwait (Ret-backed ValueTask, answered then awaited)", "await", GoalNs = 60,
    Reference = "TaskCompletionSource<int> SetResult + await, on the thread pool")]
[NotApplicable("AkkaNet", "no Ret/promise handed to actors outside Ask; its Ask is measured in AskAwait")]
[NotApplicable("ProtoActor", "no Ret/promise handed to actors outside RequestAsync; measured in AskAwait")]
public class RetTaskAwait : StakkerCase<StakkerSide.RetTaskAwaitDriver>
{
    public const int Awaits = 10_000;

    protected override StakkerSide.RetTaskAwaitDriver NewStakker() => new();

    [Benchmark(Baseline = true, OperationsPerInvoke = Awaits)]
    public void Stakker() => StakkerDriver.Run(Awaits);

    /// <summary>BCL reference point, not an actor framework</summary>
    [Benchmark(OperationsPerInvoke = Awaits)]
    public Task Bcl() => BclSide.TcsAwait.Run(Awaits);
}

/// <summary>An IAsyncEnumerable&lt;int&gt; of 1,000,000 ints through a push pipe: figures per item</summary>
/// <remarks>
/// Stakker: <c>Streams.FwdToStream&lt;int&gt;(core, more, capacity: 256)</c>; a producer actor sends the
/// next <see cref="Batch"/> ints into the sink each time <c>more</c> is told (and ends the sink after
/// the last); async code on the Core reads it with <c>await foreach</c>, checking every item, the sum
/// and the number of "more" signals. The BCL reference is a bounded
/// <c>System.Threading.Channels</c> channel of the same capacity with one producer task and one consumer.
/// </remarks>
[MemoryDiagnoser]
[Case(8, "PushStream (1M ints, await foreach, batches of 256)", "item", GoalNs = 30,
    Reference = "bounded Channel<int> (capacity 256), one producer task, one await foreach consumer")]
[NotApplicable("AkkaNet", "Akka.Streams is a separate package (not referenced); core Akka has no IAsyncEnumerable source")]
[NotApplicable("ProtoActor", "no push-stream / IAsyncEnumerable mapping in Proto.Actor")]
public class PushStream : StakkerCase<StakkerSide.PushStreamDriver>
{
    public const int Items = 1_000_000;
    public const int Batch = 256;

    protected override StakkerSide.PushStreamDriver NewStakker() => new(Batch);

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    public void Stakker() => StakkerDriver.Run(Items);

    /// <summary>BCL reference point, not an actor framework</summary>
    [Benchmark(OperationsPerInvoke = Items)]
    public Task Bcl() => BclSide.ChannelStream.Run(Items, Batch);
}
