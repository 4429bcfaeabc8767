using BenchmarkDotNet.Attributes;

namespace Stakker.Benchmarks;

/// <summary>100,000 spawns queued before one Run, against the same spawns with a Run every 1,000: figures per actor</summary>
/// <remarks>
/// Akka.NET and Proto.Actor users spawn in bursts like this, so the burst is the figure they compare
/// (<see cref="SpawnStop"/> has the peers). Each invocation uses a new Core, keeps every actor alive
/// until all are spawned, then drops them all and runs once more, so both methods also pay for the
/// same endings. Goal (decision 012): the burst costs at most 1.5× the interleaved spawns per actor.
/// </remarks>
[MemoryDiagnoser]
public class SpawnBurst
{
    public const int Actors = 100_000;

    readonly ActorOwn<StakkerSide.Idle>[] _owners = new ActorOwn<StakkerSide.Idle>[Actors];

    [Benchmark(Baseline = true, OperationsPerInvoke = Actors)]
    public void Interleaved() => Spawn(runEvery: 1_000);

    [Benchmark(OperationsPerInvoke = Actors)]
    public void Burst() => Spawn(runEvery: int.MaxValue);

    void Spawn(int runEvery)
    {
        using var core = new Core(Instant.Zero);
        for (int i = 0; i < _owners.Length; i++)
        {
            _owners[i] = core.Spawn<StakkerSide.Idle>(static cx => new StakkerSide.Idle(), Ret.Nop<StopCause>());
            if ((i + 1) % runEvery == 0) core.Run(core.Now, idle: false);
        }
        core.Run(core.Now, idle: false);
        foreach (var o in _owners) o.Dispose();
        core.Run(core.Now, idle: false);
    }
}
