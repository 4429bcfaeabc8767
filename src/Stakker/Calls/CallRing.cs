using System.Runtime.CompilerServices;

namespace Stakker.Calls;

/// <summary>A FIFO of call nodes in a growable ring: the Core's main, lazy and idle queues</summary>
/// <remarks>
/// Chosen over the intrusive list (<see cref="CallQueue"/>) for the hot queues because a push stores
/// one reference and a pop none, where the list costs two and one: each reference store into the heap
/// is a GC write barrier, and on the call path those dominate. A struct field of the Core; never copied
/// except to swap a whole queue (the lazy batch).
/// </remarks>
internal struct CallRing
{
    CallSlot[] _items;
    int _head;
    int _count;

    public CallRing() => _items = [];

    internal readonly bool IsEmpty => _count == 0;

    internal readonly int Count => _count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Push(CallNode node)
    {
        CallSlot[] items = _items;
        int count = _count;
        if (count == items.Length) { Grow(node); return; }
        // In a steady exchange the slot usually still holds this very node from a lap ago: skip the
        // store (and its GC write barrier) then.
        ref CallNode? slot = ref items[(_head + count) & (items.Length - 1)].Node;
        if (!ReferenceEquals(slot, node)) slot = node;
        _count = count + 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal CallNode? Pop()
    {
        if (_count == 0) return null;
        CallSlot[] items = _items;
        int head = _head;
        // The slot keeps its reference (a pooled node, alive anyway) so the next lap can skip a store.
        CallNode? n = items[head].Node;
        _head = (head + 1) & (items.Length - 1);
        _count--;
        return n;
    }

    /// <summary>Doubles the ring (copying in order), then adds <paramref name="node"/></summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    void Grow(CallNode node)
    {
        CallSlot[] old = _items;
        var items = new CallSlot[Math.Max(64, old.Length * 2)];
        for (int i = 0; i < _count; i++) items[i] = old[(_head + i) & (old.Length - 1)];
        _items = items;
        _head = 0;
        items[_count++].Node = node;
    }

    /// <summary>Drops every node in order (answering held Rets with "no value")</summary>
    internal void DropAll(Core core)
    {
        while (Pop() is { } n) n.Drop(core);
    }
}

/// <summary>A call node reference in a ring; a struct so stores skip the array covariance check</summary>
internal struct CallSlot
{
    internal CallNode? Node;
}
