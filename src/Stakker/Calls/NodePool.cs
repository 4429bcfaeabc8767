using System.Diagnostics;
using System.Runtime.CompilerServices;
using Stakker.Internal;
using Stakker.Returns;

namespace Stakker.Calls;

/// <summary>A Core's free lists of pooled nodes, one per node type, indexed by <see cref="PoolSlot{TNode}.Id"/></summary>
/// <remarks>
/// <para>Per Core rather than [ThreadStatic]: no thread-local lookup on the hot path, and nodes never
/// travel between runtimes. After a burst of N queued calls, N nodes stay ready for the next burst
/// until the Core has been quiet for a second (<see cref="Trim"/>, decision 012).</para>
/// <para>A struct field of the Core (<c>core.Pool</c>), so renting costs no indirection more than a
/// field of the Core itself would.</para>
/// </remarks>
internal struct NodePool
{
    FreeList[] _free;

    /// <summary>Nodes made because a free list was empty: a sign of growth, so trimming waits</summary>
    internal int News;

    /// <summary>Free nodes kept per node type by a quiet trim</summary>
    const int Keep = 64;

    public NodePool() => _free = new FreeList[Math.Max(16, PoolSlots.Count + 8)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal TNode Rent<TNode>() where TNode : PoolNode, new()
    {
        int id = PoolSlot<TNode>.Id;
        FreeList[] free = _free;
        if ((uint)id < (uint)free.Length)
        {
            ref FreeList list = ref free[id];
            int n = list.Count - 1;
            if (n >= 0)
            {
                list.Count = n;
                // The slot keeps its stale reference: the node is live anyway, and clearing costs a store.
                return Unsafe.As<TNode>(list.Items![n].Node!);
            }
        }
        return RentNew<TNode>(id);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    TNode RentNew<TNode>(int id) where TNode : PoolNode, new()
    {
        News++;
        return new() { PoolId = id };
    }

    /// <summary>Puts a node back on its free list</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Return(PoolNode node)
    {
        Debug.Assert(node.PoolId >= 0, "Only a node rented from a pool goes back to one.");
        Debug.Assert(node.Next is null, "A node goes back to its pool unlinked.");
        int id = node.PoolId;
        FreeList[] free = _free;
        if ((uint)id < (uint)free.Length)
        {
            ref FreeList list = ref free[id];
            NodeRef[]? items = list.Items;
            int n = list.Count;
            if (items is not null && (uint)n < (uint)items.Length)
            {
                // Renting left the slot's reference in place; a node returned to where it was rented
                // from needs no store (and no GC write barrier).
                Store.IfChanged(ref items[n].Node, node);
                list.Count = n + 1;
                return;
            }
        }
        ReturnSlow(node);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    void ReturnSlow(PoolNode node)
    {
        int id = node.PoolId;
        if (id >= _free.Length) Array.Resize(ref _free, Math.Max(id + 1, _free.Length * 2));
        ref FreeList list = ref _free[id];
        if (list.Items is null) list.Items = new NodeRef[16];
        else if (list.Count == list.Items.Length) Array.Resize(ref list.Items, list.Items.Length * 2);
        list.Items[list.Count++].Node = node;
    }

    /// <summary>Lets go of what free nodes kept for store-skipping; if <paramref name="quiet"/>, also
    /// of the free nodes beyond <see cref="Keep"/> per type</summary>
    internal readonly void Trim(bool quiet)
    {
        FreeList[] free = _free;
        for (int id = 0; id < free.Length; id++)
        {
            ref FreeList list = ref free[id];
            if (list.Items is not { } items) continue;
            int keep = quiet ? Math.Min(list.Count, Keep) : list.Count;
            // Above Count the slots still name nodes that were rented (renting leaves them): clear them too.
            Array.Clear(items, keep, items.Length - keep);
            list.Count = keep;
            for (int i = 0; i < keep; i++) items[i].Node!.Scrub();
            if (quiet && items.Length > 2 * Keep) Array.Resize(ref list.Items, Keep);
        }
    }

    /// <summary>Free nodes and free-list slots held now (for tests of trimming)</summary>
    internal readonly (int Nodes, int Slots) Held
    {
        get
        {
            int nodes = 0, slots = 0;
            foreach (FreeList l in _free)
            {
                nodes += l.Count;
                slots += l.Items?.Length ?? 0;
            }
            return (nodes, slots);
        }
    }
}
