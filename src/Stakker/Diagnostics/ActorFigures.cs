using Stakker.Actors;

namespace Stakker.Diagnostics;

/// <summary>Where a living actor sits in the tree: who created it, and when</summary>
/// <param name="Owner">The actor whose handler created this one (its owner in practice); null for a root.</param>
/// <param name="Created">The Core's time at creation.</param>
/// <remarks>A value in the Core's map of living actors: no object per actor (decision 096).</remarks>
internal readonly record struct ActorPlace(ActorCellBase? Owner, Instant Created);

/// <summary>One actor's sampled figures, made the first time a call to it is sampled</summary>
/// <remarks>Core thread only. Grows only while sampling is on (a dashboard's page is open).</remarks>
internal sealed class ActorFigures
{
    internal long CallsRun;
    /// <summary>Calls made to it while sampling and not yet run or dropped</summary>
    internal int Queued;
    /// <summary>Time in its handlers, in <see cref="System.Diagnostics.Stopwatch"/> ticks (estimated)</summary>
    internal long HandlerTicks;
}
