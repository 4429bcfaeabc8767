using System.Runtime.CompilerServices;
using Stakker.Actors;
using Stakker.Calls;
using Stakker.Internal;

namespace Stakker.Returns;

/// <summary>Keeps track of who holds a Ret passed as a call argument of type <typeparamref name="T"/></summary>
/// <remarks>
/// <see cref="IsRet"/> is fixed per type, so for the usual non-Ret arguments every method here is a
/// constant-false branch the JIT removes. For a Ret argument the holder moves: queued call, then
/// the actor the call ran on (if the handler neither answered nor passed it on).
/// </remarks>
internal static class RetTrack<T>
{
    internal static readonly bool IsRet = typeof(IRetHandle).IsAssignableFrom(typeof(T));

    /// <summary>The call <paramref name="holder"/> now carries the Ret</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Enqueued(ref T arg, CallNode holder)
    {
        if (IsRet) RetTracking.Enqueued(Unsafe.As<T, RetHandle>(ref arg), holder);
    }

    /// <summary>The call ran on <paramref name="cell"/>: an unanswered, unmoved Ret is now the actor's</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Ran(ref T arg, CallNode holder, ActorCellBase cell)
    {
        if (IsRet) RetTracking.Ran(Unsafe.As<T, RetHandle>(ref arg), holder, cell);
    }

    /// <summary>True for a Ret that was already answered or disposed</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsStale(ref T arg) => IsRet && RetTracking.IsStale(Unsafe.As<T, RetHandle>(ref arg));

    /// <summary>The call <paramref name="holder"/> was dropped: a Ret it carries answers "no value",
    /// whether the call or (for a timer call to <paramref name="cell"/>) the actor holds it</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Dropped(ref T arg, CallNode holder, ActorCellBase? cell = null)
    {
        if (IsRet) RetTracking.Dropped(Unsafe.As<T, RetHandle>(ref arg), holder, cell);
    }

    /// <summary>The call <paramref name="holder"/> waits in a timer of <paramref name="cell"/>: the
    /// actor holds the Ret, so it answers "no value" as soon as the actor ends, not at the expiry</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Timed(ref T arg, CallNode holder, ActorCellBase cell)
    {
        if (IsRet) RetTracking.Timed(Unsafe.As<T, RetHandle>(ref arg), holder, cell);
    }
}

internal static class RetTracking
{
    // Variants for an argument already known to be a Ret (Call1's tracked path): no per-type lookup.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsStaleRet<T>(ref T ret) => IsStale(Unsafe.As<T, RetHandle>(ref ret));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void EnqueuedRet<T>(ref T ret, CallNode holder) => Enqueued(Unsafe.As<T, RetHandle>(ref ret), holder);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void RanRet<T>(ref T ret, CallNode holder, ActorCellBase cell) => Ran(Unsafe.As<T, RetHandle>(ref ret), holder, cell);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void DroppedRet<T>(ref T ret, CallNode holder, ActorCellBase cell) => Dropped(Unsafe.As<T, RetHandle>(ref ret), holder, cell);

    internal static void Enqueued(RetHandle h, CallNode holder)
    {
        RetNodeBase? n = h.Node;
        // A stale Ret travels untracked: there is nothing left to answer. (Public entry points
        // reject it first; see IsStale. The runtime's own re-posts may carry one, e.g. a client's Ret
        // as the fixed argument of a forwarding Ret whose actor has since ended.)
        if (n is null || n.Version != h.Version) return;
        n.HoldBy((object)holder);
    }

    internal static bool IsStale(RetHandle h) => h.Node is { } n && n.Version != h.Version;

    internal static void Ran(RetHandle h, CallNode holder, ActorCellBase cell)
    {
        RetNodeBase? n = h.Node;
        if (n is null || n.Version != h.Version || !ReferenceEquals(n.Holder, holder)) return;
        if (cell.State == ActorState.Zombie)
        {
            // The handler ended its own actor: nobody is left to answer.
            n.Unhold();
            n.Abandon();
        }
        else
        {
            n.HoldBy(cell);
        }
    }

    /// <summary>A dropped call answers "no value" for a Ret it holds, or (a timer call) its actor holds</summary>
    internal static void Dropped(RetHandle h, CallNode holder, ActorCellBase? cell)
    {
        RetNodeBase? n = h.Node;
        if (n is null || n.Version != h.Version) return;
        if (!ReferenceEquals(n.Holder, holder) && (cell is null || !ReferenceEquals(n.Holder, cell))) return;
        n.Unhold();
        n.Abandon();
    }

    internal static void Timed(RetHandle h, CallNode holder, ActorCellBase cell)
    {
        RetNodeBase? n = h.Node;
        if (n is null || n.Version != h.Version || !ReferenceEquals(n.Holder, holder)) return;
        n.HoldBy(cell);
    }
}
