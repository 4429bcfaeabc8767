using Stakker.Actors;
using Stakker.Internal;

namespace Stakker.Calls;

// Calls that are not actor methods: plain actions queued on the Core. (Deferred endings of actors
// are inline calls: Core.PostEnd.)

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
        core.Pool.Return(this);
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
        Store.IfChanged(ref Fn, fn);
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
        core.Pool.Return(this);
    }

    internal override void Scrub()
    {
        Fn = null!;
        State = default!;
    }
}
