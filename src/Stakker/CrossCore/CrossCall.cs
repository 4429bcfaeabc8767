using Stakker.Actors;
using Stakker.Calls;

namespace Stakker.CrossCore;

/// <summary>A call to an actor on another Core that cannot ride in a slot as it is: more than one
/// argument, a large struct, or a Ret or Fwd to replace on arrival</summary>
/// <remarks>
/// Rented by a sending Core from its own pool (a thread running no Core makes a new one). On arrival
/// it becomes the receiver's ordinary pooled call node (<see cref="ActorCallNode{TActor, TArgs}"/>),
/// its Rets held by that node as any local call's, so everything after arrival is exactly the local
/// path; the emptied parcel rides back to its sender's pool with the batch that carried it
/// (<see cref="CrossBatch.GiveBack"/>), so a steady stream of calls allocates nothing. If it cannot be
/// delivered (the receiver closed before or while it was on the way), it goes back to its sender's
/// Core, whose Rets it carries, and they answer "no value" there.
/// </remarks>
internal sealed class CrossCall<TActor, TArgs> : CallNode, ICrossParcel
    where TActor : class
    where TArgs : struct, ICallArgs<TActor>, ICrossArgs
{
    ActorCell<TActor> _cell = null!;
    TArgs _args;
    /// <summary>On its way back to the sender's Core, undelivered</summary>
    bool _returning;

    /// <summary>A parcel for a call from <paramref name="from"/> (its pool), or from a thread running no Core (new)</summary>
    internal static CrossCall<TActor, TArgs> Make(Core? from, ActorCell<TActor> cell, in TArgs args)
    {
        CrossCall<TActor, TArgs> c = from is null ? new() : from.Pool.Rent<CrossCall<TActor, TArgs>>();
        c._cell = cell;
        c._args = args;
        c._returning = false;
        return c;
    }

    public bool Arrive(Core here, CrossLink? link)
    {
        if (_returning) { here.Push(this); return false; }
        if (here.IsDisposed)
        {
            // The receiver is closing: send the call back so its Rets are answered where they live.
            if (link is null) return false;   // a foreign call carries no Ret
            _returning = true;
            link.Back(here).Append(this, call: false);
            return false;
        }
        if (link is not null) _args.Arrive(here, link.Back(here));
        var n = here.Pool.Rent<ActorCallNode<TActor, TArgs>>();
        n.Cell = _cell;
        n.Args = _args;
        _args = default;
        _cell = null!;
        if (n.Tracked) n.Track(here, strict: false);
        here.Push(n);
        return PoolId >= 0;
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
