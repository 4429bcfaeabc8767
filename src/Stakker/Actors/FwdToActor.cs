namespace Stakker.Actors;

/// <summary>Queues each item, and the end, as a call to an actor's handler</summary>
internal sealed class FwdToActor<TActor, T>(ActorCell<TActor> cell, ActorCall<TActor, T> onItem, ActorCall<TActor, StreamEnd>? onEnd)
    : Fwd<T> where TActor : class
{
    private protected override void SendCore(T value)
    {
        cell.Core.CheckThread();
        cell.Core.Post(cell, onItem, value);
    }
    private protected override void EndCore(StreamEnd end)
    {
        if (onEnd is not null) cell.Core.Post(cell, onEnd, end);
    }
    private protected override void CheckThread() => cell.Core.CheckThread();
}
