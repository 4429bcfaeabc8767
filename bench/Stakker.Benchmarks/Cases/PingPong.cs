using BenchmarkDotNet.Attributes;

namespace Stakker.Benchmarks;

/// <summary>Two actors, one message in flight, <see cref="RoundTrips"/> round trips per invocation; figures per message</summary>
/// <remarks>
/// Each framework gets its own setup (targeted GlobalSetup), so a peer's threads never run while
/// another framework is measured. Stakker drives its Core to completion on the benchmark thread;
/// Akka.NET and Proto.Actor run on their default dispatchers and complete a TaskCompletionSource
/// after the last round trip.
/// </remarks>
[MemoryDiagnoser]
[Case(1, "PingPong", "message", GoalNs = 15)]
public class PingPong
{
    public const int RoundTrips = 10_000;

    StakkerSide.PingPongDriver _stakker = null!;
    AkkaSide.PingPongDriver _akka = null!;
    ProtoSide.PingPongDriver _proto = null!;

    [GlobalSetup(Target = nameof(Stakker))] public void SetupStakker() => _stakker = new();
    [GlobalCleanup(Target = nameof(Stakker))] public void CleanupStakker() => _stakker.Dispose();
    [GlobalSetup(Target = nameof(AkkaNet))] public void SetupAkkaNet() => _akka = new();
    [GlobalCleanup(Target = nameof(AkkaNet))] public void CleanupAkkaNet() => _akka.Dispose();
    [GlobalSetup(Target = nameof(ProtoActor))] public void SetupProtoActor() => _proto = new();
    [GlobalCleanup(Target = nameof(ProtoActor))] public void CleanupProtoActor() => _proto.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * RoundTrips)]
    public void Stakker() => _stakker.Run(RoundTrips);

    [Benchmark(OperationsPerInvoke = 2 * RoundTrips)]
    public Task AkkaNet() => _akka.Run(RoundTrips);

    [Benchmark(OperationsPerInvoke = 2 * RoundTrips)]
    public Task ProtoActor() => _proto.Run(RoundTrips);
}
