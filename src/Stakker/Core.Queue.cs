using System.Runtime.CompilerServices;
using Stakker.Actors;
using Stakker.Calls;
using Stakker.Internal;
using Stakker.Returns;

namespace Stakker;

public sealed partial class Core
{
    /// <summary>Queues a plain action on the main queue</summary>
    /// <remarks>For code outside actors (drivers, callbacks). The action is not an actor handler: an
    /// exception from it propagates out of <see cref="Run"/>.</remarks>
    public void Defer(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckThread();
        Push(PlainCall(action));
    }

    /// <summary>Queues a plain action with a state argument (use a static lambda: no allocation)</summary>
    public void Defer<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckThread();
        Push(PlainCall(action, state));
    }

    /// <summary>Queues a plain action on the lazy queue, run once the main queue is empty</summary>
    public void Lazy(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckThread();
        Push(PlainCall(action), Lane.Lazy);
    }

    /// <summary>Queues a plain action with a state argument on the lazy queue (static lambda: no allocation)</summary>
    public void Lazy<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckThread();
        Push(PlainCall(action, state), Lane.Lazy);
    }

    /// <summary>Queues a plain action with a state argument on the idle queue</summary>
    public void Idle<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckThread();
        Push(PlainCall(action, state), Lane.Idle);
    }

    /// <summary>Queues a plain action on the idle queue, run one per <c>Run(now, idle: true)</c></summary>
    public void Idle(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckThread();
        Push(PlainCall(action), Lane.Idle);
    }

    /// <summary>How deeply plain callbacks (<see cref="Ret.From{T}"/>) may nest before the next one is queued</summary>
    /// <remarks>Such a callback runs where its Ret is answered, so a chain of them, each answering the
    /// next from inside its own callback, would grow the stack without bound. Past this depth the
    /// callback is queued on the main queue and runs in the current <see cref="Run"/> (or the next one,
    /// if the answer was given outside Run), after the calls already queued.</remarks>
    public const int MaxCallbackNesting = 64;

    int _callbackDepth;

    /// <summary>True when plain callbacks already nest <see cref="MaxCallbackNesting"/> deep: the next is queued</summary>
    /// <remarks>After Dispose a queued callback would be dropped unrun, so it then runs inline rather
    /// than lose an answer.</remarks>
    internal bool MustQueueCallback => _callbackDepth >= MaxCallbackNesting && !_disposed;

    /// <summary>Queues a plain callback on the main queue</summary>
    internal void QueueCallback<TArg>(Action<TArg> fn, TArg arg) => Push(PlainCall(fn, arg));

    /// <summary>Runs a plain callback now, or queues it if callbacks already nest too deeply</summary>
    internal void RunCallback<TArg>(Action<TArg> fn, TArg arg)
    {
        if (MustQueueCallback)
        {
            QueueCallback(fn, arg);
            return;
        }
        _callbackDepth++;
        try { fn(arg); }
        finally { _callbackDepth--; }
    }

    /// <summary>True if idle calls are waiting</summary>
    public bool HasIdleWork => !_queues.Idle.IsEmpty;

    ActionCall PlainCall(Action action)
    {
        var n = Pool.Rent<ActionCall>();
        n.Fn = action;
        return n;
    }

    ActionCall<TState> PlainCall<TState>(Action<TState> action, TState state)
    {
        var n = Pool.Rent<ActionCall<TState>>();
        n.Set(action, state);
        return n;
    }

    /// <summary>A call made after <see cref="Dispose"/>: it never runs, and a Ret in it answers "no value" now</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    void DropLate(CallNode node) => node.Drop(this);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void Push(CallNode node, Lane lane = Lane.Main)
    {
        if (_disposed) { DropLate(node); return; }
        _queues.Push(node, lane);
    }

    // Building actor calls. The thread is checked by the public entry points (Actor.Call, Fwd.Send,
    // Ret.Answer) before these run.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Call0<TActor> MakeCall<TActor>(ActorCell<TActor> cell, ActorCall<TActor> fn) where TActor : class
    {
        var n = Pool.Rent<Call0<TActor>>();
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Fn, fn);
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Call1<TActor, T1> MakeCall<TActor, T1>(ActorCell<TActor> cell, ActorCall<TActor, T1> fn, T1 a1, bool strict = true) where TActor : class
    {
        var n = Pool.Rent<Call1<TActor, T1>>();
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Fn, fn);
        n.A1 = a1;
        if (n.Tracked)
        {
            // Tracked: A1 is the Ret.
            if (strict && RetHolding.IsStale(ref n.A1)) RejectStale(n);
            RetHolding.Enqueued(ref n.A1, n);
        }
        return n;
    }

    /// <summary>A call was given a Ret that was already answered: refuse it before anything is held</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    void RejectStale(CallNode n)
    {
        Pool.Return(n);
        ThrowHelper.ThrowRetPassedAfterAnswer();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Call2<TActor, T1, T2> MakeCall<TActor, T1, T2>(ActorCell<TActor> cell, ActorCall<TActor, T1, T2> fn, T1 a1, T2 a2, bool strict = true) where TActor : class
    {
        var n = Pool.Rent<Call2<TActor, T1, T2>>();
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Fn, fn);
        n.A1 = a1;
        n.A2 = a2;
        if (n.Tracked)
        {
            if (strict && (RetHolding.IsStale(ref n.A1) || RetHolding.IsStale(ref n.A2))) RejectStale(n);
            RetHolding.Enqueued(ref n.A1, n);
            RetHolding.Enqueued(ref n.A2, n);
        }
        return n;
    }

    internal Call3<TActor, T1, T2, T3> MakeCall<TActor, T1, T2, T3>(ActorCell<TActor> cell, ActorCall<TActor, T1, T2, T3> fn, T1 a1, T2 a2, T3 a3) where TActor : class
    {
        var n = Pool.Rent<Call3<TActor, T1, T2, T3>>();
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Fn, fn);
        n.A1 = a1;
        n.A2 = a2;
        n.A3 = a3;
        if (n.Tracked)
        {
            if (RetHolding.IsStale(ref n.A1) || RetHolding.IsStale(ref n.A2) || RetHolding.IsStale(ref n.A3)) RejectStale(n);
            RetHolding.Enqueued(ref n.A1, n);
            RetHolding.Enqueued(ref n.A2, n);
            RetHolding.Enqueued(ref n.A3, n);
        }
        return n;
    }

    internal Call4<TActor, T1, T2, T3, T4> MakeCall<TActor, T1, T2, T3, T4>(ActorCell<TActor> cell, ActorCall<TActor, T1, T2, T3, T4> fn, T1 a1, T2 a2, T3 a3, T4 a4) where TActor : class
    {
        var n = Pool.Rent<Call4<TActor, T1, T2, T3, T4>>();
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Fn, fn);
        n.A1 = a1;
        n.A2 = a2;
        n.A3 = a3;
        n.A4 = a4;
        if (n.Tracked)
        {
            if (RetHolding.IsStale(ref n.A1) || RetHolding.IsStale(ref n.A2) || RetHolding.IsStale(ref n.A3) || RetHolding.IsStale(ref n.A4)) RejectStale(n);
            RetHolding.Enqueued(ref n.A1, n);
            RetHolding.Enqueued(ref n.A2, n);
            RetHolding.Enqueued(ref n.A3, n);
            RetHolding.Enqueued(ref n.A4, n);
        }
        return n;
    }

    // A call with no argument, or one argument that is a reference or unmanaged data of up to 8 bytes,
    // goes into the main queue inline (no node); anything else (lazy and idle lanes, Ret arguments,
    // larger structs) in a pooled node. The type tests are JIT-time constants.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal unsafe void Post<TActor>(ActorCell<TActor> cell, ActorCall<TActor> fn, Lane lane = Lane.Main) where TActor : class
    {
        if (lane == Lane.Main && !_disposed) _queues.Main.PushInline(cell, fn, InlineCall<TActor>.RunFn);
        else Push(MakeCall(cell, fn), lane);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal unsafe void Post<TActor, T1>(ActorCell<TActor> cell, ActorCall<TActor, T1> fn, T1 a1, Lane lane = Lane.Main) where TActor : class
    {
        if (lane == Lane.Main && !_disposed)
        {
            if (!typeof(T1).IsValueType)
            {
                _queues.Main.PushInline(cell, fn, InlineCall<TActor, T1>.RunRefFn).Arg = Unsafe.As<T1, object?>(ref a1);
                return;
            }
            if (!RuntimeHelpers.IsReferenceOrContainsReferences<T1>() && Unsafe.SizeOf<T1>() <= sizeof(long))
            {
                // A T1 under 8 bytes leaves the rest of Bits stale; RunBits reads back only T1's bytes.
                Unsafe.As<long, T1>(ref _queues.Main.PushInline(cell, fn, InlineCall<TActor, T1>.RunBitsFn).Bits) = a1;
                return;
            }
        }
        Push(MakeCall(cell, fn, a1), lane);
    }

    /// <summary>Queues a delivery made by the runtime (a Ret's answer); a stale Ret among its arguments travels untracked</summary>
    internal void Deliver<TActor, T1>(ActorCell<TActor> cell, ActorCall<TActor, T1> fn, T1 a1) where TActor : class =>
        Push(MakeCall(cell, fn, a1, strict: false));

    /// <summary>Queues a two-argument delivery made by the runtime</summary>
    internal void Deliver<TActor, T1, T2>(ActorCell<TActor> cell, ActorCall<TActor, T1, T2> fn, T1 a1, T2 a2) where TActor : class =>
        Push(MakeCall(cell, fn, a1, a2, strict: false));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Post<TActor, T1, T2>(ActorCell<TActor> cell, ActorCall<TActor, T1, T2> fn, T1 a1, T2 a2) where TActor : class =>
        Push(MakeCall(cell, fn, a1, a2));

    internal void Post<TActor, T1, T2, T3>(ActorCell<TActor> cell, ActorCall<TActor, T1, T2, T3> fn, T1 a1, T2 a2, T3 a3) where TActor : class =>
        Push(MakeCall(cell, fn, a1, a2, a3));

    internal void Post<TActor, T1, T2, T3, T4>(ActorCell<TActor> cell, ActorCall<TActor, T1, T2, T3, T4> fn, T1 a1, T2 a2, T3 a3, T4 a4) where TActor : class =>
        Push(MakeCall(cell, fn, a1, a2, a3, a4));

    /// <summary>Queues a call node built elsewhere (init with 2+ arguments, Ret deliveries)</summary>
    internal void PostNode(CallNode node) => Push(node);

    /// <summary>Queues an init with no argument: inline, so a spawn queues no node</summary>
    internal unsafe void PostInit<TActor>(ActorCell<TActor> cell, ActorInit<TActor> fn) where TActor : class
    {
        // After Dispose nothing runs: an init (which carries no Ret) is simply not queued.
        if (!_disposed) _queues.Main.PushInline(cell, fn, InitRun<TActor>.Run0Fn);
    }

    /// <summary>Queues an init with one argument: inline when it fits a slot, like <see cref="Post{TActor, T1}"/></summary>
    internal unsafe void PostInit<TActor, T1>(ActorCell<TActor> cell, ActorInit<TActor, T1> fn, T1 a1) where TActor : class
    {
        if (_disposed) return;
        if (!typeof(T1).IsValueType)
        {
            _queues.Main.PushInline(cell, fn, InitRun<TActor, T1>.RunRefFn).Arg = Unsafe.As<T1, object?>(ref a1);
            return;
        }
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T1>() && Unsafe.SizeOf<T1>() <= sizeof(long))
        {
            Unsafe.As<long, T1>(ref _queues.Main.PushInline(cell, fn, InitRun<TActor, T1>.RunBitsFn).Bits) = a1;
            return;
        }
        var n = Pool.Rent<Init1<TActor, T1>>();
        n.Cell = cell;
        n.Fn = fn;
        n.A1 = a1;
        Push(n);
    }

    /// <summary>Queues the ending of an actor (its last owner dropped, or a kill from inside a handler)</summary>
    /// <remarks>Inline: the cell and the cause ride in the slot, so dropping an actor allocates nothing.</remarks>
    internal unsafe void PostEnd(ActorCellBase cell, StopCause cause)
    {
        if (!_disposed) _queues.Main.PushInline(cell, cause, &EndInline);
    }

    static void EndInline(Core core, ref CallSlot slot)
    {
        var cell = Unsafe.As<ActorCellBase>(slot.Target!);
        var cause = Unsafe.As<StopCause>(slot.Fn!);
        // Dropped only applies if nobody took ownership again in the meantime.
        if (cause.Kind == StopKind.Dropped && cell.Owners > 0) return;
        cell.Terminate(cause);
    }
}
