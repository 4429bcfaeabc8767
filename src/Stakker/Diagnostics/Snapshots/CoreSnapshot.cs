namespace Stakker.Diagnostics;

/// <summary>One Core as its own thread saw it at one moment: figures, actors by type, and recent failures</summary>
/// <remarks>Made by <see cref="StakkerDiagnostics.SnapshotAsync"/>. Counters (calls, wakes, handler
/// time) grow from the Core's start; a reader turns two snapshots into rates.</remarks>
public sealed class CoreSnapshot
{
    internal CoreSnapshot() { }

    /// <summary>The Core's name, as given to <see cref="StakkerDiagnostics.Attach"/></summary>
    public string Core { get; internal init; } = "";

    /// <summary>The Core's time when the snapshot was taken</summary>
    public Instant Now { get; internal init; }

    /// <summary>Calls taken off the queues to run since the Core started</summary>
    public long CallsTaken { get; internal init; }

    /// <summary>Calls waiting in the queues</summary>
    public int QueueLength { get; internal init; }

    /// <summary>Timers set and not yet fired or cancelled</summary>
    public int PendingTimers { get; internal init; }

    /// <summary>Wakes from other threads collected since the Core started</summary>
    public long Wakes { get; internal init; }

    /// <summary>Rets answered "no value" since the Core started</summary>
    public long RetsAbandoned { get; internal init; }

    /// <summary>True while calls are sampled (<see cref="StakkerDiagnostics.StartSampling"/>)</summary>
    public bool Sampling { get; internal init; }

    /// <summary>Time spent running calls while sampling was on (estimated: one call in eight is timed)</summary>
    public TimeSpan HandlerTime { get; internal init; }

    /// <summary>Living actors on this Core</summary>
    public int ActorCount { get; internal init; }

    /// <summary>Living actors grouped by state type, most numerous first</summary>
    public IReadOnlyList<ActorTypeSummary> Types { get; internal init; } = [];

    /// <summary>The actors asked for (one type's, or all up to the cap), oldest first</summary>
    public IReadOnlyList<ActorSnapshot> Actors { get; internal init; } = [];

    /// <summary>True if more actors matched than <see cref="Actors"/> lists (the cap asked for)</summary>
    public bool ActorsTruncated { get; internal init; }

    /// <summary>Recent failures and kills, newest first (at most <see cref="StakkerDiagnostics.FailuresKept"/>)</summary>
    public IReadOnlyList<ActorFailure> Failures { get; internal init; } = [];
}
