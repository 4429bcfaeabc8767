using Stakker.Testing;

namespace Stakker.Testing.Tests;

// The two-Core example of docs/testing.md: Stakker.Docs.Tests checks that the page shows these regions.

#region doc:testing-two-cores-actors
/// <summary>Keeps a running total; lives on the second Core</summary>
sealed class Tally
{
    long _total;

    public void Add(Cx<Tally> cx, int n, Ret<long> ret)
    {
        _total += n;
        ret.Answer(_total);
    }
}

/// <summary>On the first Core: sends numbers to the Tally across Cores and keeps each running total</summary>
sealed class Adder
{
    public List<long> Totals { get; } = [];

    public void Send(Cx<Adder> cx, CrossCoreActor<Tally> tally, int count)
    {
        for (int n = 1; n <= count; n++)
            tally.Call(static (t, cx, n, r) => t.Add(cx, n, r), n,
                cx.Ret<long>(static (a, cx, total) => a.Totals.Add(total.Value)));
    }
}
#endregion

public class TwoCoreExample
{
    #region doc:testing-two-cores-test
    static void Program(Simulation sim)
    {
        Core second = sim.AddCore();
        using var tally = second.Spawn<Tally>(static cx => new Tally(), Ret.Shutdown(second));
        CrossCoreActor<Tally> remote = tally.Actor.CrossCore();
        using var adder = sim.Core.Spawn<Adder>(static cx => new Adder(), Ret.Shutdown(sim.Core));
        // Three bursts of ten calls, at times the seed chooses; each batch crosses after a seeded latency.
        for (int burst = 0; burst < 3; burst++)
            sim.Schedule(() => adder.Call(static (a, cx, t) => a.Send(cx, t, 10), remote), "burst");
        Assert.True(sim.RunUntilQuiet(TimeSpan.FromSeconds(1)));
        // Every Ret answered once, and the Tally saw one sender's calls in the order sent.
        long[] expected = [.. Enumerable.Range(0, 30).Select(i => RunningTotal(i))];
        Assert.Equal(expected, adder.Actor.Query(static (a, cx) => a.Totals.ToArray()));
    }

    static long RunningTotal(int i) => (i / 10) * 55L + (i % 10 + 1) * (i % 10 + 2) / 2;

    [Fact]
    public void EveryAnswerComesBack_InOrder_WhateverTheSeed() => Simulation.Explore(200, Program);

    [Fact]
    public void ARunOfTwoCoresRepeatsExactlyFromItsSeed() => Simulation.CheckDeterministic(42, Program);
    #endregion

    [Fact]
    public void TheBatchesReallyCrossThroughTheSimulation()
    {
        long batches = 0;
        var arrivals = new HashSet<string>();
        Simulation.Explore(20, sim =>
        {
            Program(sim);
            batches += sim.CrossCoreBatches;
            foreach (var e in sim.Trace.OfKind(TraceKind.Arrival)) arrivals.Add(e.Text);
        });
        // Calls go c0>c1 and answers c1>c0: bursts run in separate runs unless they arrive together.
        Assert.True(batches >= 20 * 2, $"only {batches} batches in 20 seeds");
        Assert.Contains(arrivals, a => a.StartsWith("batch c0>c1", StringComparison.Ordinal));
        Assert.Contains(arrivals, a => a.StartsWith("batch c1>c0", StringComparison.Ordinal));
        // Different seeds, different runs.
        Assert.NotEqual(Simulation.Check(1, Program).Digest, Simulation.Check(2, Program).Digest);
    }
}
