using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Stakker.Internal;
using Stakker.Calls;

namespace Stakker.Actors;

/// <summary>A queued call to an actor method, of any arity: the one node shape, generic over its arguments</summary>
/// <remarks>
/// Pooled per Core. A returned node keeps its target and handler (both usually the same next time,
/// so <see cref="Posting"/> skips storing them again: each reference store is a GC write barrier);
/// arguments holding references are cleared. On the common path (no Ret among the arguments) the
/// node goes back to the pool before the handler runs, so a call the handler makes reuses it while
/// it is still in cache. With a Ret argument the node must outlive the handler: it is the Ret's
/// holder until the handler has answered, moved or kept it (<see cref="Returns.RetHolding"/>).
/// </remarks>
internal sealed class ActorCallNode<TActor, TArgs> : CallNode
    where TActor : class
    where TArgs : struct, ICallArgs<TActor>
{
    internal ActorCell<TActor> Cell = null!;
    internal TArgs Args;

    /// <summary>Whether an argument is a Ret (per type; an instance field so shared generic code reads it without a static lookup)</summary>
    internal readonly bool Tracked = TArgs.HasRet;

    /// <summary>Takes hold of the Ret arguments; refuses the call if one was already answered</summary>
    /// <param name="core">The Core the call is queued on.</param>
    /// <param name="strict">False for deliveries made by the runtime, where a stale Ret travels untracked.</param>
    internal void Track(Core core, bool strict)
    {
        if (strict && Args.AnyStale()) RejectStale(core);
        Args.Enqueued(this);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    void RejectStale(Core core)
    {
        Args.Clear();
        core.Pool.Return(this);
        ThrowHelper.ThrowRetPassedAfterAnswer();
    }

    internal override void Run(Core core)
    {
        ActorCell<TActor> cell = Cell;
        if (cell.State != ActorState.Ready) { cell.NotReady(this); return; }
        if (Tracked) { RunTracked(core, cell); return; }
        TArgs args = Args;
        Args.Clear();
        core.Pool.Return(this);
        cell.RunHandler(core, ref args);
    }

    void RunTracked(Core core, ActorCell<TActor> cell)
    {
        try { cell.RunHandler(core, ref Args, this); }
        finally
        {
            Args.Clear();
            core.Pool.Return(this);
        }
    }

    internal override void Drop(Core core)
    {
        Exception? error = null;
        // A Ret in a timer call (Cx.At) is held by the actor itself, not by this node: hence the cell.
        if (Tracked) Args.Dropped(this, Cell, ref error);
        Args.Clear();
        core.Pool.Return(this);
        if (error is not null) ExceptionDispatchInfo.Throw(error);
    }

    internal override object? TraceTarget => Cell;

    internal override void Scrub()
    {
        Cell = null!;
        Args.Scrub();
    }
}
