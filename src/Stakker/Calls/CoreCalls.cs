using Stakker.Actors;

namespace Stakker.Calls;

// Calls that are not actor methods: plain actions queued on the Core, and the deferred endings
// of actors (last owner dropped, kill from inside a handler).

internal sealed class ActionCall : CallNode
{
    internal Action Fn = null!;

    internal override void Run(Core core)
    {
        Action fn = Fn;
        Drop(core);
        fn();
    }

    internal override void Drop(Core core)
    {
        Fn = null!;
        core.Return(this);
    }
}

/// <summary>A plain action with a state argument: deferred work, continuations, timer callbacks</summary>
/// <remarks>A returned node keeps a reference-type state and its action, so the next identical post
/// (an async loop's continuation: same delegate, same state machine box) skips both stores, each a
/// GC write barrier. What it keeps alive is bounded by the pool and replaced on reuse.</remarks>
internal sealed class ActionCall<TState> : CallNode
{
    internal Action<TState> Fn = null!;
    internal TState State = default!;

    internal void Set(Action<TState> fn, TState state)
    {
        if (!ReferenceEquals(Fn, fn)) Fn = fn;
        if (typeof(TState).IsValueType || !ReferenceEquals(State, state)) State = state;
    }

    internal override void Run(Core core)
    {
        Action<TState> fn = Fn;
        TState state = State;
        Drop(core);
        fn(state);
    }

    internal override void Drop(Core core)
    {
        // Structs holding references are cleared: they are rebuilt on every post anyway.
        if (typeof(TState).IsValueType && System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<TState>()) State = default!;
        core.Return(this);
    }
}

/// <summary>Ends an actor with a given cause when it comes off the queue (if still alive)</summary>
/// <remarks>
/// Used when the last owner is dropped (so calls queued before the drop still run first) and for
/// a kill requested from inside a handler. Not pooled: endings are rare next to calls.
/// </remarks>
internal sealed class EndCall(ActorCellBase cell, StopCause cause) : CallNode
{
    internal override void Run(Core core)
    {
        // Dropped only applies if nobody took ownership again in the meantime.
        if (cause.Kind == StopKind.Dropped && cell.Owners > 0) return;
        cell.Terminate(cause);
    }

    internal override void Drop(Core core) { }
}
