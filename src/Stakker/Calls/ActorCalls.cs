using System.Runtime.CompilerServices;
using Stakker.Actors;
using Stakker.Returns;

namespace Stakker.Calls;

// Queued calls to actor methods, one class per arity. Each is pooled per Core. A returned node keeps
// its target and handler (both usually the same next time, so MakeCall skips storing them again: each
// reference store is a GC write barrier); arguments holding references are cleared. On the common path
// (no Ret among the arguments) the node goes back to the pool before the handler runs, so a call
// the handler makes reuses it while it is still in cache. With a Ret argument the node must outlive
// the handler: it is the Ret's holder until the handler has answered, moved or kept it.

internal sealed class Call0<TActor> : CallNode where TActor : class
{
    internal ActorCell<TActor> Cell = null!;
    internal ActorCall<TActor> Fn = null!;

    internal override void Run(Core core)
    {
        ActorCell<TActor> cell = Cell;
        if (cell.State != ActorState.Ready) { cell.NotReady(this); return; }
        ActorCall<TActor> fn = Fn;
        core.Pool.Return(this);
        core.EnterHandler(cell);
        fn(cell.Value!, new Cx<TActor>(cell));
        core.ExitHandler(cell);
    }

    internal override void Drop(Core core) => core.Pool.Return(this);

    internal override void Scrub()
    {
        Cell = null!;
        Fn = null!;
    }
}

internal sealed class Call1<TActor, T1> : CallNode where TActor : class
{
    internal ActorCell<TActor> Cell = null!;
    internal ActorCall<TActor, T1> Fn = null!;
    internal T1 A1 = default!;

    /// <summary>Whether an argument is a Ret (per type; an instance field so shared generic code reads it without a static lookup)</summary>
    internal readonly bool Tracked = RetArg<T1>.IsRet;

    internal override void Run(Core core)
    {
        ActorCell<TActor> cell = Cell;
        if (cell.State != ActorState.Ready) { cell.NotReady(this); return; }
        ActorCall<TActor, T1> fn = Fn;
        T1 a1 = A1;
        if (Tracked) { RunTracked(core, cell, fn, a1); return; }
        Clear();
        core.Pool.Return(this);
        core.EnterHandler(cell);
        fn(cell.Value!, new Cx<TActor>(cell), a1);
        core.ExitHandler(cell);
    }

    void RunTracked(Core core, ActorCell<TActor> cell, ActorCall<TActor, T1> fn, T1 a1)
    {
        core.EnterHandler(cell);
        try { fn(cell.Value!, new Cx<TActor>(cell), a1); }
        finally
        {
            RetHolding.Ran(ref A1, this, cell);
            Clear();
            core.Pool.Return(this);
        }
        core.ExitHandler(cell);
    }

    internal override void Drop(Core core)
    {
        if (Tracked)
        {
            // A Ret in a timer call (Cx.At) is held by the actor itself, not by this node.
            RetHolding.Dropped(ref A1, this, Cell);
        }
        Clear();
        core.Pool.Return(this);
    }

    internal override void Scrub()
    {
        Cell = null!;
        Fn = null!;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T1>()) A1 = default!;
    }
}

internal sealed class Call2<TActor, T1, T2> : CallNode where TActor : class
{
    internal ActorCell<TActor> Cell = null!;
    internal ActorCall<TActor, T1, T2> Fn = null!;
    internal T1 A1 = default!;
    internal T2 A2 = default!;

    internal readonly bool Tracked = RetArg<T1>.IsRet || RetArg<T2>.IsRet;

    internal override void Run(Core core)
    {
        ActorCell<TActor> cell = Cell;
        if (cell.State != ActorState.Ready) { cell.NotReady(this); return; }
        ActorCall<TActor, T1, T2> fn = Fn;
        T1 a1 = A1;
        T2 a2 = A2;
        if (Tracked) { RunTracked(core, cell, fn, a1, a2); return; }
        Clear();
        core.Pool.Return(this);
        core.EnterHandler(cell);
        fn(cell.Value!, new Cx<TActor>(cell), a1, a2);
        core.ExitHandler(cell);
    }

    void RunTracked(Core core, ActorCell<TActor> cell, ActorCall<TActor, T1, T2> fn, T1 a1, T2 a2)
    {
        core.EnterHandler(cell);
        try { fn(cell.Value!, new Cx<TActor>(cell), a1, a2); }
        finally
        {
            RetHolding.Ran(ref A1, this, cell);
            RetHolding.Ran(ref A2, this, cell);
            Clear();
            core.Pool.Return(this);
        }
        core.ExitHandler(cell);
    }

    internal override void Drop(Core core)
    {
        if (Tracked)
        {
            try { RetHolding.Dropped(ref A1, this); }
            finally
            {
                RetHolding.Dropped(ref A2, this);
            }
        }
        Clear();
        core.Pool.Return(this);
    }

    internal override void Scrub()
    {
        Cell = null!;
        Fn = null!;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T1>()) A1 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T2>()) A2 = default!;
    }
}

internal sealed class Call3<TActor, T1, T2, T3> : CallNode where TActor : class
{
    internal ActorCell<TActor> Cell = null!;
    internal ActorCall<TActor, T1, T2, T3> Fn = null!;
    internal T1 A1 = default!;
    internal T2 A2 = default!;
    internal T3 A3 = default!;

    internal readonly bool Tracked = RetArg<T1>.IsRet || RetArg<T2>.IsRet || RetArg<T3>.IsRet;

    internal override void Run(Core core)
    {
        ActorCell<TActor> cell = Cell;
        if (cell.State != ActorState.Ready) { cell.NotReady(this); return; }
        ActorCall<TActor, T1, T2, T3> fn = Fn;
        T1 a1 = A1;
        T2 a2 = A2;
        T3 a3 = A3;
        if (Tracked) { RunTracked(core, cell, fn, a1, a2, a3); return; }
        Clear();
        core.Pool.Return(this);
        core.EnterHandler(cell);
        fn(cell.Value!, new Cx<TActor>(cell), a1, a2, a3);
        core.ExitHandler(cell);
    }

    void RunTracked(Core core, ActorCell<TActor> cell, ActorCall<TActor, T1, T2, T3> fn, T1 a1, T2 a2, T3 a3)
    {
        core.EnterHandler(cell);
        try { fn(cell.Value!, new Cx<TActor>(cell), a1, a2, a3); }
        finally
        {
            RetHolding.Ran(ref A1, this, cell);
            RetHolding.Ran(ref A2, this, cell);
            RetHolding.Ran(ref A3, this, cell);
            Clear();
            core.Pool.Return(this);
        }
        core.ExitHandler(cell);
    }

    internal override void Drop(Core core)
    {
        if (Tracked)
        {
            try { RetHolding.Dropped(ref A1, this); }
            finally
            {
                try { RetHolding.Dropped(ref A2, this); }
                finally
                {
                    RetHolding.Dropped(ref A3, this);
                }
            }
        }
        Clear();
        core.Pool.Return(this);
    }

    internal override void Scrub()
    {
        Cell = null!;
        Fn = null!;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T1>()) A1 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T2>()) A2 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T3>()) A3 = default!;
    }
}

internal sealed class Call4<TActor, T1, T2, T3, T4> : CallNode where TActor : class
{
    internal ActorCell<TActor> Cell = null!;
    internal ActorCall<TActor, T1, T2, T3, T4> Fn = null!;
    internal T1 A1 = default!;
    internal T2 A2 = default!;
    internal T3 A3 = default!;
    internal T4 A4 = default!;

    internal readonly bool Tracked = RetArg<T1>.IsRet || RetArg<T2>.IsRet || RetArg<T3>.IsRet || RetArg<T4>.IsRet;

    internal override void Run(Core core)
    {
        ActorCell<TActor> cell = Cell;
        if (cell.State != ActorState.Ready) { cell.NotReady(this); return; }
        ActorCall<TActor, T1, T2, T3, T4> fn = Fn;
        T1 a1 = A1;
        T2 a2 = A2;
        T3 a3 = A3;
        T4 a4 = A4;
        if (Tracked) { RunTracked(core, cell, fn, a1, a2, a3, a4); return; }
        Clear();
        core.Pool.Return(this);
        core.EnterHandler(cell);
        fn(cell.Value!, new Cx<TActor>(cell), a1, a2, a3, a4);
        core.ExitHandler(cell);
    }

    void RunTracked(Core core, ActorCell<TActor> cell, ActorCall<TActor, T1, T2, T3, T4> fn, T1 a1, T2 a2, T3 a3, T4 a4)
    {
        core.EnterHandler(cell);
        try { fn(cell.Value!, new Cx<TActor>(cell), a1, a2, a3, a4); }
        finally
        {
            RetHolding.Ran(ref A1, this, cell);
            RetHolding.Ran(ref A2, this, cell);
            RetHolding.Ran(ref A3, this, cell);
            RetHolding.Ran(ref A4, this, cell);
            Clear();
            core.Pool.Return(this);
        }
        core.ExitHandler(cell);
    }

    internal override void Drop(Core core)
    {
        if (Tracked)
        {
            try { RetHolding.Dropped(ref A1, this); }
            finally
            {
                try { RetHolding.Dropped(ref A2, this); }
                finally
                {
                    try { RetHolding.Dropped(ref A3, this); }
                    finally
                    {
                        RetHolding.Dropped(ref A4, this);
                    }
                }
            }
        }
        Clear();
        core.Pool.Return(this);
    }

    internal override void Scrub()
    {
        Cell = null!;
        Fn = null!;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T1>()) A1 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T2>()) A2 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T3>()) A3 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T4>()) A4 = default!;
    }
}
