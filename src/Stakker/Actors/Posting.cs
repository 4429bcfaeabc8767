using System.Runtime.CompilerServices;
using Stakker.Internal;
using Stakker.Returns;
using Stakker.Calls;

namespace Stakker.Actors;

/// <summary>Building calls and putting them on a Core's queues: the one way every call is made</summary>
/// <remarks>
/// Extension methods on <see cref="Core"/>, so a call site reads <c>core.Post(cell, fn, a1)</c>. The
/// thread is checked by the public entry points (<c>Actor.Call</c>, <c>Fwd.Send</c>, <c>Ret.Answer</c>)
/// before these run. A call with no argument, or one argument that is a reference or unmanaged data
/// of up to 8 bytes, goes into the main queue inline (no node, decision 007); anything else (lazy and
/// idle lanes, Ret arguments, larger structs) in a pooled node whose Rets <see cref="RetHolding"/>
/// tracks. The type tests are JIT-time constants.
/// </remarks>
internal static class Posting
{

    // MakeCall, one per arity: rent the node, store what changed, take hold of any Ret arguments.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ActorCallNode<TActor, CallArgs<TActor>> MakeCall<TActor>(this Core core, ActorCell<TActor> cell, ActorCall<TActor> fn) where TActor : class
    {
        var n = core.Pool.Rent<ActorCallNode<TActor, CallArgs<TActor>>>();
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Args.Fn, fn);
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ActorCallNode<TActor, CallArgs<TActor, T1>> MakeCall<TActor, T1>(this Core core, ActorCell<TActor> cell, ActorCall<TActor, T1> fn, T1 a1, bool strict = true) where TActor : class
    {
        var n = core.Pool.Rent<ActorCallNode<TActor, CallArgs<TActor, T1>>>();
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Args.Fn, fn);
        n.Args.A1 = a1;
        if (n.Tracked) n.Track(core, strict);
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ActorCallNode<TActor, CallArgs<TActor, T1, T2>> MakeCall<TActor, T1, T2>(this Core core, ActorCell<TActor> cell, ActorCall<TActor, T1, T2> fn, T1 a1, T2 a2, bool strict = true) where TActor : class
    {
        var n = core.Pool.Rent<ActorCallNode<TActor, CallArgs<TActor, T1, T2>>>();
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Args.Fn, fn);
        n.Args.A1 = a1;
        n.Args.A2 = a2;
        if (n.Tracked) n.Track(core, strict);
        return n;
    }

    internal static ActorCallNode<TActor, CallArgs<TActor, T1, T2, T3>> MakeCall<TActor, T1, T2, T3>(this Core core, ActorCell<TActor> cell, ActorCall<TActor, T1, T2, T3> fn, T1 a1, T2 a2, T3 a3) where TActor : class
    {
        var n = core.Pool.Rent<ActorCallNode<TActor, CallArgs<TActor, T1, T2, T3>>>();
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Args.Fn, fn);
        n.Args.A1 = a1;
        n.Args.A2 = a2;
        n.Args.A3 = a3;
        if (n.Tracked) n.Track(core, strict: true);
        return n;
    }

    internal static ActorCallNode<TActor, CallArgs<TActor, T1, T2, T3, T4>> MakeCall<TActor, T1, T2, T3, T4>(this Core core, ActorCell<TActor> cell, ActorCall<TActor, T1, T2, T3, T4> fn, T1 a1, T2 a2, T3 a3, T4 a4) where TActor : class
    {
        var n = core.Pool.Rent<ActorCallNode<TActor, CallArgs<TActor, T1, T2, T3, T4>>>();
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Args.Fn, fn);
        n.Args.A1 = a1;
        n.Args.A2 = a2;
        n.Args.A3 = a3;
        n.Args.A4 = a4;
        if (n.Tracked) n.Track(core, strict: true);
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Post<TActor>(this Core core, ActorCell<TActor> cell, ActorCall<TActor> fn, Lane lane = Lane.Main) where TActor : class
    {
        if (lane == Lane.Main && !core.Diverted) core.Queues.Main.PushInline(cell, fn, InlineCall<TActor>.RunFn);
        else core.Push(core.MakeCall(cell, fn), lane);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Post<TActor, T1>(this Core core, ActorCell<TActor> cell, ActorCall<TActor, T1> fn, T1 a1, Lane lane = Lane.Main) where TActor : class
    {
        if (lane == Lane.Main && !core.Diverted)
        {
            if (!typeof(T1).IsValueType)
            {
                core.Queues.Main.PushInline(cell, fn, InlineCall<TActor, T1>.RunRefFn).Arg = Unsafe.As<T1, object?>(ref a1);
                return;
            }
            if (!RuntimeHelpers.IsReferenceOrContainsReferences<T1>() && Unsafe.SizeOf<T1>() <= sizeof(long))
            {
                // A T1 under 8 bytes leaves the rest of Bits stale; RunBits reads back only T1's bytes.
                Unsafe.As<long, T1>(ref core.Queues.Main.PushInline(cell, fn, InlineCall<TActor, T1>.RunBitsFn).Bits) = a1;
                return;
            }
        }
        core.Push(core.MakeCall(cell, fn, a1), lane);
    }

    /// <summary>Queues a delivery made by the runtime (a Ret's answer); a stale Ret among its arguments travels untracked</summary>
    internal static void Deliver<TActor, T1>(this Core core, ActorCell<TActor> cell, ActorCall<TActor, T1> fn, T1 a1) where TActor : class =>
        core.Push(core.MakeCall(cell, fn, a1, strict: false));

    /// <summary>Queues a two-argument delivery made by the runtime</summary>
    internal static void Deliver<TActor, T1, T2>(this Core core, ActorCell<TActor> cell, ActorCall<TActor, T1, T2> fn, T1 a1, T2 a2) where TActor : class =>
        core.Push(core.MakeCall(cell, fn, a1, a2, strict: false));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Post<TActor, T1, T2>(this Core core, ActorCell<TActor> cell, ActorCall<TActor, T1, T2> fn, T1 a1, T2 a2) where TActor : class =>
        core.Push(core.MakeCall(cell, fn, a1, a2));

    internal static void Post<TActor, T1, T2, T3>(this Core core, ActorCell<TActor> cell, ActorCall<TActor, T1, T2, T3> fn, T1 a1, T2 a2, T3 a3) where TActor : class =>
        core.Push(core.MakeCall(cell, fn, a1, a2, a3));

    internal static void Post<TActor, T1, T2, T3, T4>(this Core core, ActorCell<TActor> cell, ActorCall<TActor, T1, T2, T3, T4> fn, T1 a1, T2 a2, T3 a3, T4 a4) where TActor : class =>
        core.Push(core.MakeCall(cell, fn, a1, a2, a3, a4));

    /// <summary>Queues a call node built elsewhere (init with 2+ arguments, Ret deliveries)</summary>
    internal static void PostNode(this Core core, CallNode node) => core.Push(node);

    /// <summary>Queues an init with no argument: inline, so a spawn queues no node</summary>
    internal static unsafe void PostInit<TActor>(this Core core, ActorCell<TActor> cell, ActorInit<TActor> fn) where TActor : class
    {
        // After Dispose nothing runs: an init (which carries no Ret) is simply not queued. While
        // tracing, it is a node (a span, child of the spawning call's); the one test covers both.
        if (!core.Diverted) core.Queues.Main.PushInline(cell, fn, InitRun<TActor>.Run0Fn);
        else if (!core.IsDisposed) core.Push(SlotCall.Make(core, cell, fn, InitRun<TActor>.Run0Fn, null, 0));
    }

    /// <summary>Queues an init with one argument: inline when it fits a slot, like <see cref="Post{TActor, T1}"/></summary>
    internal static unsafe void PostInit<TActor, T1>(this Core core, ActorCell<TActor> cell, ActorInit<TActor, T1> fn, T1 a1) where TActor : class
    {
        bool diverted = core.Diverted;   // disposed (nothing is queued) or tracing (a node, as above)
        if (diverted && core.IsDisposed) return;
        if (!typeof(T1).IsValueType)
        {
            if (diverted) core.Push(SlotCall.Make(core, cell, fn, InitRun<TActor, T1>.RunRefFn, Unsafe.As<T1, object?>(ref a1), 0));
            else core.Queues.Main.PushInline(cell, fn, InitRun<TActor, T1>.RunRefFn).Arg = Unsafe.As<T1, object?>(ref a1);
            return;
        }
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T1>() && Unsafe.SizeOf<T1>() <= sizeof(long))
        {
            if (diverted)
            {
                long bits = 0;
                Unsafe.As<long, T1>(ref bits) = a1;
                core.Push(SlotCall.Make(core, cell, fn, InitRun<TActor, T1>.RunBitsFn, null, bits));
            }
            else Unsafe.As<long, T1>(ref core.Queues.Main.PushInline(cell, fn, InitRun<TActor, T1>.RunBitsFn).Bits) = a1;
            return;
        }
        var n = core.Pool.Rent<InitNode<TActor, InitArgs<TActor, T1>>>();
        n.Cell = cell;
        n.Args = new InitArgs<TActor, T1> { Fn = fn, A1 = a1 };
        core.Push(n);
    }

    /// <summary>Queues the ending of an actor (its last owner dropped, or a kill from inside a handler)</summary>
    /// <remarks>Inline: the cell and the cause ride in the slot, so dropping an actor allocates nothing.</remarks>
    internal static unsafe void PostEnd(this Core core, ActorCellBase cell, StopCause cause)
    {
        if (!core.IsDisposed) core.Queues.Main.PushInline(cell, cause, &EndInline);
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
