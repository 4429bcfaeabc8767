namespace Stakker.Calls;

/// <summary>Base of every pooled runtime object: queued calls and Ret nodes</summary>
/// <remarks>
/// <see cref="Next"/> links a node into exactly one list at a time: a call queue, an actor's
/// Prep queue, or its per-<see cref="Core"/> free list. Touched only on the Core's thread.
/// </remarks>
internal abstract class PoolNode
{
    /// <summary>Next node in whichever single list holds this node</summary>
    internal PoolNode? Next;

    /// <summary>This node type's free list in its Core (<see cref="PoolSlot{TNode}.Id"/>, stored so
    /// returning a node needs no generic lookup)</summary>
    internal int PoolId = -1;

    /// <summary>Lets go of what a free node kept for store-skipping (its last target, handler,
    /// continuation): called on nodes in the pool when the Core trims</summary>
    internal virtual void Scrub() { }
}

/// <summary>One node type's free nodes, as a stack</summary>
/// <remarks>An array stack rather than a linked list: renting stores no reference (no GC write
/// barrier) and returning stores one, where a list costs one and two.</remarks>
internal struct FreeList
{
    internal NodeRef[]? Items;
    internal int Count;
}

/// <summary>A node reference in an array; a struct so stores skip the array covariance check</summary>
internal struct NodeRef
{
    internal PoolNode? Node;
}

/// <summary>Gives each pooled node type a small index into a Core's free-list table</summary>
/// <remarks>Assigned once per closed type at type initialisation; the only atomic is there.</remarks>
internal static class PoolSlot<TNode> where TNode : PoolNode
{
    internal static readonly int Id = PoolSlots.Next();
}

internal static class PoolSlots
{
    static int s_count;
    internal static int Next() => Interlocked.Increment(ref s_count) - 1;
    internal static int Count => Volatile.Read(ref s_count);
}
