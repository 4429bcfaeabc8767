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
public class PingPong : PeerCase<StakkerSide.PingPongDriver, AkkaSide.PingPongDriver, ProtoSide.PingPongDriver>
{
    public const int RoundTrips = 10_000;

    protected override StakkerSide.PingPongDriver NewStakker() => new();
    protected override AkkaSide.PingPongDriver NewAkka() => new();
    protected override ProtoSide.PingPongDriver NewProto() => new();

    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * RoundTrips)]
    public void Stakker() => StakkerDriver.Run(RoundTrips);

    [Benchmark(OperationsPerInvoke = 2 * RoundTrips)]
    public Task AkkaNet() => AkkaDriver.Run(RoundTrips);

    [Benchmark(OperationsPerInvoke = 2 * RoundTrips)]
    public Task ProtoActor() => ProtoDriver.Run(RoundTrips);
}
