namespace Stakker.Testing;

/// <summary>A simulated run failed; the message names the seed that replays it and ends with the trace's tail</summary>
public sealed class SimulationFailedException : Exception
{
    internal SimulationFailedException(ulong seed, SimTrace trace, Exception inner)
        : base($"simulation failed with seed {seed} ({inner.GetType().Name}: {inner.Message}); replay: {Simulation.SeedVariable}={seed} or Simulation.Check({seed}UL, ...)\nlast events:\n{trace.Tail()}", inner)
    {
        Seed = seed;
        Trace = trace;
    }

    /// <summary>The seed that replays the failure</summary>
    public ulong Seed { get; }

    /// <summary>The failed run's trace</summary>
    public SimTrace Trace { get; }
}

/// <summary>Two runs from one seed produced different traces</summary>
public sealed class NondeterminismException : Exception
{
    internal NondeterminismException(ulong seed, SimTrace first, SimTrace second)
        : base(Describe(seed, first, second))
    {
        Seed = seed;
    }

    /// <summary>The seed run twice</summary>
    public ulong Seed { get; }

    static string Describe(ulong seed, SimTrace a, SimTrace b)
    {
        int n = Math.Min(a.Events.Count, b.Events.Count);
        for (int i = 0; i < n; i++)
            if (a.Events[i] != b.Events[i])
                return $"seed {seed}: runs differ at event {a.Events[i].Seq}:\n  first:  {a.Events[i]}\n  second: {b.Events[i]}";
        return $"seed {seed}: runs differ: {a.Count} events (digest {a.Digest:x16}) against {b.Count} (digest {b.Digest:x16})";
    }
}
