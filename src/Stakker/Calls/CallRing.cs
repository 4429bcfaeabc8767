using System.Diagnostics;
using System.Runtime.CompilerServices;
using Stakker.Internal;

namespace Stakker.Calls;

/// <summary>A FIFO of calls in a growable ring: the Core's main, lazy and idle queues</summary>
/// <remarks>
/// <para>A slot holds either a pooled <see cref="CallNode"/> or, on the main queue, an <em>inline</em>
/// call: the target cell, the handler and one small argument written straight into the slot, with a
/// static invoker that knows their types (decision 007). Inline calls need no node, so a plain call
/// skips renting and returning one: the commonest message touches only the ring.</para>
/// <para>A ring rather than the intrusive list (<see cref="CallQueue"/>) because a push stores one
/// reference and a pop none. Each reference store into the heap is a GC write barrier, so slots keep
/// their references after a pop: in a steady exchange the slot a lap later usually receives the same
/// cell and handler again, and the store is skipped. <see cref="Trim"/> clears what popped slots
/// still hold, so nothing stays reachable from the queue for long (decision 012).</para>
/// <para>The ring grows to <see cref="MaxRing"/> slots at most (under the large-object threshold).
/// A burst beyond that goes into overflow chunks of the same size, behind the ring; when the ring
/// runs empty the next chunk becomes the ring, so a burst never copies calls, never allocates on the
/// large-object heap, and its chunks are handed back by <see cref="Trim"/> once the queue is quiet.</para>
/// <para>A struct field of the Core; never copied except to swap a whole queue (the lazy batch).</para>
/// </remarks>
internal unsafe struct CallRing
{
    /// <summary>Largest ring, and the size of an overflow chunk: 1024 slots of 40 bytes stay under
    /// the 85,000-byte large-object threshold</summary>
    internal const int MaxRing = 1024;
    const int MinRing = 64;

    CallSlot[] _items;
    int _head;
    int _count;
    /// <summary>Pushes go straight into the ring while <see cref="_count"/> is below this: the ring's
    /// length, or 0 while overflow chunks hold calls (new calls must queue behind those)</summary>
    int _limit;
    CallOverflow? _overflow;

    /// <summary>Times the ring grew or spilled into overflow: a sign of growth, so trimming waits</summary>
    internal int Grows;

    /// <summary>Calls taken off this ring so far (the calls-run metric; one increment beside the
    /// head and count that a take writes anyway)</summary>
    internal long Taken;

    /// <summary>Calls queued, ring and overflow (read by the metrics from any thread: may be a moment stale)</summary>
    internal readonly int Length => _count + (_overflow is { } o ? o.Count : 0);

    public CallRing() => _items = [];

    /// <summary>True if no call is queued (ring and overflow)</summary>
    internal readonly bool IsEmpty => _count == 0 && (_overflow is null || _overflow.Count == 0);

    /// <summary>True if the ring itself holds calls (the drain loop's test; <see cref="Refill"/> brings the next chunk)</summary>
    internal readonly bool HasRingCalls => _count != 0;

    /// <summary>True if overflow chunks may hold calls: only then is <see cref="Refill"/> worth a call</summary>
    internal readonly bool HasOverflow => _overflow is not null;

    /// <summary>Slots the ring has now (for tests and trimming)</summary>
    internal readonly int RingLength => _items.Length;

    /// <summary>Overflow chunks held, queued or spare (for tests and trimming)</summary>
    internal readonly int OverflowChunks => _overflow is null ? 0 : _overflow.Chunks;

    /// <summary>Appends a node</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Push(CallNode node)
    {
        ref CallSlot slot = ref Append();
        Store.IfChanged(ref slot.Target, node);
        slot.Invoke = null;
    }

    /// <summary>Appends an inline call; the caller stores its argument, if any, in the returned slot
    /// (<see cref="CallSlot.Bits"/> or <see cref="CallSlot.Arg"/>)</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref CallSlot PushInline(object cell, object fn, delegate*<Core, ref CallSlot, void> invoke)
    {
        ref CallSlot slot = ref Append();
        Store.IfChanged(ref slot.Target, cell);
        Store.IfChanged(ref slot.Fn, fn);
        slot.Invoke = invoke;
        return ref slot;
    }

    /// <summary>Runs the oldest call in the ring; the ring must not be empty</summary>
    /// <remarks>The slot is released before the call runs (the call may append to this ring); its
    /// invoker reads the slot before running user code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void RunNext(Core core)
    {
        ref CallSlot slot = ref Take();
        delegate*<Core, ref CallSlot, void> invoke = slot.Invoke;
        if (invoke == null) Unsafe.As<CallNode>(slot.Target!).Run(core);
        else invoke(core, ref slot);
    }

    /// <summary>Removes the oldest node (lazy and idle queues hold only nodes)</summary>
    internal CallNode? Pop()
    {
        if (_count == 0 && (_overflow is null || !Refill())) return null;
        ref CallSlot slot = ref Take();
        Debug.Assert(slot.Invoke == null, "Only the main queue holds inline calls.");
        return Unsafe.As<CallNode>(slot.Target);
    }

    /// <summary>Drops every call in order (answering Rets held by nodes with "no value")</summary>
    /// <remarks>An inline call never carries a Ret (a Ret argument always travels in a node), so
    /// dropping one only lets go of its argument.</remarks>
    internal void DropAll(Core core)
    {
        do
        {
            while (_count != 0)
            {
                ref CallSlot slot = ref Take();
                if (slot.Invoke == null) Unsafe.As<CallNode>(slot.Target!).Drop(core);
                else slot.Arg = null;
            }
        }
        while (Refill());
    }

    /// <summary>The ring is empty: makes the oldest overflow chunk the ring; false if there is none</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal bool Refill()
    {
        Debug.Assert(_count == 0, "Only an empty ring is refilled.");
        CallOverflow? o = _overflow;
        if (o is null || o.Count == 0) return false;
        CallSlot[] chunk = o.TakeOldest(out int n);
        o.Spare(_items);
        _items = chunk;
        _head = 0;
        _count = n;
        // Once the overflow is empty, pushes may use the ring again (they land behind these calls).
        _limit = o.Count == 0 ? chunk.Length : 0;
        return true;
    }

    /// <summary>Clears the references that popped slots still hold; if <paramref name="quiet"/>, also
    /// hands back spare chunks and shrinks a ring that is mostly empty</summary>
    /// <returns>True if the queue still holds memory beyond its smallest size.</returns>
    internal bool Trim(bool quiet)
    {
        CallOverflow? o = _overflow;
        if (quiet && (o is null || o.Count == 0))
        {
            _overflow = null;
            int want = MinRing;
            while (want < 2 * _count) want *= 2;
            if (want < _items.Length) Resize(want);
        }
        else if (quiet) o!.DropSpares();
        ScrubFree();
        _overflow?.ScrubFree();
        return _items.Length > MinRing || _overflow is not null;
    }

    /// <summary>Clears every slot outside the queued range: after a pop a slot keeps its cell, handler
    /// and node for the store-skipping described above; here they are let go</summary>
    void ScrubFree()
    {
        CallSlot[] items = _items;
        int mask = items.Length - 1;
        for (int i = _count; i < items.Length; i++) items[(_head + i) & mask] = default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ref CallSlot Take()
    {
        Debug.Assert(_count > 0);
        CallSlot[] items = _items;
        int head = _head;
        ref CallSlot slot = ref items[head];
        _head = (head + 1) & (items.Length - 1);
        _count--;
        Taken++;
        return ref slot;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ref CallSlot Append()
    {
        CallSlot[] items = _items;
        int count = _count;
        if (count >= _limit) return ref AppendSlow();
        _count = count + 1;
        return ref items[(_head + count) & (items.Length - 1)];
    }

    /// <summary>The ring is full, or overflow is in use: grow the ring, or append to the overflow</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    ref CallSlot AppendSlow()
    {
        Grows++;
        if (_limit != 0 && _items.Length < MaxRing || _items.Length == 0)
        {
            Resize(Math.Max(MinRing, _items.Length * 2));
            return ref _items[_count++];
        }
        _limit = 0;
        return ref (_overflow ??= new CallOverflow()).Append();
    }

    /// <summary>Moves the queued calls, in order, into a ring of <paramref name="length"/> slots</summary>
    void Resize(int length)
    {
        CallSlot[] old = _items;
        var items = new CallSlot[length];
        for (int i = 0; i < _count; i++) items[i] = old[(_head + i) & (old.Length - 1)];
        _items = items;
        _head = 0;
        _limit = (_overflow is null || _overflow.Count == 0) ? length : 0;
    }
}

/// <summary>Calls queued behind a full ring, in chunks of <see cref="CallRing.MaxRing"/> slots</summary>
/// <remarks>Made on the first overflow of a queue and dropped by a quiet trim; the chunks drained
/// in between are kept as spares so a repeated burst allocates nothing.</remarks>
internal sealed class CallOverflow
{
    readonly Queue<CallSlot[]> _full = new();
    CallSlot[]? _tail;
    int _tailCount;
    readonly Stack<CallSlot[]> _spares = new();

    /// <summary>Calls queued here</summary>
    internal int Count { get; private set; }

    internal int Chunks => _full.Count + (_tail is null ? 0 : 1) + _spares.Count;

    internal ref CallSlot Append()
    {
        if (_tail is null || _tailCount == _tail.Length)
        {
            if (_tail is not null) _full.Enqueue(_tail);
            _tail = _spares.Count > 0 ? _spares.Pop() : new CallSlot[CallRing.MaxRing];
            _tailCount = 0;
        }
        Count++;
        return ref _tail[_tailCount++];
    }

    /// <summary>Takes the oldest chunk with its <paramref name="count"/> calls</summary>
    internal CallSlot[] TakeOldest(out int count)
    {
        CallSlot[] chunk;
        if (_full.Count > 0)
        {
            chunk = _full.Dequeue();
            count = chunk.Length;
        }
        else
        {
            chunk = _tail!;
            count = _tailCount;
            _tail = null;
            _tailCount = 0;
        }
        Count -= count;
        return chunk;
    }

    /// <summary>Keeps a drained ring of chunk size for the next overflow</summary>
    internal void Spare(CallSlot[] ring)
    {
        if (ring.Length == CallRing.MaxRing) _spares.Push(ring);
    }

    internal void DropSpares() => _spares.Clear();

    internal void ScrubFree()
    {
        foreach (CallSlot[] s in _spares) Array.Clear(s);
        if (_tail is not null) Array.Clear(_tail, _tailCount, _tail.Length - _tailCount);
    }
}

/// <summary>One queued call in a <see cref="CallRing"/></summary>
internal unsafe struct CallSlot
{
    /// <summary>The node (when <see cref="Invoke"/> is null), or the inline call's target cell</summary>
    internal object? Target;
    /// <summary>Inline call: the handler delegate</summary>
    internal object? Fn;
    /// <summary>Inline call: a reference argument (cleared when taken, so the ring keeps nothing alive)</summary>
    internal object? Arg;
    /// <summary>Inline call: an unmanaged argument of up to 8 bytes</summary>
    internal long Bits;
    /// <summary>Inline call: runs it from this slot; null for a node</summary>
    internal delegate*<Core, ref CallSlot, void> Invoke;
}
