using BenchmarkDotNet.Attributes;

namespace Stakker.Benchmarks;

/// <summary>Set one timer and fire it, with <see cref="Pending"/> timers pending far in the future; figures per timer</summary>
/// <remarks>
/// Stakker only: its Core runs on virtual time, so "fire" is <c>core.At(now + 1 tick)</c> followed
/// by <c>core.Run(now + 1 tick)</c>. Neither peer's scheduler can be advanced by hand with the
/// packages used here (see docs/benchmarks.md); their set + cancel is measured in <see cref="TimerSetCancel"/>.
/// </remarks>
[MemoryDiagnoser]
[Case(10, "Timer set+fire, 1M pending (virtual time)", "timer", GoalNs = 150)]
[NotApplicable("AkkaNet", "real-time HashedWheelTimer (10 ms ticks); no virtual clock without Akka.TestKit's TestScheduler")]
[NotApplicable("ProtoActor", "Task.Delay per timer; virtual time only through a test TimeProvider, which would be measured instead")]
public class TimerSetFire : StakkerCase<StakkerSide.TimerDriver>
{
    public const int Pending = 1_000_000;
    public const int Ops = 1_000;

    protected override StakkerSide.TimerDriver NewStakker() => new(Pending);

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops)]
    public void Stakker() => StakkerDriver.SetFire(Ops);
}

/// <summary>Set one timer a minute ahead and cancel it, with <see cref="Pending"/> timers pending a day away; figures per timer</summary>
/// <remarks>
/// Stakker: <c>core.At</c> + <c>core.TimerDel</c>. Akka.NET: <c>Scheduler.ScheduleTellOnceCancelable</c>
/// + <c>ICancelable.Cancel</c> on the default HashedWheelTimerScheduler. Proto.Actor:
/// <c>Scheduler.SendOnce</c> + <c>CancellationTokenSource.Cancel</c>. The peers finish part of
/// the work on their own threads (the wheel's tick thread, the thread pool).
/// </remarks>
[MemoryDiagnoser]
[Case(11, "Timer set+cancel, 1M pending", "timer")]
public class TimerSetCancel : PeerCase<StakkerSide.TimerDriver, AkkaSide.TimerDriver, ProtoSide.TimerDriver>
{
    public const int Pending = 1_000_000;
    public const int Ops = 1_000;

    protected override StakkerSide.TimerDriver NewStakker() => new(Pending);
    protected override AkkaSide.TimerDriver NewAkka() => new(Pending);
    protected override ProtoSide.TimerDriver NewProto() => new(Pending);

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops)]
    public void Stakker() => StakkerDriver.SetCancel(Ops);

    [Benchmark(OperationsPerInvoke = Ops)]
    public void AkkaNet() => AkkaDriver.SetCancel(Ops);

    [Benchmark(OperationsPerInvoke = Ops)]
    public void ProtoActor() => ProtoDriver.SetCancel(Ops);
}
