using System.Runtime.InteropServices;

namespace Stakker.Threads;

/// <summary>A bounded queue between exactly one writer thread and one reader thread</summary>
/// <remarks>
/// <para>Lock-free: a power-of-two ring with the reader's and the writer's positions on separate cache
/// lines. Either side may park when it cannot go on (the reader on empty, the writer on full); the
/// other side unparks it after it has published, with a full fence between its publish and its look
/// at the parked flag, so a park never misses the change that ends it. Only one side ever parks on a
/// given pipe, so one event serves.</para>
/// <para><see cref="Close"/> (from either side) ends every park at once; the ring is left as it is.</para>
/// </remarks>
internal sealed class SpscPipe<T>
{
    readonly T[] _items;
    readonly int _mask;
    PipePositions _pos;
    int _parked;
    int _closed;
    readonly ManualResetEventSlim _unpark = new(false);

    internal SpscPipe(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 24);
        Capacity = capacity;
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _items = new T[size];
        _mask = size - 1;
    }

    /// <summary>Most items the pipe holds</summary>
    internal int Capacity { get; }

    /// <summary>Items written and not yet read (exact on either side's own thread, a snapshot elsewhere)</summary>
    internal int Count => (int)(Volatile.Read(ref _pos.Tail) - Volatile.Read(ref _pos.Head));

    internal bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Writer side: adds <paramref name="item"/> unless the pipe is full</summary>
    internal bool TryWrite(T item)
    {
        long tail = _pos.Tail;
        if (tail - Volatile.Read(ref _pos.Head) >= Capacity) return false;
        _items[tail & _mask] = item;
        Internal.YieldPoint.Here();
        Volatile.Write(ref _pos.Tail, tail + 1);
        return true;
    }

    /// <summary>Reader side: takes the oldest item, if any</summary>
    internal bool TryRead(out T item)
    {
        long head = _pos.Head;
        if (head == Volatile.Read(ref _pos.Tail))
        {
            item = default!;
            return false;
        }
        ref T slot = ref _items[head & _mask];
        item = slot;
        slot = default!;   // the pipe must not keep what the reader has taken alive
        Volatile.Write(ref _pos.Head, head + 1);
        return true;
    }

    /// <summary>Blocks the calling side until it can go on (an item to read, or room to write) or the pipe is closed</summary>
    /// <param name="forItems">True for the reader (waits for an item), false for the writer (waits for room).</param>
    internal void Park(bool forItems)
    {
        _unpark.Reset();
        // A full fence: the other side's publish and our flag must not be seen in the wrong order.
        Interlocked.Exchange(ref _parked, 1);
        Internal.YieldPoint.Here();
        if (IsClosed || (forItems ? Count > 0 : Count < Capacity))
        {
            Volatile.Write(ref _parked, 0);
            return;
        }
        _unpark.Wait();
    }

    /// <summary>The other side has published: wakes a parked side, if any</summary>
    internal void Unpark()
    {
        Interlocked.MemoryBarrier();
        Internal.YieldPoint.Here();
        if (Volatile.Read(ref _parked) != 0 && Interlocked.Exchange(ref _parked, 0) != 0) _unpark.Set();
    }

    /// <summary>Closes the pipe for both sides and ends any park</summary>
    internal void Close()
    {
        Volatile.Write(ref _closed, 1);
        Interlocked.Exchange(ref _parked, 0);
        _unpark.Set();
    }
}

/// <summary>A pipe's read and write positions, each on a cache line of its own</summary>
/// <remarks>Outside <see cref="SpscPipe{T}"/>: a generic type cannot have an explicit layout.</remarks>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct PipePositions
{
    /// <summary>Next slot to read: written by the reader only</summary>
    [FieldOffset(64)] public long Head;
    /// <summary>Next slot to write: written by the writer only</summary>
    [FieldOffset(128)] public long Tail;
}
