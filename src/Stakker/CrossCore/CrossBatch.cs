using Stakker.Calls;

namespace Stakker.CrossCore;

/// <summary>Calls from one Core (or one foreign call) to another, handed over together</summary>
/// <remarks>
/// <para>Slots have the shape of the main queue's (<see cref="CallSlot"/>): a plain call of no or one
/// small argument is written as the inline call it will be on arrival, with the same invoker, so
/// arriving costs a slot copy; anything else (more arguments, Rets, Fwds, answers going back) is a
/// <see cref="ICrossParcel"/> node in <see cref="CallSlot.Target"/>.</para>
/// <para>A batch and its array go back to their link once collected, so a steady exchange between
/// two Cores allocates nothing.</para>
/// </remarks>
internal sealed class CrossBatch(CrossLink? link, int size) : RemoteWork
{
    internal readonly CallSlot[] Slots = new CallSlot[size];
    internal int Count;
    /// <summary>Slots that are calls (counted against the receiver's capacity); answers are not</summary>
    internal int Calls;
    /// <summary>The pair this batch travels on; null for a call from a thread running no Core</summary>
    internal readonly CrossLink? Link = link;
    /// <summary>For a foreign call: the gate it was posted through</summary>
    internal CrossGate? Gate;
    /// <summary>After collection: parcels the receiver is done with, in <see cref="Slots"/>[0..Kept), riding
    /// back with the batch to the Core that made them, whose pool takes them (<see cref="GiveBack"/>)</summary>
    internal int Kept;

    /// <summary>Collected on the receiving Core's thread: each call joins the main queue, in order</summary>
    internal override unsafe void Queue(Core here)
    {
        try
        {
            CallSlot[] slots = Slots;
            // Only a batch between two Cores goes back to a Core that pooled its parcels.
            bool keep = Link is not null;
            for (int i = 0; i < Count; i++)
            {
                ref CallSlot s = ref slots[i];
                if (s.Invoke != null)
                {
                    // After Dispose nothing runs, and an inline call carries nothing to answer.
                    if (here.IsDisposed) continue;
                    ref CallSlot q = ref here.Queues.Main.PushInline(s.Target!, s.Fn!, s.Invoke);
                    q.Arg = s.Arg;
                    q.Bits = s.Bits;
                }
                else
                {
                    object parcel = s.Target!;
                    // Slot i is read: the parcel may go to an earlier slot (Kept <= i).
                    if (((ICrossParcel)parcel).Arrive(here, Link) && keep) slots[Kept++] = new CallSlot { Target = parcel };
                }
            }
        }
        finally
        {
            int slots = Count, calls = Calls;
            // Slots below Kept hold only their parcel, written whole above.
            Array.Clear(Slots, Kept, Count - Kept);
            Count = 0;
            Calls = 0;
            if (Link is { } link) link.Collected(this, slots);
            else Gate?.ForeignCollected(calls);
        }
    }

    /// <summary>Puts the parcels the receiver was done with back into <paramref name="maker"/>'s pool; on
    /// <paramref name="maker"/>'s thread, when it takes this batch from its spares</summary>
    internal void GiveBack(Core maker)
    {
        CallSlot[] slots = Slots;
        for (int i = 0; i < Kept; i++)
        {
            maker.Pool.Return((PoolNode)slots[i].Target!);
            slots[i] = default;
        }
        Kept = 0;
    }

    /// <summary>A carried batch (<see cref="CrossGate.Transport"/>) found its receiver closed: on the
    /// sender's thread, frees the capacity it held and answers the Rets its calls carried</summary>
    internal void Refused()
    {
        if (Link is { } link) { link.Refused(this); return; }
        int calls = Calls;
        try { Undelivered(); }
        finally { Gate?.ForeignCollected(calls); }
    }

    /// <summary>The receiver had closed: on the sender's thread, answers the Rets the calls carried</summary>
    internal unsafe void Undelivered()
    {
        Exception? error = null;
        for (int i = 0; i < Count; i++)
        {
            ref CallSlot s = ref Slots[i];
            if (s.Invoke == null) ((ICrossParcel)s.Target!).Undelivered(ref error);
        }
        Array.Clear(Slots, 0, Count);
        Count = 0;
        Calls = 0;
        if (error is not null) Internal.ThrowHelper.Rethrow(error);
    }
}

/// <summary>A node that travels in a <see cref="CrossBatch"/></summary>
internal interface ICrossParcel
{
    /// <summary>Collected on <paramref name="here"/> from a batch of <paramref name="link"/> (null: a foreign call)</summary>
    /// <returns>True if the parcel is done with (what it carried now lives in a node of <paramref name="here"/>)
    /// and came from its maker's pool: it rides back with the batch to that pool. False if it was queued
    /// or sent on as itself, or is not pooled.</returns>
    bool Arrive(Core here, CrossLink? link);

    /// <summary>The batch was refused (the receiver closed); runs on the sender's thread</summary>
    void Undelivered(ref Exception? error);
}
