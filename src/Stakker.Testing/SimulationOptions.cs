namespace Stakker.Testing;

/// <summary>Settings of a <see cref="Simulation"/></summary>
public sealed class SimulationOptions
{
    /// <summary>Where virtual time starts (default <see cref="Instant.Zero"/>)</summary>
    public Instant Start { get; init; } = Instant.Zero;

    /// <summary>Probability that <see cref="FaultInjector.Maybe(string)"/> fires at a site with no
    /// rate of its own (default 0: no faults unless asked)</summary>
    public double FaultRate { get; init; }

    /// <summary>Probability that an async completion made with <see cref="Simulation.Completion{T}"/>
    /// fails with <see cref="InjectedFaultException"/> instead of giving its value (default 0)</summary>
    public double CompletionFaultRate { get; init; }

    /// <summary>Longest latency an arrival or completion gets when none is given (default 10 ms)</summary>
    public TimeSpan MaxLatency { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Longest time a batch of cross-Core calls (or answers) spends between its sending Core's
    /// run and its receiver's inbox (default 100 µs). A quarter of batches arrive at the instant they
    /// were sent; at one instant, batches and other arrivals interleave in an order drawn from the
    /// seed; each link's batches keep their order. Calls on the way count against the receiver's
    /// <see cref="Core.CrossCoreCapacity"/>, so a longer latency reaches back-pressure sooner.</summary>
    public TimeSpan CrossCoreMaxLatency { get; init; } = TimeSpan.FromTicks(1000);

    /// <summary>Events kept in <see cref="Simulation.Trace"/>; older ones are dropped, still counted in
    /// its digest (default 100,000; 0 keeps all)</summary>
    public int TraceCapacity { get; init; } = 100_000;

    /// <summary>The default settings</summary>
    public static SimulationOptions Default { get; } = new();
}
