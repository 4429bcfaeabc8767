using Stakker.Actors;

namespace Stakker.Diagnostics;

/// <summary>What the dashboard knows of one living actor: its place in the tree and its sampled figures</summary>
/// <remarks>Core thread only. The figures grow only while sampling is on (a dashboard's page is open).</remarks>
internal sealed class ActorRecord(ActorCellBase cell, ActorCellBase? owner, Instant created)
{
    internal readonly ActorCellBase Cell = cell;
    /// <summary>The actor whose handler created this one (its owner in practice); null for a root</summary>
    internal readonly ActorCellBase? Owner = owner;
    internal readonly Instant Created = created;
    internal long CallsRun;
    /// <summary>Calls made to it while sampling and not yet run or dropped</summary>
    internal int Queued;
    /// <summary>Time in its handlers, in <see cref="System.Diagnostics.Stopwatch"/> ticks</summary>
    internal long HandlerTicks;
}
