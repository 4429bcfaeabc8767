using BenchmarkDotNet.Attributes;

namespace Stakker.Benchmarks;

/// <summary>Spawn an idle actor and stop it: figures per actor</summary>
/// <remarks>
/// Each invocation spawns <see cref="Actors"/> actors from outside the actors, stopping each right
/// after spawning it, and returns when all have ended. Stakker: <c>core.Spawn</c>, dispose the
/// <c>ActorOwn</c>, then one <c>core.Run</c>. Akka.NET: <c>system.ActorOf</c> + <c>system.Stop</c>,
/// done when every PostStop ran. Proto.Actor: <c>root.Spawn</c> + <c>root.Stop</c>, done when every
/// actor received <c>Stopped</c>. Bytes retained per live actor are measured separately
/// (<c>--footprint</c>, and in <c>--quick</c>).
/// </remarks>
[MemoryDiagnoser]
[Case(5, "SpawnStop", "actor", GoalNs = 250)]
public class SpawnStop : PeerCase<StakkerSide.SpawnStopDriver, AkkaSide.SpawnStopDriver, ProtoSide.SpawnStopDriver>
{
    public const int Actors = 1_000;

    protected override StakkerSide.SpawnStopDriver NewStakker() => new();
    protected override AkkaSide.SpawnStopDriver NewAkka() => new();
    protected override ProtoSide.SpawnStopDriver NewProto() => new();

    [Benchmark(Baseline = true, OperationsPerInvoke = Actors)]
    public void Stakker() => StakkerDriver.Run(Actors);

    [Benchmark(OperationsPerInvoke = Actors)]
    public Task AkkaNet() => AkkaDriver.Run(Actors);

    [Benchmark(OperationsPerInvoke = Actors)]
    public Task ProtoActor() => ProtoDriver.Run(Actors);
}
