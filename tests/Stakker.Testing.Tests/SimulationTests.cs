using Stakker.Testing;

namespace Stakker.Testing.Tests;

public class SimulationTests
{
    static List<string> ArrivalOrder(ulong seed)
    {
        var order = new List<string>();
        Simulation.Check(seed, sim =>
        {
            for (int i = 0; i < 5; i++)
            {
                string name = "e" + i;
                sim.Schedule(TimeSpan.FromMilliseconds(1), () => order.Add(name), name);
            }
            sim.RunFor(TimeSpan.FromSeconds(1));
        });
        return order;
    }

    [Fact]
    public void ArrivalsAtOneInstant_ComeInAnOrderTheSeedChooses()
    {
        var orders = Enumerable.Range(1, 20).Select(s => string.Join(",", ArrivalOrder((ulong)s))).ToHashSet();
        Assert.True(orders.Count > 5, $"only {orders.Count} distinct orders in 20 seeds");
        Assert.Equal(ArrivalOrder(7), ArrivalOrder(7));
    }

    [Fact]
    public void AProgramSteeredByUnseededRandomness_IsReportedNondeterministic()
    {
        var outside = new Random();
        var e = Assert.Throws<NondeterminismException>(() => Simulation.CheckDeterministic(3, sim =>
        {
            for (int i = 0; i < 10; i++) sim.Schedule(TimeSpan.FromTicks(outside.Next(1, 1_000_000)), () => { }, "e" + i);
            sim.RunFor(TimeSpan.FromSeconds(1));
        }));
        Assert.Equal(3UL, e.Seed);
    }

    [Fact]
    public void AFailure_NamesItsSeed_AndTheSeedReplaysIt()
    {
        // Fails only for seeds whose first fault draw fires.
        static void Program(Simulation sim)
        {
            sim.Faults.SetRate("x", 0.5);
            sim.Core.Defer(() => sim.Faults.ThrowMaybe("x"));
            sim.RunFor(TimeSpan.FromSeconds(1));
        }
        var e = Assert.Throws<SimulationFailedException>(() => Simulation.Explore(64, Program));
        Assert.IsType<InjectedFaultException>(e.InnerException);
        Assert.Contains($"STAKKER_SIM_SEED={e.Seed}", e.Message);
        Assert.Throws<SimulationFailedException>(() => Simulation.Check(e.Seed, Program));
        Assert.Single(Assert.Throws<SimulationFailedException>(() => Simulation.Check(e.Seed, Program)).Trace.OfKind(TraceKind.Fault));
    }

    sealed class Ticker
    {
        public readonly List<(long At, string What)> Log = new();
        public Ticker(Cx<Ticker> cx)
        {
            cx.After(TimeSpan.FromSeconds(3), static (a, cx) => a.Log.Add((cx.Now.Ticks, "3s")));
            cx.After(TimeSpan.FromSeconds(1), static (a, cx) => a.Log.Add((cx.Now.Ticks, "1s")));
        }
    }

    [Fact]
    public void TimersFireAtTheirOwnInstant_OnVirtualTime_AndTheStopIsTraced()
    {
        using var sim = new Simulation(1);
        var t = sim.Core.Spawn<Ticker>(static cx => new Ticker(cx), Ret.Shutdown(sim.Core));
        sim.RunFor(TimeSpan.FromSeconds(10));
        Assert.Equal([(TimeSpan.FromSeconds(1).Ticks, "1s"), (TimeSpan.FromSeconds(3).Ticks, "3s")], t.Actor.Query(static (a, cx) => a.Log));
        Assert.Equal(new Instant(TimeSpan.FromSeconds(10).Ticks), sim.Now);
        t.Dispose();
        sim.RunFor(TimeSpan.FromSeconds(1));
        var stop = Assert.Single(sim.Trace.OfKind(TraceKind.Stop));
        Assert.Contains("Dropped", stop.Text);
        Assert.True(sim.Core.IsShutdown);
    }

    sealed class Fetcher
    {
        public readonly List<string> Got = new();
        public Fetcher(Cx<Fetcher> cx) { }
        public void Fetch(Cx<Fetcher> cx, Simulation sim, string what) =>
            _ = cx.StartAsync(async co =>
            {
                try { co.State.Got.Add(await sim.Completion(() => what, "io " + what)); }
                catch (InjectedFaultException) { co.State.Got.Add("failed " + what); }
            });
    }

    [Fact]
    public void AsyncCompletions_ResumeCoroutinesOnTheCore_InASeededOrder_WithInjectedFailures()
    {
        var seen = new HashSet<string>();
        int failures = 0;
        Simulation.Explore(40, sim =>
        {
            using var f = sim.Core.Spawn<Fetcher>(static cx => new Fetcher(cx), Ret.Shutdown(sim.Core));
            foreach (var w in new[] { "a", "b", "c" }) f.Call(static (a, cx, s, w) => a.Fetch(cx, s, w), sim, w);
            sim.RunFor(TimeSpan.FromSeconds(1));
            var got = f.Actor.Query(static (a, cx) => a.Got);
            Assert.Equal(3, got.Count);
            failures += got.Count(g => g.StartsWith("failed", StringComparison.Ordinal));
            seen.Add(string.Join(",", got));
        }, new SimulationOptions { CompletionFaultRate = 0.1 });
        Assert.True(seen.Count >= 6, $"only {seen.Count} distinct completion orders");
        Assert.True(failures > 0);
    }

    [Fact]
    public void SeveralCores_ShareOneVirtualClock()
    {
        using var sim = new Simulation(5);
        Core second = sim.AddCore();
        var fired = new List<(int Core, long At)>();
        sim.Core.After(TimeSpan.FromSeconds(2), () => fired.Add((0, sim.Core.Now.Ticks)));
        second.After(TimeSpan.FromSeconds(1), () => fired.Add((1, second.Now.Ticks)));
        sim.Schedule(TimeSpan.FromSeconds(3), () => fired.Add((1, second.Now.Ticks)), core: second);
        sim.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal([(1, TimeSpan.FromSeconds(1).Ticks), (0, TimeSpan.FromSeconds(2).Ticks), (1, TimeSpan.FromSeconds(3).Ticks)], fired);
        Assert.Equal(sim.Now, second.Now);
    }
}

public class TraceTests
{
    [Fact]
    public void APastCapacityTrace_KeepsItsTail_CountsAll_AndDigestsAll()
    {
        using var a = new Simulation(1, new SimulationOptions { TraceCapacity = 3 });
        using var b = new Simulation(1, new SimulationOptions { TraceCapacity = 0 });
        for (int i = 0; i < 5; i++) { a.Record("e" + i); b.Record("e" + i); }
        Assert.Equal(["e2", "e3", "e4"], a.Trace.Events.Select(e => e.Text));
        Assert.Equal([2, 3, 4], a.Trace.Events.Select(e => e.Seq));
        Assert.Equal(5, a.Trace.Count);
        Assert.Equal(5, b.Trace.Events.Count);
        Assert.Equal(b.Trace.Digest, a.Trace.Digest);
        b.Record("e5");
        Assert.NotEqual(b.Trace.Digest, a.Trace.Digest);
    }
}
