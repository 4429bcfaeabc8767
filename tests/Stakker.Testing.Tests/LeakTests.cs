using System.Diagnostics;

namespace Stakker.Testing.Tests;

/// <summary>Alone in its collection: it measures the process's memory and threads</summary>
[CollectionDefinition(nameof(LeakTests), DisableParallelization = true)]
public class LeakCollection;

/// <summary>Millions of short-lived things on one simulated Core: after teardown and a quiet trim
/// interval, memory is back to its baseline and no thread is left behind. CI runs a tenth of the
/// volume the issue names; STAKKER_LONG=1 runs all of it.</summary>
[Collection(nameof(LeakTests))]
public class LeakTests
{
    static readonly int Scale = ModelTests.Long ? 10 : 1;
    const int Batch = 10_000;
    // A short trace: its tail is full from the warm-up on, so it weighs the same at baseline and after.
    static readonly SimulationOptions Quiet = new() { TraceCapacity = 1_000 };

    sealed class Cell
    {
        public readonly byte[] Payload = new byte[32];
        public Cell(Cx<Cell> cx) { }
        public void Sleep(Cx<Cell> cx, int n)
        {
            for (int i = 0; i < n; i++)
                _ = cx.StartAsync(static async co => await co.Delay(TimeSpan.FromHours(1)));
        }
    }

    static long Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Runs <paramref name="batch"/> <paramref name="batches"/> times, once first as warm-up,
    /// and checks memory and threads against the state after the warm-up</summary>
    static void BackToBaseline(Simulation sim, int batches, Action batch, long toleranceBytes = 2_000_000)
    {
        batch();
        sim.RunFor(TimeSpan.FromSeconds(3));   // two trims: queues and pools back to their resting size
        long baseline = Settle();
        int threads = Process.GetCurrentProcess().Threads.Count;
        for (int i = 0; i < batches; i++)
        {
            batch();
            sim.RunUntil(sim.Now);
        }
        sim.RunFor(TimeSpan.FromSeconds(3));
        long after = Settle();
        Assert.True(after - baseline < toleranceBytes, $"kept {after - baseline:N0} bytes more than the baseline {baseline:N0}");
        Assert.True(Process.GetCurrentProcess().Threads.Count <= threads + 4, "threads were left behind");
    }

    [Fact]
    public void ActorsCreatedAndEnded_MemoryBackToBaseline()
    {
        using var sim = new Simulation(1, Quiet);
        Core core = sim.Core;
        long ended = 0;
        var owns = new ActorOwn<Cell>[Batch];
        var notify = Ret.Nop<StopCause>();
        core.ActorEnded += _ => ended++;
        BackToBaseline(sim, 100 * Scale, () =>
        {
            for (int i = 0; i < Batch; i++) owns[i] = core.Spawn<Cell>(static cx => new Cell(cx), notify);
            sim.RunUntil(sim.Now);
            for (int i = 0; i < Batch; i++) { owns[i].Dispose(); owns[i] = null!; }
            sim.RunUntil(sim.Now);
        });
        Assert.Equal((100L * Scale + 1) * Batch, ended);
    }

    [Fact]
    public void RetsDropped_MemoryBackToBaseline()
    {
        using var sim = new Simulation(2, Quiet);
        Core core = sim.Core;
        long none = 0;
        using var cell = core.Spawn<Cell>(static cx => new Cell(cx), Ret.Shutdown(core));
        sim.RunUntil(sim.Now);
        BackToBaseline(sim, 100 * Scale, () =>
        {
            for (int i = 0; i < Batch; i++)
            {
                // Half dropped by their holder, half by reaching an actor's end-point as "no value".
                Ret<int> r = (i & 1) == 0
                    ? Ret.From<int>(core, a => { if (!a.HasValue) none++; })
                    : cell.Actor.Ret<int>(static (a, cx, ans) => { });
                r.Dispose();
            }
        });
        Assert.Equal((100L * Scale + 1) * Batch / 2, none);
    }

    [Fact]
    public void TimersSetAndCancelled_MemoryBackToBaseline()
    {
        using var sim = new Simulation(3, Quiet);
        Core core = sim.Core;
        var keys = new FixedTimerKey[Batch];
        int fired = 0;
        BackToBaseline(sim, 10 * Scale, () =>
        {
            for (int i = 0; i < Batch; i++) keys[i] = core.After(TimeSpan.FromSeconds(1 + i % 100), () => fired++);
            for (int i = 0; i < Batch; i++) Assert.True(core.TimerDel(keys[i]));
        });
        Assert.Equal(0, fired);
        Assert.Equal(0, core.TimerCount);
    }

    [Fact]
    public void CoroutinesStartedAndCancelled_MemoryBackToBaseline()
    {
        using var sim = new Simulation(4, Quiet);
        Core core = sim.Core;
        BackToBaseline(sim, 10 * Scale, () =>
        {
            var own = core.Spawn<Cell>(static cx => new Cell(cx), Ret.Nop<StopCause>());
            own.Call(static (a, cx, n) => a.Sleep(cx, n), Batch);
            sim.RunUntil(sim.Now);
            own.Kill("cancel its coroutines");   // each pending delay is told, each coroutine dropped
            own.Dispose();
            sim.RunUntil(sim.Now);
        });
    }
}
