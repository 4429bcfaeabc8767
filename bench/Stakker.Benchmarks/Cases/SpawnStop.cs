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
public class SpawnStop
{
    public const int Actors = 1_000;

    StakkerSide.SpawnStopDriver _stakker = null!;
    AkkaSide.SpawnStopDriver _akka = null!;
    ProtoSide.SpawnStopDriver _proto = null!;

    [GlobalSetup(Target = nameof(Stakker))] public void SetupStakker() => _stakker = new();
    [GlobalCleanup(Target = nameof(Stakker))] public void CleanupStakker() => _stakker.Dispose();
    [GlobalSetup(Target = nameof(AkkaNet))] public void SetupAkkaNet() => _akka = new();
    [GlobalCleanup(Target = nameof(AkkaNet))] public void CleanupAkkaNet() => _akka.Dispose();
    [GlobalSetup(Target = nameof(ProtoActor))] public void SetupProtoActor() => _proto = new();
    [GlobalCleanup(Target = nameof(ProtoActor))] public void CleanupProtoActor() => _proto.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Actors)]
    public void Stakker() => _stakker.Run(Actors);

    [Benchmark(OperationsPerInvoke = Actors)]
    public Task AkkaNet() => _akka.Run(Actors);

    [Benchmark(OperationsPerInvoke = Actors)]
    public Task ProtoActor() => _proto.Run(Actors);
}
