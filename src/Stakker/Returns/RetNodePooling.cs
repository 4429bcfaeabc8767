using System.Runtime.CompilerServices;
using Stakker.Calls;

namespace Stakker.Returns;

/// <summary>Renting Ret end-points from a Core's node pool</summary>
internal static class RetNodePooling
{
    /// <summary>Rents a Ret end-point bound to <paramref name="core"/></summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TNode RentRet<TNode>(this NodePool pool, Core core) where TNode : RetNodeBase, new()
    {
        core.CheckThread();
        TNode n = pool.Rent<TNode>();
        n.Core ??= core;   // a pooled node never changes Core: store it once
        return n;
    }
}
