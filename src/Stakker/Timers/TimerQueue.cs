using System.Diagnostics;
using System.Runtime.CompilerServices;
using Stakker.Calls;

namespace Stakker.Timers;

/// <summary>Pending timers of one Core: a 4-ary min-heap of (expiry, sequence) over a slot table</summary>
/// <remarks>
/// <para>Each timer owns a slot holding its call, its current expiry and a generation. The heap holds
/// entries (expiry, sequence, slot, generation). Deleting a timer only frees its slot; its heap entry
/// becomes stale and is skipped when it surfaces (and the heap is compacted when stale entries
/// outnumber live ones). The sequence number makes timers with equal expiry fire in the order set.</para>
/// <para>A max timer moved later keeps its heap entry; when the entry surfaces early it is pushed
/// again at the recorded expiry. A min timer moved earlier gets a new entry; the old one goes stale.
/// Touched only on the Core's thread.</para>
/// </remarks>
internal sealed class TimerQueue
{
    struct Entry
    {
        public long Expiry;
        public long Seq;
        public int Slot;
        public int Gen;
    }

    struct Slot
    {
        public long Expiry;
        /// <summary>Order of the call that set <see cref="Expiry"/>: equal expiries fire in this order</summary>
        public long Seq;
        public CallNode? Node;
        public int Gen;
        public int NextFree;
    }

    Entry[] _heap = new Entry[64];
    int _count;
    Slot[] _slots = new Slot[64];
    int _slotsUsed;
    int _freeSlot = -1;
    int _live;
    long _seq;
    /// <summary>Generation a never-used slot starts from: above every generation of slots cut by <see cref="Trim"/></summary>
    int _freshGen;

    /// <summary>Length of the slot table (for tests of trimming)</summary>
    internal int SlotsHeld => _slots.Length;

    /// <summary>Number of timers waiting to fire</summary>
    internal int Count => _live;

    /// <summary>Visits the call of every pending timer, in slot order</summary>
    internal void Visit<TState>(Action<CallNode, TState> visit, TState state)
    {
        for (int s = 0; s < _slotsUsed; s++)
        {
            if (_slots[s].Node is { } node) visit(node, state);
        }
    }

    internal (int Slot, int Gen) Add(long expiry, CallNode node)
    {
        int s = AllocSlot();
        ref Slot slot = ref _slots[s];
        slot.Expiry = expiry;
        slot.Node = node;
        _live++;
        Push(expiry, s, slot.Gen);
        return (s, slot.Gen);
    }

    /// <summary>True if the timer with this key is still waiting</summary>
    internal bool IsActive(int s, int gen) => gen != 0 && (uint)s < (uint)_slotsUsed && _slots[s].Gen == gen && _slots[s].Node is not null;

    /// <summary>Cancels a timer; its call is dropped (answering any Ret it carries)</summary>
    internal bool Delete(int s, int gen, Core core)
    {
        if (!IsActive(s, gen)) return false;
        CallNode node = _slots[s].Node!;
        FreeSlot(s);
        MaybeCompact();
        node.Drop(core);
        return true;
    }

    /// <summary>Moves a max timer later (an earlier time is ignored)</summary>
    internal bool MoveLater(int s, int gen, long expiry)
    {
        if (!IsActive(s, gen)) return false;
        ref Slot slot = ref _slots[s];
        if (expiry > slot.Expiry)
        {
            slot.Expiry = expiry;
            slot.Seq = _seq++;   // ranks among equal expiries by when it was moved, not when its old entry surfaces
        }
        return true;
    }

    /// <summary>Moves a min timer earlier (a later time is ignored)</summary>
    internal bool MoveEarlier(int s, int gen, long expiry)
    {
        if (!IsActive(s, gen)) return false;
        ref Slot slot = ref _slots[s];
        if (expiry < slot.Expiry)
        {
            slot.Expiry = expiry;
            Push(expiry, s, gen);   // the old, later entry goes stale
            MaybeCompact();
        }
        return true;
    }

    /// <summary>Earliest expiry still to come, or null</summary>
    internal long? NextExpiry()
    {
        while (_count > 0)
        {
            ref Entry top = ref _heap[0];
            ref Slot slot = ref _slots[top.Slot];
            if (slot.Gen == top.Gen && slot.Node is not null && top.Expiry <= slot.Expiry) return top.Expiry;
            PopTop();   // stale: clear it away now
        }
        return null;
    }

    /// <summary>Appends the calls of every timer due at <paramref name="now"/> to <paramref name="queue"/>, in order</summary>
    internal void Expire(Instant now, ref CallRing queue)
    {
        long t = now.Ticks;
        while (_count > 0 && _heap[0].Expiry <= t)
        {
            Entry e = _heap[0];
            PopTop();
            ref Slot slot = ref _slots[e.Slot];
            // Stale: deleted, already fired, or a min timer's old entry from before it moved earlier.
            if (slot.Gen != e.Gen || slot.Node is null || e.Expiry > slot.Expiry) continue;
            if (e.Expiry < slot.Expiry)
            {
                Push(slot.Expiry, e.Slot, e.Gen, slot.Seq);   // max timer moved later
                continue;
            }
            CallNode node = slot.Node;
            FreeSlot(e.Slot);
            queue.Push(node);
        }
    }

    /// <summary>Drops every pending timer</summary>
    internal void Clear(Core core)
    {
        for (int s = 0; s < _slotsUsed; s++)
        {
            if (_slots[s].Node is { } node)
            {
                FreeSlot(s);
                node.Drop(core);
            }
        }
        _count = 0;
    }

    int AllocSlot()
    {
        int s = _freeSlot;
        if (s >= 0)
        {
            _freeSlot = _slots[s].NextFree;
        }
        else
        {
            if (_slotsUsed == _slots.Length) Array.Resize(ref _slots, _slots.Length * 2);
            s = _slotsUsed++;
            _slots[s].Gen = _freshGen;
        }
        ref Slot slot = ref _slots[s];
        // Generations start at 1 and skip 0, so a default key never matches.
        slot.Gen = slot.Gen == int.MaxValue ? 1 : slot.Gen + 1;
        return s;
    }

    void FreeSlot(int s)
    {
        ref Slot slot = ref _slots[s];
        slot.Node = null;
        slot.Gen = slot.Gen == int.MaxValue ? 1 : slot.Gen + 1;   // stale entries and keys stop matching
        slot.NextFree = _freeSlot;
        _freeSlot = s;
        _live--;
    }

    void MaybeCompact()
    {
        if (_count <= 2 * _live + 64) return;
        Compact();
    }

    /// <summary>Drops stale heap entries and rebuilds the heap</summary>
    void Compact()
    {
        int j = 0;
        for (int i = 0; i < _count; i++)
        {
            Entry e = _heap[i];
            ref Slot slot = ref _slots[e.Slot];
            if (slot.Gen == e.Gen && slot.Node is not null && e.Expiry <= slot.Expiry) _heap[j++] = e;
        }
        _count = j;
        for (int i = (_count - 2) / 4; i >= 0; i--) SiftDown(i);
        AssertHeap();
    }

    /// <summary>After a burst of timers, gives back heap and slot space (only when <paramref name="quiet"/>)</summary>
    /// <remarks>Keys name slots, so live slots never move: only the free slots above the highest live
    /// one are cut, and slots made again later start above every generation a cut slot had issued,
    /// so an old key can never match a new timer.</remarks>
    internal void Trim(bool quiet)
    {
        const int Min = 64;
        if (!quiet) return;
        if (_count > _live) Compact();
        if (_heap.Length > Min && 4 * _count < _heap.Length) Array.Resize(ref _heap, Fit(_count));
        int used = _slotsUsed;
        while (used > 0 && _slots[used - 1].Node is null) used--;
        if (_slots.Length <= Min || 4 * used >= _slots.Length) return;
        for (int s = used; s < _slotsUsed; s++) _freshGen = Math.Max(_freshGen, _slots[s].Gen);
        if (_freshGen == int.MaxValue) _freshGen = 0;   // AllocSlot wraps the same way
        Array.Resize(ref _slots, Fit(used));
        _slotsUsed = used;
        _freeSlot = -1;
        for (int s = used - 1; s >= 0; s--)
        {
            if (_slots[s].Node is not null) continue;
            _slots[s].NextFree = _freeSlot;
            _freeSlot = s;
        }

        static int Fit(int n)
        {
            int size = Min;
            while (size < 2 * n) size *= 2;
            return size;
        }
    }

    // 4-ary heap: children of i are 4i+1..4i+4. Shallower than a binary heap, and the four
    // children sit in adjacent cache lines.

    void Push(long expiry, int s, int gen)
    {
        long seq = _seq++;
        _slots[s].Seq = seq;
        Push(expiry, s, gen, seq);
    }

    void Push(long expiry, int s, int gen, long seq)
    {
        if (_count == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        Entry e = new() { Expiry = expiry, Seq = seq, Slot = s, Gen = gen };
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 2;
            if (!Less(in e, in _heap[parent])) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = e;
    }

    void PopTop()
    {
        int last = --_count;
        if (last > 0)
        {
            _heap[0] = _heap[last];
            SiftDown(0);
        }
    }

    void SiftDown(int i)
    {
        Entry e = _heap[i];
        int n = _count;
        for (;;)
        {
            int first = (i << 2) + 1;
            if (first >= n) break;
            int best = first;
            int end = Math.Min(first + 4, n);
            for (int c = first + 1; c < end; c++)
                if (Less(in _heap[c], in _heap[best])) best = c;
            if (!Less(in _heap[best], in e)) break;
            _heap[i] = _heap[best];
            i = best;
        }
        _heap[i] = e;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool Less(in Entry a, in Entry b) => a.Expiry < b.Expiry || (a.Expiry == b.Expiry && a.Seq < b.Seq);

    [Conditional("DEBUG")]
    void AssertHeap()
    {
        for (int i = 1; i < _count; i++)
            Debug.Assert(!Less(in _heap[i], in _heap[(i - 1) >> 2]), "Every heap entry sorts after its parent.");
    }
}
