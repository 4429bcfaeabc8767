namespace Stakker.Diagnostics;

/// <summary>The living actors of one state type on one Core, summed</summary>
public sealed class ActorTypeSummary
{
    internal ActorTypeSummary() { }

    /// <summary>The state type's name</summary>
    public string Type { get; internal init; } = "";

    /// <summary>Actors of this type</summary>
    public int Count { get; internal set; }

    /// <summary>Of those, actors not yet initialised</summary>
    public int Prep { get; internal set; }

    /// <summary>Calls their handlers ran while sampling</summary>
    public long CallsRun { get; internal set; }

    /// <summary>Calls made to them while sampling and still queued</summary>
    public int Queued { get; internal set; }

    /// <summary>Time in their handlers while sampling (estimated: one call in eight is timed)</summary>
    public TimeSpan HandlerTime { get; internal set; }

    /// <summary>Timers they have pending</summary>
    public int PendingTimers { get; internal set; }

    /// <summary>Rets they hold unanswered</summary>
    public int OutstandingRets { get; internal set; }
}
