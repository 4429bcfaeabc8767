using System.Diagnostics;
using Stakker.Actors;
using Stakker.Calls;

namespace Stakker.Returns;

/// <summary>The pooled end-point behind a <see cref="Ret{T}"/> handle</summary>
/// <remarks>
/// <para><see cref="Version"/> is bumped when the Ret is answered or abandoned, so every handle made
/// before that becomes stale: a second answer is detected even after the node was reused.</para>
/// <para><see cref="Holder"/> is who must answer "no value" if the Ret is never answered: the queued
/// call carrying it, or the actor that call was delivered to (then the node is also linked into that
/// actor's <see cref="RetHolder.HeldRets"/>). Null means free-standing: only disposal or an
/// answer ends it. Only <see cref="RetHolding"/> changes these fields; its remarks give the rules.</para>
/// </remarks>
internal abstract partial class RetNodeBase : CallNode
{
    internal Core Core = null!;
    internal int Version;
    internal object? Holder;
    /// <summary><see cref="Holder"/> when it keeps a list of what it holds (an actor, or a Core's
    /// Rets in flight to other Cores); kept apart so unlinking needs no type test</summary>
    internal RetHolder? HolderCell;
    internal RetNodeBase? HeldPrev;
    internal RetNodeBase? HeldNext;

    /// <summary>Delivers "no value"; the node is already closed (version bumped, unheld)</summary>
    internal abstract void DeliverNone();

    /// <summary>Delivers "no value" saying why (<paramref name="cause"/> is a <c>StopCause</c>, typed
    /// object so Returns stays below Actors); end-points that cannot pass a cause on deliver plain "no value"</summary>
    internal virtual void DeliverNone(object cause) => DeliverNone();

    // Most end-points hand their answer on and go back to the pool. Those that deliver to an actor
    // queue themselves as the call that carries the answer (one pooled node, not two) and override these.
    internal override void Run(Core core) => Debug.Fail("This Ret end-point is never queued.");
    internal override void Drop(Core core) => Debug.Fail("This Ret end-point is never queued.");

    /// <summary>Closes the node and delivers "no value"</summary>
    internal void Abandon()
    {
        Debug.Assert(Holder is null, "Release from the holder before abandoning.");
        Version++;
        if (Core is { } core) core.RetsAbandoned++;
        DeliverNone();
    }

    /// <summary>Closes the node and delivers "no value" with <paramref name="cause"/> (a <c>StopCause</c>)</summary>
    internal void Abandon(object cause)
    {
        Debug.Assert(Holder is null, "Release from the holder before abandoning.");
        Version++;
        if (Core is { } core) core.RetsAbandoned++;
        DeliverNone(cause);
    }
}

/// <summary>A Ret end-point for values of type <typeparamref name="T"/></summary>
internal abstract partial class RetNode<T> : RetNodeBase
{
    /// <summary>Delivers a value; the node is already closed (version bumped, unheld)</summary>
    internal abstract void Deliver(T value);
}
