using System.Diagnostics;
using System.Runtime.CompilerServices;

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
/// cell and handler again, and the store is skipped. A struct field of the Core; never copied except
/// to swap a whole queue (the lazy batch).</para>
/// </remarks>
internal unsafe struct CallRing
{
    CallSlot[] _items;
    int _head;
    int _count;

    public CallRing() => _items = [];

    internal readonly bool IsEmpty => _count == 0;

    internal readonly int Count => _count;

    /// <summary>Appends a node</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Push(CallNode node)
    {
        ref CallSlot slot = ref Append();
        if (!ReferenceEquals(slot.Target, node)) slot.Target = node;
        slot.Invoke = null;
    }

    /// <summary>Appends an inline call; the caller stores its argument, if any, in the returned slot
    /// (<see cref="CallSlot.Bits"/> or <see cref="CallSlot.Arg"/>)</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref CallSlot PushInline(object cell, object fn, delegate*<Core, ref CallSlot, void> invoke)
    {
        ref CallSlot slot = ref Append();
        if (!ReferenceEquals(slot.Target, cell)) slot.Target = cell;
        if (!ReferenceEquals(slot.Fn, fn)) slot.Fn = fn;
        slot.Invoke = invoke;
        return ref slot;
    }

    /// <summary>Runs the oldest call; the ring must not be empty</summary>
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
        if (_count == 0) return null;
        ref CallSlot slot = ref Take();
        Debug.Assert(slot.Invoke == null, "Only the main queue holds inline calls.");
        return Unsafe.As<CallNode>(slot.Target);
    }

    /// <summary>Drops every call in order (answering Rets held by nodes with "no value")</summary>
    /// <remarks>An inline call never carries a Ret (a Ret argument always travels in a node), so
    /// dropping one only lets go of its argument.</remarks>
    internal void DropAll(Core core)
    {
        while (_count != 0)
        {
            ref CallSlot slot = ref Take();
            if (slot.Invoke == null) Unsafe.As<CallNode>(slot.Target!).Drop(core);
            else slot.Arg = null;
        }
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
        return ref slot;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ref CallSlot Append()
    {
        CallSlot[] items = _items;
        int count = _count;
        if (count == items.Length) return ref Grow();
        _count = count + 1;
        return ref items[(_head + count) & (items.Length - 1)];
    }

    /// <summary>Doubles the ring (copying in order) and returns the new tail slot</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    ref CallSlot Grow()
    {
        CallSlot[] old = _items;
        var items = new CallSlot[Math.Max(64, old.Length * 2)];
        for (int i = 0; i < _count; i++) items[i] = old[(_head + i) & (old.Length - 1)];
        _items = items;
        _head = 0;
        return ref items[_count++];
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
