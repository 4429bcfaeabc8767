namespace Stakker.Testing;

public sealed partial class Simulation
{
    /// <summary>Environment variable that, when set to a seed, makes <see cref="Explore"/> run only that
    /// seed: the way to replay a failure reported by a test run</summary>
    public const string SeedVariable = "STAKKER_SIM_SEED";

    /// <summary>Runs <paramref name="program"/> once on a new simulation from <paramref name="seed"/></summary>
    /// <returns>the run's trace</returns>
    /// <exception cref="SimulationFailedException">the program threw; the seed and the trace's tail are in it</exception>
    public static SimTrace Check(ulong seed, Action<Simulation> program, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        using var sim = new Simulation(seed, options);
        try { program(sim); }
        catch (Exception e) when (e is not SimulationFailedException)
        {
            throw new SimulationFailedException(seed, sim.Trace, e);
        }
        return sim.Trace;
    }

    /// <summary>Runs <paramref name="program"/> twice from <paramref name="seed"/> and compares the traces</summary>
    /// <returns>the first run's trace</returns>
    /// <exception cref="NondeterminismException">the runs differ: something outside the simulation
    /// (a real thread, wall time, unseeded randomness, hash order) steered the program</exception>
    /// <exception cref="SimulationFailedException">a run threw</exception>
    public static SimTrace CheckDeterministic(ulong seed, Action<Simulation> program, SimulationOptions? options = null)
    {
        SimTrace first = Check(seed, program, options);
        SimTrace second = Check(seed, program, options);
        if (first.Count != second.Count || first.Digest != second.Digest)
            throw new NondeterminismException(seed, first, second);
        return first;
    }

    /// <summary>Runs <paramref name="program"/> from <paramref name="runs"/> seeds, starting at
    /// <paramref name="firstSeed"/>; stops at the first failure. If the environment variable
    /// <see cref="SeedVariable"/> holds a seed, runs only that one (a replay).</summary>
    /// <returns>the number of seeds run</returns>
    /// <exception cref="SimulationFailedException">a seed failed; its message says how to replay it</exception>
    public static int Explore(int runs, Action<Simulation> program, SimulationOptions? options = null, ulong firstSeed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(runs);
        if (ReplaySeed() is { } only)
        {
            Check(only, program, options);
            return 1;
        }
        for (int i = 0; i < runs; i++) Check(firstSeed + (ulong)i, program, options);
        return runs;
    }

    static ulong? ReplaySeed() =>
        ulong.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out ulong s) ? s : null;
}
