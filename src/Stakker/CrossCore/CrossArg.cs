using System.Runtime.CompilerServices;
using Stakker.Internal;
using Stakker.Returns;

namespace Stakker.CrossCore;

/// <summary>What crossing to another Core does to one call argument of type <typeparamref name="T"/></summary>
/// <remarks>
/// <para>A Ret or Fwd is an end-point on the Core that made it and may only be used on that Core's
/// thread. Passed directly as an argument of a cross-Core call, it is replaced on arrival by a
/// stand-in on the receiving Core (<see cref="RetAcross{T}"/>, <see cref="FwdAcross{T}"/>) that sends
/// whatever it is given back to the original, so the receiver answers it exactly as it would a
/// local one. Any other argument crosses as it is: the sender must not touch it afterwards (as with
/// any message between threads). A Ret or Fwd inside another object is not seen, as locally.</para>
/// <para>The type tests are fixed per type, so for ordinary arguments every method here is empty.</para>
/// </remarks>
internal static class CrossArg<T>
{
    /// <summary>Refuses a call whose argument hides an end-point (see <see cref="HidesEndPoint"/>)</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CheckNotHidden()
    {
        if (HidesEndPoint) ThrowHelper.ThrowEndPointInTuple(typeof(T));
    }

    internal static readonly bool IsRet = RetArg<T>.IsRet;

    internal static readonly bool IsFwd = typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(Fwd<>);

    /// <summary>True if the argument can ride in a batch slot as it is (no bridging, and it fits a slot)</summary>
    internal static readonly bool Inline = !IsRet && !IsFwd &&
        (!typeof(T).IsValueType || (!RuntimeHelpers.IsReferenceOrContainsReferences<T>() && Unsafe.SizeOf<T>() <= sizeof(long)));

    /// <summary>True if the argument must be replaced on arrival</summary>
    internal static readonly bool Bridged = IsRet || IsFwd;

    /// <summary>True for a tuple with a Ret or Fwd among its items (at any depth of nested tuples): it
    /// would cross as it is, and the end-point, used on the other Core's thread, would fail there later
    /// with the wrong-thread error, far from the mistake. A cross-Core call refuses it at once.</summary>
    internal static readonly bool HidesEndPoint = !Bridged && CrossArgTypes.HidesEndPoint(typeof(T));

    /// <summary>The call leaves <paramref name="from"/>: a Ret must be pending and belong to
    /// <paramref name="from"/>, and is held by its links until the answer comes back</summary>
    internal static void Depart(ref T arg, Core from)
    {
        if (IsRet)
        {
            RetHandle h = Unsafe.As<T, RetHandle>(ref arg);
            if (h.Node is not { } n) return;
            if (n.Version != h.Version) ThrowHelper.ThrowRetPassedAfterAnswer();
            if (!ReferenceEquals(n.Core, from)) ThrowHelper.ThrowRetFromOtherCore();
            RetHolding.HoldBy(n, from.Links.Outgoing);
        }
    }

    /// <summary>The call reached <paramref name="here"/>: replace a Ret or Fwd by its stand-in</summary>
    internal static void Arrive(ref T arg, Core here, CrossLink back)
    {
        if (IsRet)
        {
            RetHandle h = Unsafe.As<T, RetHandle>(ref arg);
            // A Version read from another thread: the origin only ever increases it, so a stale read
            // at worst makes a stand-in whose answer the origin will ignore.
            if (h.Node is { } n && Volatile.Read(ref n.Version) == h.Version)
            {
                RetNodeBase across = n.Across(here, back, h.Version);
                var stand = new RetHandle(across);
                arg = Unsafe.As<RetHandle, T>(ref stand);
            }
            else arg = default!;   // answered at its origin meanwhile (its Core closed): a no-op Ret
        }
        else if (IsFwd && Unsafe.As<T, object?>(ref arg) is IFwdAcross fwd)
        {
            object stand = fwd.Across(here, back);
            arg = Unsafe.As<object, T>(ref stand);
        }
    }

    /// <summary>The call never reached its Core: on the sending Core, a Ret answers "no value"</summary>
    internal static void Undelivered(ref T arg, ref Exception? error)
    {
        if (!IsRet) return;
        RetHandle h = Unsafe.As<T, RetHandle>(ref arg);
        if (h.Node is not { } n || n.Version != h.Version) return;
        try { RetHolding.ReleaseAndAbandon(n); }
        catch (Exception ex) { error ??= ex; }
    }
}

/// <summary>A <see cref="Fwd{T}"/> that can make its stand-in on another Core</summary>
internal interface IFwdAcross
{
    object Across(Core here, CrossLink back);
}

/// <summary>Type tests shared by every <see cref="CrossArg{T}"/></summary>
internal static class CrossArgTypes
{
    /// <summary>True if <paramref name="type"/> is a tuple (value or reference) holding a Ret or Fwd, directly or in a nested tuple</summary>
    internal static bool HidesEndPoint(Type type)
    {
        if (!IsTuple(type)) return false;
        foreach (Type item in type.GetGenericArguments())
        {
            if (IsEndPoint(item) || HidesEndPoint(item)) return true;
        }
        return false;
    }

    static bool IsTuple(Type t) =>
        t.IsGenericType && t.Namespace == "System" && (t.Name.StartsWith("ValueTuple`", StringComparison.Ordinal) || t.Name.StartsWith("Tuple`", StringComparison.Ordinal));

    static bool IsEndPoint(Type t) =>
        t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(Fwd<>) || t.GetGenericTypeDefinition() == typeof(Ret<>));
}
