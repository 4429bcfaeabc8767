using BenchmarkDotNet.Attributes;

namespace Stakker.Benchmarks;

/// <summary>One-way calls from an actor on one thread to an actor on another: figures per call</summary>
/// <remarks>
/// Stakker: a CoreSet of two Cores; the sender sends runs of up to 64Ki calls (checking
/// <c>HasRoom</c>), handed over in batches at the end of each run. Akka.NET and Proto.Actor: an
/// actor sends to another on the default dispatcher, which runs them on pool threads. Each side
/// uses two threads' worth of work; the machine's other processes share them.
/// </remarks>
[MemoryDiagnoser]
[Case(20, "Cross-thread one-way (Stakker: two Cores)", "call")]
public class CrossCoreOneWay : PeerCase<StakkerSide.CrossCoreDriver, AkkaSide.OneWayDriver, ProtoSide.OneWayDriver>
{
    public const int Calls = 1_000_000;

    protected override StakkerSide.CrossCoreDriver NewStakker() => new();
    protected override AkkaSide.OneWayDriver NewAkka() => new();
    protected override ProtoSide.OneWayDriver NewProto() => new();

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public Task Stakker() => StakkerDriver.OneWay(Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public Task AkkaNet() => AkkaDriver.Run(Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public Task ProtoActor() => ProtoDriver.Run(Calls);
}

/// <summary>Request/response between actors on different threads, one request at a time: figures per request</summary>
/// <remarks>
/// Stakker: the asker on Core 0 calls the server on Core 1 with a <c>Ret&lt;int&gt;</c>; the answer
/// crosses back as a call. Akka.NET: Tell with Self as sender and a reply to Sender; Proto.Actor:
/// <c>context.Request</c> and <c>Respond</c> (both on pool threads). A latency figure: every request
/// waits for the previous answer, so each crosses twice and wakes a sleeping thread.
/// </remarks>
[MemoryDiagnoser]
[Case(21, "Cross-thread request/response (Stakker: Ret between two Cores)", "request", Reference = "two threads waking each other with SemaphoreSlim: the floor")]
public class CrossCoreRequestResponse : PeerCase<StakkerSide.CrossCoreDriver, AkkaSide.RequestResponseDriver, ProtoSide.RequestResponseDriver>
{
    public const int Requests = 2_000;

    protected override StakkerSide.CrossCoreDriver NewStakker() => new();
    protected override AkkaSide.RequestResponseDriver NewAkka() => new();
    protected override ProtoSide.RequestResponseDriver NewProto() => new();

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public Task Stakker() => StakkerDriver.RequestResponse(Requests);

    [Benchmark(OperationsPerInvoke = Requests)]
    public Task AkkaNet() => AkkaDriver.RunInActor(Requests);

    [Benchmark(OperationsPerInvoke = Requests)]
    public Task AkkaNetAsk() => AkkaDriver.RunAsk(Requests);

    [Benchmark(OperationsPerInvoke = Requests)]
    public Task ProtoActor() => ProtoDriver.RunInActor(Requests);

    [Benchmark(OperationsPerInvoke = Requests)]
    public Task ProtoActorRequestAsync() => ProtoDriver.RunRequestAsync(Requests);

    BclSide.ThreadPingPong _floor = null!;

    /// <summary>Two dedicated threads waking each other through SemaphoreSlim: the wake-ups alone</summary>
    [Benchmark(OperationsPerInvoke = Requests)]
    public void Bcl() => _floor.Run(Requests);

    [GlobalSetup(Target = nameof(Bcl))] public void SetupBcl() => _floor = new();
    [GlobalCleanup(Target = nameof(Bcl))] public void CleanupBcl() => _floor.Dispose();

    [GlobalSetup(Targets = [nameof(AkkaNetAsk)])] public void SetupAkkaAsk() => AkkaDriver = NewAkka();
    [GlobalCleanup(Targets = [nameof(AkkaNetAsk)])] public void CleanupAkkaAsk() => AkkaDriver.Dispose();
    [GlobalSetup(Targets = [nameof(ProtoActorRequestAsync)])] public void SetupProtoRequestAsync() => ProtoDriver = NewProto();
    [GlobalCleanup(Targets = [nameof(ProtoActorRequestAsync)])] public void CleanupProtoRequestAsync() => ProtoDriver.Dispose();
}

/// <summary>The ping-pong workload with one actor pair per Core, all Cores at once: figures per message, over all Cores</summary>
/// <remarks>Perfect scaling halves the time per message from one Core to two. On this 2-core machine
/// the second Core shares the processors with the benchmark's own thread and the OS.</remarks>
[MemoryDiagnoser]
public class CrossCoreScaling
{
    public const int RoundTrips = 200_000;

    StakkerSide.ScalingDriver _one = null!;
    StakkerSide.ScalingDriver _two = null!;

    [GlobalSetup(Target = nameof(OneCore))] public void SetupOne() => _one = new(1);
    [GlobalCleanup(Target = nameof(OneCore))] public void CleanupOne() => _one.Dispose();
    [GlobalSetup(Target = nameof(TwoCores))] public void SetupTwo() => _two = new(2);
    [GlobalCleanup(Target = nameof(TwoCores))] public void CleanupTwo() => _two.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * RoundTrips)]
    public Task OneCore() => _one.Run(RoundTrips);

    [Benchmark(OperationsPerInvoke = 2 * 2 * RoundTrips)]
    public Task TwoCores() => _two.Run(RoundTrips);
}
