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

internal sealed class ActionCall<TState> : CallNode
{
    internal Action<TState> Fn = null!;
    internal TState State = default!;

    internal override void Run(Core core)
    {
        Action<TState> fn = Fn;
        TState state = State;
        Drop(core);
        fn(state);
    }

    internal override void Drop(Core core)
    {
        Fn = null!;
        State = default!;
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
