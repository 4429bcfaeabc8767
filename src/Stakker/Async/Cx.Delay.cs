using Stakker.Async;

namespace Stakker;

// The one async member of a handler's context, kept with the async boundary it belongs to.
public readonly ref partial struct Cx<T>
{
    /// <summary>A pooled <see cref="ValueTask"/> that completes after <paramref name="delay"/> of the Core's time</summary>
    /// <remarks>For async code started from this handler (it cannot be awaited in the handler itself).
    /// If this actor ends first, awaiting it throws <see cref="OperationCanceledException"/>.</remarks>
    public ValueTask Delay(TimeSpan delay) => Async.DelaySource.Start(Core, delay, _cell, ActorEndPolicy.Drop);
}
