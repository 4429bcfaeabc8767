using System.Diagnostics;
using System.Runtime.CompilerServices;
using Stakker.Calls;
using Stakker.Returns;

namespace Stakker;

public sealed partial class Core
{
    /// <summary>Free lists of pooled nodes, one per node type, indexed by <see cref="PoolSlot{TNode}.Id"/></summary>
    /// <remarks>
    /// Per Core rather than [ThreadStatic]: no thread-local lookup on the hot path, and nodes never
    /// travel between runtimes. The pool keeps its high-water mark: after a burst of N queued calls,
    /// N nodes stay ready for the next burst.
    /// </remarks>
    FreeList[] _free;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal TNode Rent<TNode>() where TNode : PoolNode, new()
    {
        int id = PoolSlot<TNode>.Id;
        FreeList[] free = _free;
        if ((uint)id < (uint)free.Length && free[id].Head is { } n)
        {
            free[id].Head = n.Next;
            n.Next = null;
            return Unsafe.As<TNode>(n);
        }
        return RentNew<TNode>(id);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static TNode RentNew<TNode>(int id) where TNode : PoolNode, new() => new() { PoolId = id };

    /// <summary>Puts a node back on its free list</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Return(PoolNode node)
    {
        Debug.Assert(node.PoolId >= 0, "Only a node rented from a pool goes back to one.");
        int id = node.PoolId;
        FreeList[] free = _free;
        if ((uint)id >= (uint)free.Length) free = GrowPool(id);
        node.Next = free[id].Head;
        free[id].Head = node;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    FreeList[] GrowPool(int id)
    {
        Array.Resize(ref _free, Math.Max(id + 1, _free.Length * 2));
        return _free;
    }

    /// <summary>Rents a Ret end-point bound to this Core</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal TNode RentRet<TNode>() where TNode : RetNodeBase, new()
    {
        CheckThread();
        TNode n = Rent<TNode>();
        n.Core = this;
        return n;
    }
}
