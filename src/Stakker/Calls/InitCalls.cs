using System.Runtime.CompilerServices;
using Stakker.Actors;

namespace Stakker.Calls;

// Queued init calls for Prep actors. An init that returns state makes the actor Ready; one that
// returns null leaves it in Prep (two-step init). An init arriving after the actor is Ready is
// ignored, as in Stakker; one arriving at a Zombie is dropped.

internal abstract class InitNodeBase<TActor> : CallNode where TActor : class
{
    internal ActorCell<TActor> Cell = null!;

    internal sealed override void Run(Core core)
    {
        ActorCell<TActor> cell = Cell;
        if (cell.State != ActorState.Prep) { Drop(core); return; }
        core.EnterHandler(cell);
        TActor? value = Invoke(cell);   // releases this node before calling user code
        core.LeaveHandler();
        if (cell.PendingStop is { } stop)
        {
            // Stopped or failed during init: whatever it built is disposed with the actor.
            cell.Value = value;
            cell.PendingStop = null;
            cell.Terminate(stop);
        }
        else if (value is not null)
        {
            cell.BecomeReady(value);
        }
    }

    /// <summary>Copies out the arguments, recycles the node, then runs the init</summary>
    private protected abstract TActor? Invoke(ActorCell<TActor> cell);
}

internal sealed class Init0<TActor> : InitNodeBase<TActor> where TActor : class
{
    internal ActorInit<TActor> Fn = null!;

    private protected override TActor? Invoke(ActorCell<TActor> cell)
    {
        ActorInit<TActor> fn = Fn;
        Core core = cell.Core;
        Drop(core);
        return fn(new Cx<TActor>(cell));
    }

    internal override void Drop(Core core)
    {
        Cell = null!;
        Fn = null!;
        core.Return(this);
    }
}

internal sealed class Init1<TActor, T1> : InitNodeBase<TActor> where TActor : class
{
    internal ActorInit<TActor, T1> Fn = null!;
    internal T1 A1 = default!;

    private protected override TActor? Invoke(ActorCell<TActor> cell)
    {
        ActorInit<TActor, T1> fn = Fn;
        T1 a1 = A1;
        Drop(cell.Core);
        return fn(new Cx<TActor>(cell), a1);
    }

    internal override void Drop(Core core)
    {
        Cell = null!;
        Fn = null!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T1>()) A1 = default!;
        core.Return(this);
    }
}

internal sealed class Init2<TActor, T1, T2> : InitNodeBase<TActor> where TActor : class
{
    internal ActorInit<TActor, T1, T2> Fn = null!;
    internal T1 A1 = default!;
    internal T2 A2 = default!;

    private protected override TActor? Invoke(ActorCell<TActor> cell)
    {
        ActorInit<TActor, T1, T2> fn = Fn;
        T1 a1 = A1;
        T2 a2 = A2;
        Drop(cell.Core);
        return fn(new Cx<TActor>(cell), a1, a2);
    }

    internal override void Drop(Core core)
    {
        Cell = null!;
        Fn = null!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T1>()) A1 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T2>()) A2 = default!;
        core.Return(this);
    }
}
