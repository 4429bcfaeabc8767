namespace Stakker.CrossCore;

/// <summary>The door into a Core for batches of calls from other Cores and threads</summary>
/// <remarks>
/// Shared by every thread that sends to the Core. A batch is posted under the lock only while the
/// gate is open; the Core closes it (under the same lock) when it is disposed, then collects what
/// was posted before. So every batch is either collected by the Core or refused to its sender, who
/// answers its Rets "no value": none is lost between the two. One lock per batch, never per call.
/// </remarks>
internal sealed class CrossGate(Core core)
{
    internal readonly Core Core = core;
    readonly Lock _sync = new();
    bool _closed;
    /// <summary>Calls posted from threads running no Core and not yet collected</summary>
    int _foreign;

    /// <summary>Calls one sender may have on the way to this Core before its calls are refused</summary>
    internal int Capacity = Core.DefaultCrossCoreCapacity;

    internal bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Null on every real Core. A simulation (Stakker.Testing) sets it to take over the
    /// hand-over: it holds each batch and delivers it later with <see cref="Deliver"/>, so the seed,
    /// not the machine, decides when and in which order batches reach the Core</summary>
    internal ICrossTransport? Transport;

    /// <summary>Hands a batch to the Core; false if the Core has closed</summary>
    internal bool TryPost(CrossBatch batch)
    {
        if (Transport is { } transport && !IsClosed)
        {
            transport.Carry(this, batch);
            return true;
        }
        return Deliver(batch);
    }

    /// <summary>Puts a batch in the Core's inbox; false if the Core has closed</summary>
    internal bool Deliver(CrossBatch batch)
    {
        Internal.YieldPoint.Here();
        lock (_sync)
        {
            if (_closed) return false;
            Core.Wakes.PostWork(batch);
            return true;
        }
    }

    /// <summary>Room for one more call from a thread running no Core</summary>
    internal bool HasForeignRoom => Volatile.Read(ref _foreign) < Capacity;

    /// <summary>Posts a one-call batch from a thread running no Core (counted against the capacity)</summary>
    internal bool TryPostForeign(CrossBatch batch)
    {
        if (Interlocked.Increment(ref _foreign) > Capacity)
        {
            Interlocked.Decrement(ref _foreign);
            CrossCoreFullException.Throw(Capacity);
        }
        if (TryPost(batch)) return true;
        Interlocked.Decrement(ref _foreign);
        return false;
    }

    /// <summary>A foreign batch was collected</summary>
    internal void ForeignCollected(int calls) => Interlocked.Add(ref _foreign, -calls);

    internal int ForeignPending => Volatile.Read(ref _foreign);

    /// <summary>Refuses every later batch (the Core's thread, when it is disposed)</summary>
    internal void Close()
    {
        lock (_sync) _closed = true;
    }
}
