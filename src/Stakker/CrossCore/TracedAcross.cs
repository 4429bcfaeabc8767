using System.Diagnostics;
using Stakker.Calls;

namespace Stakker.CrossCore;

/// <summary>Carrying a call's parent activity over a thread or Core boundary, while tracing is active</summary>
/// <remarks>
/// Everything here is reached only behind a test of <see cref="Core.Diverted"/> (the sending Core's,
/// or for a thread running no Core the receiving one's), so the untraced path is that one test. On
/// arrival the parent becomes the receiving Core's <see cref="Core.TraceParent"/> while the call is
/// queued there, so the queue's own diversion (Diagnostics/StakkerTracing.cs) makes the span a child of it.
/// </remarks>
internal static class TraceCarry
{
    /// <summary>The activity a call made now on <paramref name="core"/>'s thread continues</summary>
    internal static ActivityContext Current(Core core) => Activity.Current?.Context ?? core.TraceParent;

    /// <summary>A parcel going from <paramref name="from"/> to another Core, wrapped with its parent if there is one</summary>
    internal static object Parcel(Core from, ICrossParcel parcel)
    {
        ActivityContext parent = Current(from);
        return parent == default ? parcel : new TracedParcel(parcel, parent);
    }

    /// <summary>An inline call going from <paramref name="from"/> to another Core, as a parcel with its parent</summary>
    /// <remarks>Even with no parent: a slot would be queued as it is on arrival, where a traced Core
    /// could not make its span.</remarks>
    internal static unsafe object Inline(Core? from, object target, object fn, delegate*<Core, ref CallSlot, void> invoke, object? arg, long bits) =>
        new TracedInline(target, fn, invoke, arg, bits, from is null ? Activity.Current?.Context ?? default : Current(from));

    /// <summary>A parcel posted by a thread running no Core, wrapped with that thread's activity if there is one</summary>
    internal static object Foreign(ICrossParcel parcel) =>
        Activity.Current is { } a ? new TracedParcel(parcel, a.Context) : parcel;

    /// <summary>Work posted by a thread running no Core, wrapped with that thread's activity if there is one</summary>
    internal static RemoteWork Foreign(RemoteWork work) =>
        Activity.Current is { } a ? new TracedWork(work, a.Context) : work;

    /// <summary>Runs <paramref name="queue"/> on <paramref name="here"/> with <paramref name="parent"/> as the parent of what it queues</summary>
    internal static void Under<TState>(Core here, ActivityContext parent, Action<Core, TState> queue, TState state)
    {
        ActivityContext outer = here.TraceParent;
        here.TraceParent = parent;
        try { queue(here, state); }
        finally { here.TraceParent = outer; }
    }
}

/// <summary>A parcel (a call with arguments that cannot ride in a slot, a Ret's answer, a Fwd's
/// item) with the activity that sent it</summary>
internal sealed class TracedParcel(ICrossParcel inner, ActivityContext parent) : ICrossParcel
{
    /// <summary>The wrapper is not pooled, and the parcel inside it, even if done with, is not taken back</summary>
    public bool Arrive(Core here, CrossLink? link)
    {
        TraceCarry.Under(here, parent, static (h, s) => s.Inner.Arrive(h, s.Link), (Inner: inner, Link: link));
        return false;
    }

    public void Undelivered(ref Exception? error) => inner.Undelivered(ref error);
}

/// <summary>A call that would have ridden in a slot as it is, sent as a parcel to carry its activity</summary>
internal sealed unsafe class TracedInline(object target, object fn, delegate*<Core, ref CallSlot, void> invoke, object? arg, long bits,
    ActivityContext parent) : ICrossParcel
{
    public bool Arrive(Core here, CrossLink? link)
    {
        if (here.IsDisposed) return false;   // as an inline call: nothing runs, and it carries no Ret
        SlotCall node = SlotCall.Make(here, target, fn, invoke, arg, bits);
        TraceCarry.Under(here, parent, static (h, n) => h.Push(n), node);
        return false;
    }

    public void Undelivered(ref Exception? error) { /* an inline call holds no Ret */ }
}

/// <summary>Work from a thread running no Core (<see cref="Core.PostFromAnyThread"/>, an <c>Ask</c>)
/// with that thread's activity</summary>
internal sealed class TracedWork(RemoteWork inner, ActivityContext parent) : RemoteWork
{
    internal override void Queue(Core core) => TraceCarry.Under(core, parent, static (c, w) => w.Queue(c), inner);
}
