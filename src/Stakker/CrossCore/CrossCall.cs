using Stakker.Actors;
using Stakker.Calls;

namespace Stakker.CrossCore;

/// <summary>A call to an actor on another Core that cannot ride in a slot as it is: more than one
/// argument, a large struct, or a Ret or Fwd to replace on arrival</summary>
/// <remarks>
/// Made by the sender (allocated: the receiver cannot hand a node back to the sender's pool). On
/// arrival it becomes the receiver's ordinary pooled call node (<see cref="ActorCallNode{TActor, TArgs}"/>),
/// its Rets held by that node as any local call's, so everything after arrival is exactly the local
/// path. If it cannot be delivered (the receiver closed before or while it was on the way), it
/// goes back to its sender's Core, whose Rets it carries, and they answer "no value" there.
/// </remarks>
internal sealed class CrossCall<TActor, TArgs>(ActorCell<TActor> cell, TArgs args) : CallNode, ICrossParcel
    where TActor : class
    where TArgs : struct, ICallArgs<TActor>, ICrossArgs
{
    TArgs _args = args;
    /// <summary>On its way back to the sender's Core, undelivered</summary>
    bool _returning;

    public void Arrive(Core here, CrossLink? link)
    {
        if (_returning) { here.Push(this); return; }
        if (here.IsDisposed)
        {
            // The receiver is closing: send the call back so its Rets are answered where they live.
            if (link is null) return;   // a foreign call carries no Ret
            _returning = true;
            link.Back(here).Append(this, call: false);
            return;
        }
        if (link is not null) _args.Arrive(here, link.Back(here));
        var n = here.Pool.Rent<ActorCallNode<TActor, TArgs>>();
        n.Cell = cell;
        n.Args = _args;
        _args = default;
        if (n.Tracked) n.Track(here, strict: false);
        here.Push(n);
    }

    public void Undelivered(ref Exception? error) => _args.Undelivered(ref error);

    // Only a returning call is queued as itself, on its sender's Core: running it or dropping it
    // both answer its Rets "no value".
    internal override void Run(Core core) => Answer();

    internal override void Drop(Core core) => Answer();

    void Answer()
    {
        Exception? error = null;
        _args.Undelivered(ref error);
        if (error is not null) Internal.ThrowHelper.Rethrow(error);
    }
}
