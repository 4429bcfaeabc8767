using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Stakker.Calls;
using Stakker.Internal;

namespace Stakker.CrossCore;

/// <summary>One direction between two Cores: the sender's batch being filled, and the count of what
/// is on the way</summary>
/// <remarks>
/// <para>Owned by the sending Core (<see cref="CoreLinks"/>): only its thread appends and hands
/// over. Calls go into the current batch; the batch is handed to the receiver's gate when it is full
/// or when the sender's <see cref="Core.Run"/> ends (<see cref="CoreLinks.Flush"/>), so a Core that
/// makes many calls to another in one run pays one lock and one wake for all of them.</para>
/// <para>Bounded: <see cref="_sent"/> counts slots appended (sender's thread), <see cref="_collected"/>
/// slots collected (receiver's thread); a call is refused with <see cref="CrossCoreFullException"/>
/// when their difference reaches the receiver's capacity. Answers going back (Ret results) are never
/// refused: there is at most one per call, and refusing one would break "exactly once".</para>
/// </remarks>
internal sealed class CrossLink(CoreLinks from, CrossGate to)
{
    /// <summary>Slots per batch: large enough that a busy pair synchronises rarely, small enough
    /// (under the large-object threshold) to be cheap to keep a few spare</summary>
    internal const int BatchSize = 512;

    internal readonly CoreLinks From = from;
    internal readonly CrossGate To = to;
    CrossBatch? _batch;
    long _sent;
    long _collected;
    /// <summary>Calls the sender may still make before it must look at <see cref="_collected"/> again:
    /// the receiver writes that counter, so reading it on every call would pull its cache line
    /// across processors on every call</summary>
    long _allowance;
    readonly ConcurrentQueue<CrossBatch> _spare = new();
    int _spareCount;
    /// <summary>True while listed in the sender's dirty list (sender's thread)</summary>
    internal bool Dirty;
    /// <summary>The link from the receiver back to the sender (receiver's thread only)</summary>
    CrossLink? _back;

    /// <summary>True if a call may be sent now</summary>
    internal bool HasRoom => _allowance > 0 || RefreshAllowance() > 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    long RefreshAllowance() => _allowance = To.Capacity - (_sent - Volatile.Read(ref _collected));

    /// <summary>Slots sent and not yet collected</summary>
    internal long InFlight => _sent - Volatile.Read(ref _collected);

    internal long Sent => _sent;

    /// <summary>The link back from the receiving Core to the sending one; on the receiver's thread</summary>
    internal CrossLink Back(Core here) => _back ??= here.Links.To(From.Gate);

    /// <summary>Appends a slot; the caller fills it. <paramref name="call"/>: counted against the capacity</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref CallSlot Append(bool call)
    {
        if (call)
        {
            if (_allowance <= 0 && RefreshAllowance() <= 0) CrossCoreFullException.Throw(To.Capacity);
            _allowance--;
        }
        CrossBatch? b = _batch;
        if (b is null || b.Count == BatchSize) b = NextBatch();
        _sent++;
        if (call) b.Calls++;
        if (!Dirty) From.MarkDirty(this);
        return ref b.Slots[b.Count++];
    }

    /// <summary>Appends a parcel node</summary>
    internal void Append(CallNode parcel, bool call)
    {
        ref CallSlot s = ref Append(call);
        s.Target = parcel;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    CrossBatch NextBatch()
    {
        if (_batch is { } full) HandOver(full);
        CrossBatch b;
        if (_spare.TryDequeue(out CrossBatch? spare))
        {
            Internal.YieldPoint.Here();
            Interlocked.Decrement(ref _spareCount);
            b = spare;
            b.GiveBack(From.Core);
        }
        else b = new CrossBatch(this, BatchSize);
        _batch = b;
        return b;
    }

    /// <summary>Hands over the batch being filled, if any (sender's thread)</summary>
    internal void Flush()
    {
        Dirty = false;
        if (_batch is { Count: > 0 } b) HandOver(b);
    }

    void HandOver(CrossBatch b)
    {
        _batch = null;
        if (!To.TryPost(b)) Refused(b);
    }

    /// <summary>The receiver has closed: nothing reaches it any more. Counts the slots as collected so
    /// the capacity frees, answers the Rets the calls carried, and keeps the batch for reuse (sender's thread)</summary>
    internal void Refused(CrossBatch b)
    {
        int n = b.Count;
        try { b.Undelivered(); }
        finally
        {
            Interlocked.Add(ref _collected, n);
            Recycle(b);
        }
    }

    /// <summary>The receiver has queued a batch (receiver's thread)</summary>
    internal void Collected(CrossBatch b, int slots)
    {
        // Once per batch; atomic because a sender whose batch was refused counts it too.
        Internal.YieldPoint.Here();
        Interlocked.Add(ref _collected, slots);
        Recycle(b);
    }

    /// <summary>The sending Core is quiet: let the spare batches go (sender's thread)</summary>
    internal void DropSpares()
    {
        while (_spare.TryDequeue(out _)) Interlocked.Decrement(ref _spareCount);
    }

    void Recycle(CrossBatch b)
    {
        // As many spares as can be on the way at once (the capacity's worth), so a steady stream
        // allocates nothing; the sending Core lets them all go once it is quiet (DropSpares).
        if (Interlocked.Increment(ref _spareCount) > To.Capacity / BatchSize + 2) Interlocked.Decrement(ref _spareCount);
        else _spare.Enqueue(b);
    }
}
