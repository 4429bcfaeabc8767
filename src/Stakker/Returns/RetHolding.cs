using System.Runtime.CompilerServices;
using Stakker.Calls;

namespace Stakker.Returns;

/// <summary>Who holds a Ret, and what happens to the Rets a holder has when it ends: the one place for both</summary>
/// <remarks>
/// <para>A Ret is answered exactly once: with a value, or with "no value" as soon as nobody can answer
/// it any more. To know when that is, every pending Ret has at most one <em>holder</em>, recorded in its
/// node (<see cref="RetNodeBase.Holder"/>; an actor holder also links the node into the actor's
/// <see cref="RetHolder.HeldRets"/>). The rules, for calls of every arity alike:</para>
/// <list type="number">
/// <item>A new Ret has no holder: only <c>Answer</c> or <c>Dispose</c> ends it.</item>
/// <item>Passed directly as an argument of a queued call (<see cref="Enqueued"/>), the call holds it,
/// taking it from any previous holder. A timer call's Ret is held by the timer's actor while the timer
/// waits (<see cref="Timed"/>), so it answers "no value" as soon as that actor ends.</item>
/// <item>When the call has run (<see cref="Ran"/>), a Ret it still holds (the handler neither answered,
/// disposed nor passed it on) is held by the actor that ran it; if that actor has ended, it answers
/// "no value" at once.</item>
/// <item>When the call is dropped (<see cref="Dropped"/>: its actor ended, its timer was cancelled,
/// the Core was disposed), a Ret it holds answers "no value".</item>
/// <item>When an actor ends, every Ret it holds answers "no value", newest first
/// (<see cref="AbandonAllHeldBy"/>, called by the teardown after the state's <c>Dispose</c>, which may
/// still answer them with values).</item>
/// <item><c>Answer</c> and <c>Dispose</c> release a Ret from its holder (<see cref="Release"/>);
/// <c>Core.Create</c> and async bodies take a Ret from its holder to keep it themselves.</item>
/// <item>Passed in a call to an actor on another Core (<see cref="CrossCoreActor{T}"/>), the Ret is held
/// by its own Core's links (<see cref="CrossCore.CoreLinks.Outgoing"/>) until the answer comes back; if
/// that Core closes first, it answers "no value" then. On the receiving Core a stand-in
/// (<see cref="CrossCore.RetAcross{T}"/>) takes its place and follows these same rules there; whatever
/// the stand-in is given (a value, or "no value") travels back and answers the original.</item>
/// </list>
/// <para>A Ret inside another object is not seen: it stays with its previous holder
/// (<c>docs/semantics.md</c> section 8). A stale Ret passed by the runtime itself travels untracked.</para>
/// <para>The per-argument methods are no-ops unless the argument type is a Ret: a constant the
/// JIT folds away for ordinary arguments.</para>
/// </remarks>
internal static class RetHolding
{
    /// <summary>True for a Ret that was already answered or disposed</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsStale<T>(ref T arg) =>
        RetArg<T>.IsRet && Unsafe.As<T, RetHandle>(ref arg) is { Node: { } n } h && n.Version != h.Version;

    /// <summary>Rule 2: the queued call <paramref name="call"/> now holds the Ret</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Enqueued<T>(ref T arg, CallNode call)
    {
        if (RetArg<T>.IsRet && Pending(ref arg) is { } n) HoldBy(n, call);
    }

    /// <summary>Rule 2, timers: the actor <paramref name="cell"/> holds the Ret its timer call carries</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Timed<T>(ref T arg, CallNode call, RetHolder cell)
    {
        if (RetArg<T>.IsRet && Pending(ref arg) is { } n && ReferenceEquals(n.Holder, call)) HoldBy(n, cell);
    }

    /// <summary>Rule 3: the call ran on the actor <paramref name="cell"/>; <paramref name="cellEnded"/>
    /// when the handler ended it</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Ran<T>(ref T arg, CallNode call, RetHolder cell, bool cellEnded)
    {
        if (RetArg<T>.IsRet && Pending(ref arg) is { } n && ReferenceEquals(n.Holder, call))
        {
            if (cellEnded) ReleaseAndAbandon(n);
            else HoldBy(n, cell);
        }
    }

    /// <summary>Rule 4: the call was dropped; <paramref name="cell"/> is the actor of a timer call, whose Ret it held</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Dropped<T>(ref T arg, CallNode call, RetHolder? cell = null)
    {
        if (RetArg<T>.IsRet && Pending(ref arg) is { } n && (ReferenceEquals(n.Holder, call) || (cell is not null && ReferenceEquals(n.Holder, cell))))
            ReleaseAndAbandon(n);
    }

    /// <summary>Rule 4 for one argument of a call holding several: a callback's exception is kept in
    /// <paramref name="error"/> (the first one) so the other arguments are still answered</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void DroppedOneOfMany<T>(ref T arg, CallNode call, RetHolder cell, ref Exception? error)
    {
        if (!RetArg<T>.IsRet) return;
        try { Dropped(ref arg, call, cell); }
        catch (Exception ex) { error ??= ex; }
    }

    /// <summary>Rule 5: "no value" for every Ret <paramref name="cell"/> holds; returns the first error a callback threw</summary>
    /// <remarks>Every Ret is answered even if an earlier one's callback throws.</remarks>
    internal static Exception? AbandonAllHeldBy(RetHolder cell)
    {
        Exception? error = null;
        while (cell.HeldRets is { } n)
        {
            try { ReleaseAndAbandon(n); }
            catch (Exception ex) { error ??= ex; }
        }
        return error;
    }

    /// <summary>Rule 6: detaches the Ret from whatever holds it</summary>
    internal static void Release(RetNodeBase n)
    {
        if (n.HolderCell is { } cell)
        {
            n.HolderCell = null;
            if (n.HeldPrev is null) cell.HeldRets = n.HeldNext;
            else n.HeldPrev.HeldNext = n.HeldNext;
            if (n.HeldNext is not null) n.HeldNext.HeldPrev = n.HeldPrev;
            n.HeldPrev = null;
            n.HeldNext = null;
        }
        n.Holder = null;
    }

    /// <summary>Releases and answers "no value"</summary>
    internal static void ReleaseAndAbandon(RetNodeBase n)
    {
        Release(n);
        n.Abandon();
    }

    /// <summary>The node of a pending Ret argument, or null (no-op Ret, or stale: nothing left to answer)</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static RetNodeBase? Pending<T>(ref T arg)
    {
        RetHandle h = Unsafe.As<T, RetHandle>(ref arg);
        return h.Node is { } n && n.Version == h.Version ? n : null;
    }

    static void HoldBy(RetNodeBase n, object call)
    {
        Release(n);
        n.Holder = call;
    }

    internal static void HoldBy(RetNodeBase n, RetHolder cell)
    {
        Release(n);
        n.Holder = cell;
        n.HolderCell = cell;
        n.HeldNext = cell.HeldRets;
        if (n.HeldNext is not null) n.HeldNext.HeldPrev = n;
        cell.HeldRets = n;
    }
}

/// <summary>Whether call arguments of type <typeparamref name="T"/> are Rets (fixed per type)</summary>
internal static class RetArg<T>
{
    internal static readonly bool IsRet = typeof(IRetHandle).IsAssignableFrom(typeof(T));
}
