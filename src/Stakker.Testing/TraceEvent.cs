namespace Stakker.Testing;

/// <summary>What a <see cref="TraceEvent"/> records</summary>
public enum TraceKind
{
    /// <summary>Virtual time moved to <see cref="TraceEvent.Time"/>; the text says why (a timer or an arrival)</summary>
    Advance,
    /// <summary>A scheduled outside event (an arrival, an async completion) was delivered to a Core</summary>
    Arrival,
    /// <summary>A Core ran what was queued; the text gives the timers still pending</summary>
    Run,
    /// <summary>An actor ended; the text gives its name, id and cause</summary>
    Stop,
    /// <summary>A Ret made with <see cref="Simulation.Ret{T}(string, Action{Answer{T}})"/> was answered</summary>
    Ret,
    /// <summary>An injected fault fired</summary>
    Fault,
    /// <summary>Recorded by the program under test with <see cref="Simulation.Record(string)"/></summary>
    User,
}

/// <summary>One line of a simulation's trace: when, on which Core, what</summary>
/// <param name="Seq">Position in the trace, from 0</param>
/// <param name="Time">Virtual time when it happened</param>
/// <param name="Core">Index of the Core in <see cref="Simulation.Cores"/></param>
/// <param name="Kind">What happened</param>
/// <param name="Text">The details</param>
public readonly record struct TraceEvent(int Seq, Instant Time, int Core, TraceKind Kind, string Text)
{
    /// <summary>One line: sequence, time in ticks, Core, kind, text</summary>
    public override string ToString() => $"{Seq,6} t={Time.Ticks} c{Core} {Kind} {Text}";
}
