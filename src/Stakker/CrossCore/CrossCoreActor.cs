using System.Diagnostics;
using System.Runtime.CompilerServices;
using Stakker.Actors;
using Stakker.Calls;
using Stakker.CrossCore;
using Stakker.Internal;

namespace Stakker;

/// <summary>A handle to an actor that may be called from any thread: from actors on other Cores
/// (batched), or from threads running no Core</summary>
/// <remarks>
/// <para>Made on the actor's own Core with <see cref="Actor{T}.CrossCore"/>, then copied anywhere.
/// Calls are written exactly as local ones (<c>remote.Call(static (a, cx, x) => a.Add(cx, x), 5)</c>)
/// and keep the local rules: queued, run in the order each sender made them, dropped (Rets answering
/// "no value") if the actor has ended.</para>
/// <para>From an actor (or callback) running on another Core, a call goes into that Core's batch for
/// the actor's Core, handed over when the batch is full or the sending <see cref="Core.Run"/> ends:
/// one lock and one wake per batch, not per call. From the actor's own Core it is a plain local
/// call. From a thread running no Core, each call is handed over at once.</para>
/// <para>A <see cref="Ret{T}"/> or <see cref="Fwd{T}"/> passed as an argument works as locally: the
/// receiver answers or sends on its own Core, and the result comes back to the Core that made it, as
/// a call there. If the receiver ends without answering, the call is dropped, or the receiving Core
/// closes, the Ret answers "no value" exactly once. A Ret or Fwd can cross only in a call made on the
/// Core that made it.</para>
/// <para>Bounded: each sending Core may have <see cref="Core.CrossCoreCapacity"/> calls on the way to
/// one receiving Core; past that, <see cref="Call(ActorCall{T})"/> throws
/// <see cref="CrossCoreFullException"/> and queues nothing. <see cref="HasRoom"/> tells beforehand.</para>
/// <para>The actor's state must never be reached through anything but calls: arguments cross to
/// another thread, so pass values or objects the sender no longer touches.</para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public readonly struct CrossCoreActor<T> : IEquatable<CrossCoreActor<T>> where T : class
{
    readonly ActorCell<T>? _cell;
    readonly CrossGate? _gate;

    internal CrossCoreActor(ActorCell<T> cell, CrossGate gate)
    {
        _cell = cell;
        _gate = gate;
    }

    /// <summary>True for a handle that refers to an actor (false for <c>default</c>)</summary>
    public bool IsValid => _cell is not null;

    /// <summary>Identifies the actor within its Core (for logs and messages)</summary>
    public long Id => CellOrThrow().Id;

    /// <summary>True if a call made here and now would be accepted (not refused for capacity)</summary>
    /// <remarks>Always true on the actor's own Core; false once its Core has closed is not reported
    /// here (such calls are accepted and dropped, as calls to an ended actor).</remarks>
    public bool HasRoom
    {
        get
        {
            ActorCell<T> cell = CellOrThrow();
            Core? from = Core.Running;
            if (ReferenceEquals(from, cell.Core)) return true;
            return from is null ? _gate!.HasForeignRoom : from.Links.To(_gate!).HasRoom;
        }
    }

    /// <summary>The local handle, when called on the actor's own Core's thread</summary>
    /// <returns>False on any other thread.</returns>
    public bool TryGetLocal(out Actor<T> actor)
    {
        ActorCell<T> cell = CellOrThrow();
        if (ReferenceEquals(Core.Running, cell.Core))
        {
            actor = new Actor<T>(cell);
            return true;
        }
        actor = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ActorCell<T> CellOrThrow()
    {
        ActorCell<T>? c = _cell;
        if (c is null) ThrowHelper.ThrowDefaultActor(typeof(T));
        return c;
    }

    /// <summary>Queues a call with no arguments</summary>
    public unsafe void Call(ActorCall<T> handler)
    {
        ActorCell<T> cell = CellOrThrow();
        if (handler is null) ThrowHelper.ThrowArgumentNull(nameof(handler));
        Core? from = Core.Running;
        if (ReferenceEquals(from, cell.Core)) cell.Core.Post(cell, handler);
        else CrossSend.Inline(cell, handler, InlineCall<T>.RunFn, null, 0, _gate!, from);
    }

    /// <summary>Queues a call with one argument</summary>
    public unsafe void Call<T1>(ActorCall<T, T1> handler, T1 arg1)
    {
        ActorCell<T> cell = CellOrThrow();
        if (handler is null) ThrowHelper.ThrowArgumentNull(nameof(handler));
        Core? from = Core.Running;
        if (ReferenceEquals(from, cell.Core)) { cell.Core.Post(cell, handler, arg1); return; }
        CrossArg<T1>.CheckNotHidden();
        if (CrossArg<T1>.Inline)
        {
            if (!typeof(T1).IsValueType)
            {
                CrossSend.Inline(cell, handler, InlineCall<T, T1>.RunRefFn, Unsafe.As<T1, object?>(ref arg1), 0, _gate!, from);
                return;
            }
            long bits = 0;
            Unsafe.As<long, T1>(ref bits) = arg1;
            CrossSend.Inline(cell, handler, InlineCall<T, T1>.RunBitsFn, null, bits, _gate!, from);
            return;
        }
        CrossSend.Parcel(cell, _gate!, from, new CallArgs<T, T1> { Fn = handler, A1 = arg1 }, CrossArg<T1>.Bridged);
    }

    /// <summary>Queues a call with two arguments</summary>
    public void Call<T1, T2>(ActorCall<T, T1, T2> handler, T1 arg1, T2 arg2)
    {
        ActorCell<T> cell = CellOrThrow();
        if (handler is null) ThrowHelper.ThrowArgumentNull(nameof(handler));
        Core? from = Core.Running;
        if (ReferenceEquals(from, cell.Core)) { cell.Core.Post(cell, handler, arg1, arg2); return; }
        CrossArg<T1>.CheckNotHidden();
        CrossArg<T2>.CheckNotHidden();
        CrossSend.Parcel(cell, _gate!, from, new CallArgs<T, T1, T2> { Fn = handler, A1 = arg1, A2 = arg2 },
            CrossArg<T1>.Bridged || CrossArg<T2>.Bridged);
    }

    /// <summary>Queues a call with three arguments</summary>
    public void Call<T1, T2, T3>(ActorCall<T, T1, T2, T3> handler, T1 arg1, T2 arg2, T3 arg3)
    {
        ActorCell<T> cell = CellOrThrow();
        if (handler is null) ThrowHelper.ThrowArgumentNull(nameof(handler));
        Core? from = Core.Running;
        if (ReferenceEquals(from, cell.Core)) { cell.Core.Post(cell, handler, arg1, arg2, arg3); return; }
        CrossArg<T1>.CheckNotHidden();
        CrossArg<T2>.CheckNotHidden();
        CrossArg<T3>.CheckNotHidden();
        CrossSend.Parcel(cell, _gate!, from, new CallArgs<T, T1, T2, T3> { Fn = handler, A1 = arg1, A2 = arg2, A3 = arg3 },
            CrossArg<T1>.Bridged || CrossArg<T2>.Bridged || CrossArg<T3>.Bridged);
    }

    /// <summary>Queues a call with four arguments</summary>
    public void Call<T1, T2, T3, T4>(ActorCall<T, T1, T2, T3, T4> handler, T1 arg1, T2 arg2, T3 arg3, T4 arg4)
    {
        ActorCell<T> cell = CellOrThrow();
        if (handler is null) ThrowHelper.ThrowArgumentNull(nameof(handler));
        Core? from = Core.Running;
        if (ReferenceEquals(from, cell.Core)) { cell.Core.Post(cell, handler, arg1, arg2, arg3, arg4); return; }
        CrossArg<T1>.CheckNotHidden();
        CrossArg<T2>.CheckNotHidden();
        CrossArg<T3>.CheckNotHidden();
        CrossArg<T4>.CheckNotHidden();
        CrossSend.Parcel(cell, _gate!, from, new CallArgs<T, T1, T2, T3, T4> { Fn = handler, A1 = arg1, A2 = arg2, A3 = arg3, A4 = arg4 },
            CrossArg<T1>.Bridged || CrossArg<T2>.Bridged || CrossArg<T3>.Bridged || CrossArg<T4>.Bridged);
    }

    /// <summary>Same actor</summary>
    public bool Equals(CrossCoreActor<T> other) => ReferenceEquals(_cell, other._cell);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CrossCoreActor<T> a && Equals(a);
    /// <inheritdoc/>
    public override int GetHashCode() => _cell is null ? 0 : RuntimeHelpers.GetHashCode(_cell);
    /// <summary>Same actor</summary>
    public static bool operator ==(CrossCoreActor<T> a, CrossCoreActor<T> b) => a.Equals(b);
    /// <summary>Different actors</summary>
    public static bool operator !=(CrossCoreActor<T> a, CrossCoreActor<T> b) => !a.Equals(b);

    /// <summary>"Light#3 (cross-Core)"</summary>
    public override string ToString() => _cell is null ? "CrossCoreActor<" + typeof(T).Name + ">(none)" : _cell.Name + " (cross-Core)";
}
