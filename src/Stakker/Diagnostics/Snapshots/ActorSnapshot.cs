namespace Stakker.Diagnostics;

/// <summary>One living actor in a <see cref="CoreSnapshot"/></summary>
public sealed class ActorSnapshot
{
    internal ActorSnapshot() { }

    /// <summary>The actor's id, unique within its Core</summary>
    public long Id { get; internal init; }

    /// <summary>The state type's name</summary>
    public string Type { get; internal init; } = "";

    /// <summary>Prep or Ready (a Zombie is no longer listed)</summary>
    public ActorState State { get; internal init; }

    /// <summary>The id of the actor whose handler created it (its owner), or null for a root</summary>
    public long? OwnerId { get; internal init; }

    /// <summary>How long it has lived, in Core time</summary>
    public TimeSpan Age { get; internal init; }

    /// <summary>Calls its handlers ran while sampling</summary>
    public long CallsRun { get; internal init; }

    /// <summary>Calls made to it while sampling and still queued</summary>
    public int Queued { get; internal init; }

    /// <summary>Time in its handlers while sampling (estimated: one call in eight is timed)</summary>
    public TimeSpan HandlerTime { get; internal init; }

    /// <summary>Timers it has pending</summary>
    public int PendingTimers { get; internal init; }

    /// <summary>Rets it holds unanswered</summary>
    public int OutstandingRets { get; internal init; }
}
