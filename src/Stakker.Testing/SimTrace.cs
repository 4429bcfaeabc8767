using System.Text;

namespace Stakker.Testing;

/// <summary>The events of one simulation run, in the order they happened</summary>
/// <remarks>Two runs of the same program from the same seed must produce equal traces
/// (<see cref="Simulation.CheckDeterministic"/>). Text is built only from the events' own data, never
/// from hash codes, addresses or wall time, so it is comparable across runs.</remarks>
public sealed class SimTrace
{
    readonly EventRing _events;
    long _dropped;

    internal SimTrace(int capacity) => _events = new EventRing(capacity);

    /// <summary>The events kept (the oldest are dropped beyond the capacity given in <see cref="SimulationOptions.TraceCapacity"/>)</summary>
    public IReadOnlyList<TraceEvent> Events => _events;

    /// <summary>Number of events recorded, including those dropped for capacity</summary>
    public long Count => _dropped + _events.Count;

    /// <summary>A 64-bit digest (FNV-1a) of every event recorded, kept ones and dropped ones alike, so
    /// long runs can be compared without keeping their whole trace</summary>
    public ulong Digest { get; private set; } = 14695981039346656037UL;

    internal void Add(Instant time, int core, TraceKind kind, string text)
    {
        var e = new TraceEvent((int)Math.Min(Count, int.MaxValue), time, core, kind, text);
        Mix(time.Ticks); Mix(core); Mix((long)kind);
        foreach (char c in text) Mix(c);
        // Keep the tail: a failure is usually explained by what happened just before it.
        if (_events.Add(e)) _dropped++;
    }

    void Mix(long v)
    {
        ulong d = Digest;
        for (int i = 0; i < 8; i++) { d ^= (byte)(v >> (8 * i)); d *= 1099511628211UL; }
        Digest = d;
    }

    /// <summary>The events of the given kind</summary>
    public IEnumerable<TraceEvent> OfKind(TraceKind kind) => _events.Where(e => e.Kind == kind);

    /// <summary>The last <paramref name="count"/> events, one a line</summary>
    public string Tail(int count = 40)
    {
        var sb = new StringBuilder();
        foreach (var e in _events.Skip(Math.Max(0, _events.Count - count))) sb.AppendLine(e.ToString());
        return sb.ToString();
    }

    /// <summary>The whole trace kept, one event a line</summary>
    public override string ToString() => Tail(int.MaxValue);
}
