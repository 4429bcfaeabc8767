using Stakker.Actors;

namespace Stakker;

public readonly partial struct Actor<T>
{
    /// <summary>A handle to this actor that other Cores and threads may call</summary>
    /// <remarks>Call on the actor's own Core's thread; the handle may then go anywhere.</remarks>
    public CrossCoreActor<T> CrossCore()
    {
        ActorCell<T> cell = CellOrThrow();
        cell.Core.CheckThread(cell);
        return new CrossCoreActor<T>(cell, cell.Core.Links.Gate);
    }
}
