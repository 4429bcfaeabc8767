using System.Runtime.CompilerServices;
using Stakker.Actors;

namespace Stakker.Calls;

// Queued init calls for Prep actors. An init that returns state makes the actor Ready; one that
// returns null leaves it in Prep (two-step init). An init arriving after the actor is Ready is
// ignored, as in Stakker; one arriving at a Zombie is dropped. An init with no argument, or one small
// argument, is written inline into the main queue's slot (no node: a burst of spawns allocates only
// the actors); with more arguments it travels in a pooled node.

/// <summary>What every init does around the user's function</summary>
internal static unsafe class InitRun<TActor> where TActor : class
{
    internal static readonly delegate*<Core, ref CallSlot, void> Run0Fn = &Run0;

    /// <summary>The init returned <paramref name="value"/>: become Ready, stay Prep, or end as it asked</summary>
    internal static void Finish(ActorCell<TActor> cell, TActor? value)
    {
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

    /// <summary>Inline init with no argument</summary>
    internal static void Run0(Core core, ref CallSlot slot)
    {
        ActorCell<TActor> cell = Unsafe.As<ActorCell<TActor>>(slot.Target!);
        if (cell.State != ActorState.Prep) return;
        ActorInit<TActor> fn = Unsafe.As<ActorInit<TActor>>(slot.Fn!);
        core.EnterHandler(cell);
        TActor? value = fn(new Cx<TActor>(cell));
        core.LeaveHandler();
        Finish(cell, value);
    }
}

/// <summary>Inline inits with one argument</summary>
internal static unsafe class InitRun<TActor, T1> where TActor : class
{
    internal static readonly delegate*<Core, ref CallSlot, void> RunBitsFn = &RunBits;
    internal static readonly delegate*<Core, ref CallSlot, void> RunRefFn = &RunRef;

    /// <summary>The argument is unmanaged data of up to 8 bytes, kept in <see cref="CallSlot.Bits"/></summary>
    internal static void RunBits(Core core, ref CallSlot slot) =>
        Run(core, Unsafe.As<ActorCell<TActor>>(slot.Target!), Unsafe.As<ActorInit<TActor, T1>>(slot.Fn!), Unsafe.As<long, T1>(ref slot.Bits));

    /// <summary>The argument is a reference, kept in <see cref="CallSlot.Arg"/></summary>
    internal static void RunRef(Core core, ref CallSlot slot)
    {
        T1 a1 = Unsafe.As<object?, T1>(ref slot.Arg);
        slot.Arg = null;
        Run(core, Unsafe.As<ActorCell<TActor>>(slot.Target!), Unsafe.As<ActorInit<TActor, T1>>(slot.Fn!), a1);
    }

    static void Run(Core core, ActorCell<TActor> cell, ActorInit<TActor, T1> fn, T1 a1)
    {
        if (cell.State != ActorState.Prep) return;
        core.EnterHandler(cell);
        TActor? value = fn(new Cx<TActor>(cell), a1);
        core.LeaveHandler();
        InitRun<TActor>.Finish(cell, value);
    }
}

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
        InitRun<TActor>.Finish(cell, value);
    }

    /// <summary>Copies out the arguments, recycles the node, then runs the init</summary>
    private protected abstract TActor? Invoke(ActorCell<TActor> cell);
}

/// <summary>An init with one argument that does not fit a queue slot (a struct over 8 bytes, or one holding references)</summary>
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
        core.Pool.Return(this);
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
        core.Pool.Return(this);
    }
}

internal sealed class Init3<TActor, T1, T2, T3> : InitNodeBase<TActor> where TActor : class
{
    internal ActorInit<TActor, T1, T2, T3> Fn = null!;
    internal T1 A1 = default!;
    internal T2 A2 = default!;
    internal T3 A3 = default!;

    private protected override TActor? Invoke(ActorCell<TActor> cell)
    {
        ActorInit<TActor, T1, T2, T3> fn = Fn;
        T1 a1 = A1;
        T2 a2 = A2;
        T3 a3 = A3;
        Drop(cell.Core);
        return fn(new Cx<TActor>(cell), a1, a2, a3);
    }

    internal override void Drop(Core core)
    {
        Cell = null!;
        Fn = null!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T1>()) A1 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T2>()) A2 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T3>()) A3 = default!;
        core.Pool.Return(this);
    }
}

internal sealed class Init4<TActor, T1, T2, T3, T4> : InitNodeBase<TActor> where TActor : class
{
    internal ActorInit<TActor, T1, T2, T3, T4> Fn = null!;
    internal T1 A1 = default!;
    internal T2 A2 = default!;
    internal T3 A3 = default!;
    internal T4 A4 = default!;

    private protected override TActor? Invoke(ActorCell<TActor> cell)
    {
        ActorInit<TActor, T1, T2, T3, T4> fn = Fn;
        T1 a1 = A1;
        T2 a2 = A2;
        T3 a3 = A3;
        T4 a4 = A4;
        Drop(cell.Core);
        return fn(new Cx<TActor>(cell), a1, a2, a3, a4);
    }

    internal override void Drop(Core core)
    {
        Cell = null!;
        Fn = null!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T1>()) A1 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T2>()) A2 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T3>()) A3 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T4>()) A4 = default!;
        core.Pool.Return(this);
    }
}
