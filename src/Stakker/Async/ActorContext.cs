using Stakker.Actors;
using Stakker.Calls;

namespace Stakker.Async;

/// <summary>The synchronization context of one coroutine: its continuations run as calls to its actor</summary>
/// <remarks>
/// Installed as <see cref="SynchronizationContext.Current"/> while the coroutine's code runs, so every
/// <c>await</c> in it resumes as a queued call to the actor: between other calls, never inside one,
/// with the actor's state reachable. When the actor has ended, the policy decides: drop the
/// continuation, or run it outside the actor so the coroutine sees the failure.
/// </remarks>
internal sealed class ActorContext<TActor>(ActorCell<TActor> cell, ActorEndPolicy policy) : SynchronizationContext, ICoreContext
    where TActor : class
{
    internal ActorCell<TActor> Cell => cell;
    internal ActorEndPolicy Policy => policy;

    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        PostContinuation(static s => { var (f, st) = ((SendOrPostCallback, object?))s!; f(st); }, (d, state));
    }

    public void PostContinuation(Action<object?> continuation, object? state)
    {
        Core core = cell.Core;
        if (!core.IsOnThread)
        {
            core.PostAnyThread(static s => s.Ctx.PostContinuation(s.Fn, s.State), (Ctx: this, Fn: continuation, State: state));
            return;
        }
        var n = core.Pool.Rent<ContinuationCall<TActor>>();
        n.Context = this;
        n.Fn = continuation;
        n.State = state;
        core.PostNode(n);
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new InvalidOperationException("SynchronizationContext.Send on an actor's coroutine context would block the actor; use Post.");

    public override SynchronizationContext CreateCopy() => this;
}

/// <summary>A coroutine continuation queued to its actor</summary>
internal sealed class ContinuationCall<TActor> : CallNode where TActor : class
{
    internal ActorContext<TActor> Context = null!;
    internal Action<object?> Fn = null!;
    internal object? State;

    internal override void Run(Core core)
    {
        ActorContext<TActor> ctx = Context;
        ActorCell<TActor> cell = ctx.Cell;
        if (cell.State == ActorState.Prep) { cell.NotReady(this); return; }
        Action<object?> fn = Fn;
        object? state = State;
        Release(core);
        if (cell.State == ActorState.Zombie)
        {
            // Surface: let the coroutine run on outside the actor so its awaits and State throw and
            // its cleanup runs. Drop: nothing more of it runs.
            if (ctx.Policy == ActorEndPolicy.Surface) fn(state);
            return;
        }
        var args = new ContinuationArgs<TActor> { Context = ctx, Fn = fn, State = state };
        cell.RunHandler(core, ref args);
    }

    internal override void Drop(Core core)
    {
        ActorContext<TActor> ctx = Context;
        Action<object?> fn = Fn;
        object? state = State;
        Release(core);
        if (ctx.Policy == ActorEndPolicy.Surface) core.PostAnyThread(static s => s.Fn(s.State), (Fn: fn, State: state));
    }

    void Release(Core core)
    {
        Context = null!;
        Fn = null!;
        State = null;
        core.Pool.Return(this);
    }
}

/// <summary>A continuation as a handler: it runs with its coroutine's context installed</summary>
internal struct ContinuationArgs<TActor> : ICallArgs<TActor> where TActor : class
{
    internal ActorContext<TActor> Context;
    internal Action<object?> Fn;
    internal object? State;

    public static bool HasRet => false;

    public readonly void Invoke(TActor actor, Cx<TActor> cx)
    {
        SynchronizationContext? prev = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(Context);
        try { Fn(State); }
        finally { SynchronizationContext.SetSynchronizationContext(prev); }
    }

    public readonly bool AnyStale() => false;
    public readonly void Enqueued(CallNode call) { }
    public readonly void Ran(CallNode call, ActorCellBase cell) { }
    public readonly void Dropped(CallNode call, ActorCellBase cell, ref Exception? error) { }
    public void Clear() => this = default;
    public void Scrub() => this = default;
}
