using Stakker.Actors;
using Stakker.Calls;
using Stakker.Internal;

namespace Stakker.CrossCore;

/// <summary>Sending a call to an actor on another Core: into the running Core's link to it, or, from a
/// thread running no Core, straight through the receiver's gate</summary>
/// <remarks>The sender is the Core whose <see cref="Core.Run"/> is on this thread's stack (one
/// thread-static read); the receiver is the actor's. The caller has already handled the case of
/// both being the same Core (a local call).</remarks>
internal static class CrossSend
{
    /// <summary>A call of no argument or one that rides in the slot as it is</summary>
    internal static unsafe void Inline(object cell, object fn, delegate*<Core, ref CallSlot, void> invoke, object? arg, long bits, CrossGate gate, Core? from)
    {
        if (from is null)
        {
            var b = new CrossBatch(null, 1) { Gate = gate, Count = 1, Calls = 1 };
            // The receiver traces: carry this thread's activity (a parcel, since a slot has no room for it).
            if (gate.Core.TracesForeign) b.Slots[0].Target = TraceCarry.Inline(null, cell, fn, invoke, arg, bits);
            else Fill(ref b.Slots[0], cell, fn, invoke, arg, bits);
            gate.TryPostForeign(b);   // refused: the Core has closed, and the call is dropped (it holds no Ret)
            return;
        }
        CrossLink link = from.Links.To(gate);
        if (gate.IsClosed) return;   // dropped, as a call to an ended actor is
        Internal.YieldPoint.Here();
        if (from.Diverted) link.Append(call: true).Target = TraceCarry.Inline(from, cell, fn, invoke, arg, bits);
        else Fill(ref link.Append(call: true), cell, fn, invoke, arg, bits);
    }

    static unsafe void Fill(ref CallSlot s, object cell, object fn, delegate*<Core, ref CallSlot, void> invoke, object? arg, long bits)
    {
        s.Target = cell;
        s.Fn = fn;
        s.Arg = arg;
        s.Bits = bits;
        s.Invoke = invoke;
    }

    /// <summary>A call that travels as a <see cref="CrossCall{TActor, TArgs}"/>; <c>bridged</c>: some argument is a Ret or Fwd</summary>
    internal static void Parcel<TActor, TArgs>(ActorCell<TActor> cell, CrossGate gate, Core? from, TArgs args, bool bridged)
        where TActor : class
        where TArgs : struct, ICallArgs<TActor>, ICrossArgs
    {
        if (from is null)
        {
            if (bridged) ThrowHelper.ThrowCrossNoCore("Ret or Fwd");
            var b = new CrossBatch(null, 1) { Gate = gate, Count = 1, Calls = 1 };
            var call = CrossCall<TActor, TArgs>.Make(null, cell, args);
            b.Slots[0].Target = gate.Core.TracesForeign ? TraceCarry.Foreign(call) : call;
            gate.TryPostForeign(b);
            return;
        }
        CrossLink link = from.Links.To(gate);
        if (gate.IsClosed)
        {
            // Dropped, as a call to an ended actor is: its Rets answer "no value" now.
            args.Depart(from);
            Exception? error = null;
            args.Undelivered(ref error);
            if (error is not null) ThrowHelper.Rethrow(error);
            return;
        }
        if (!link.HasRoom) CrossCoreFullException.Throw(gate.Capacity);
        args.Depart(from);
        var parcel = CrossCall<TActor, TArgs>.Make(from, cell, args);
        if (from.Diverted) link.Append(call: true).Target = TraceCarry.Parcel(from, parcel);
        else link.Append(parcel, call: true);
    }
}
