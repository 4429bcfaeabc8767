using System.Runtime.CompilerServices;
using Stakker.Returns;
using Stakker.Calls;

namespace Stakker.Actors;

// The handler and arguments of one call to an actor, one struct per arity. Everything a call does
// with its arguments (invoke the handler, track the Rets among them, clear references) is written
// here once per arity; everything it does around them (state check, pooling, Ret holding, handler
// entry and exit) is written once, in ActorCallNode and ActorCell.RunHandler. The node is generic
// over the struct, so the JIT compiles one node per struct instantiation with no indirection.

/// <summary>The handler and arguments of a call to a <typeparamref name="TActor"/></summary>
internal interface ICallArgs<TActor> where TActor : class
{
    /// <summary>True when some argument type is a Ret (fixed per type)</summary>
    static abstract bool HasRet { get; }

    /// <summary>Calls the handler</summary>
    void Invoke(TActor actor, Cx<TActor> cx);

    /// <summary>True if some Ret argument was already answered (the call must be refused)</summary>
    bool AnyStale();

    /// <summary>The queued call <paramref name="call"/> now holds its Ret arguments (<see cref="RetHolding.Enqueued{T}"/>)</summary>
    void Enqueued(CallNode call);

    /// <summary>The call ran on <paramref name="cell"/> (<see cref="RetHolding.Ran{T}"/>)</summary>
    void Ran(CallNode call, ActorCellBase cell);

    /// <summary>The call was dropped: each Ret it holds answers "no value", even if an earlier one's callback throws</summary>
    void Dropped(CallNode call, ActorCellBase cell, ref Exception? error);

    /// <summary>Clears the arguments that hold references (the handler stays: usually the same next time)</summary>
    void Clear();

    /// <summary>Clears the handler too (the node is being trimmed from the pool)</summary>
    void Scrub();
}

internal partial struct CallArgs<TActor> : ICallArgs<TActor> where TActor : class
{
    internal ActorCall<TActor> Fn;

    public static bool HasRet => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Invoke(TActor actor, Cx<TActor> cx) => Fn(actor, cx);
    public readonly bool AnyStale() => false;
    public readonly void Enqueued(CallNode call) { }
    public readonly void Ran(CallNode call, ActorCellBase cell) { }
    public readonly void Dropped(CallNode call, ActorCellBase cell, ref Exception? error) { }
    public readonly void Clear() { }
    public void Scrub() => Fn = null!;
}

internal partial struct CallArgs<TActor, T1> : ICallArgs<TActor> where TActor : class
{
    internal ActorCall<TActor, T1> Fn;
    internal T1 A1;

    public static bool HasRet => RetArg<T1>.IsRet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Invoke(TActor actor, Cx<TActor> cx) => Fn(actor, cx, A1);
    public bool AnyStale() => RetHolding.IsStale(ref A1);
    public void Enqueued(CallNode call) => RetHolding.Enqueued(ref A1, call);
    public void Ran(CallNode call, ActorCellBase cell) => RetHolding.Ran(ref A1, call, cell, cell.State == ActorState.Zombie);
    public void Dropped(CallNode call, ActorCellBase cell, ref Exception? error) => RetHolding.DroppedOneOfMany(ref A1, call, cell, ref error);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T1>()) A1 = default!;
    }

    public void Scrub() => Fn = null!;
}

internal partial struct CallArgs<TActor, T1, T2> : ICallArgs<TActor> where TActor : class
{
    internal ActorCall<TActor, T1, T2> Fn;
    internal T1 A1;
    internal T2 A2;

    public static bool HasRet => RetArg<T1>.IsRet || RetArg<T2>.IsRet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Invoke(TActor actor, Cx<TActor> cx) => Fn(actor, cx, A1, A2);
    public bool AnyStale() => RetHolding.IsStale(ref A1) || RetHolding.IsStale(ref A2);

    public void Enqueued(CallNode call)
    {
        RetHolding.Enqueued(ref A1, call);
        RetHolding.Enqueued(ref A2, call);
    }

    public void Ran(CallNode call, ActorCellBase cell)
    {
        bool ended = cell.State == ActorState.Zombie;   // the handler ended its own actor
        RetHolding.Ran(ref A1, call, cell, ended);
        RetHolding.Ran(ref A2, call, cell, ended);
    }

    public void Dropped(CallNode call, ActorCellBase cell, ref Exception? error)
    {
        RetHolding.DroppedOneOfMany(ref A1, call, cell, ref error);
        RetHolding.DroppedOneOfMany(ref A2, call, cell, ref error);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T1>()) A1 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T2>()) A2 = default!;
    }

    public void Scrub() => Fn = null!;
}

internal partial struct CallArgs<TActor, T1, T2, T3> : ICallArgs<TActor> where TActor : class
{
    internal ActorCall<TActor, T1, T2, T3> Fn;
    internal T1 A1;
    internal T2 A2;
    internal T3 A3;

    public static bool HasRet => RetArg<T1>.IsRet || RetArg<T2>.IsRet || RetArg<T3>.IsRet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Invoke(TActor actor, Cx<TActor> cx) => Fn(actor, cx, A1, A2, A3);
    public bool AnyStale() => RetHolding.IsStale(ref A1) || RetHolding.IsStale(ref A2) || RetHolding.IsStale(ref A3);

    public void Enqueued(CallNode call)
    {
        RetHolding.Enqueued(ref A1, call);
        RetHolding.Enqueued(ref A2, call);
        RetHolding.Enqueued(ref A3, call);
    }

    public void Ran(CallNode call, ActorCellBase cell)
    {
        bool ended = cell.State == ActorState.Zombie;   // the handler ended its own actor
        RetHolding.Ran(ref A1, call, cell, ended);
        RetHolding.Ran(ref A2, call, cell, ended);
        RetHolding.Ran(ref A3, call, cell, ended);
    }

    public void Dropped(CallNode call, ActorCellBase cell, ref Exception? error)
    {
        RetHolding.DroppedOneOfMany(ref A1, call, cell, ref error);
        RetHolding.DroppedOneOfMany(ref A2, call, cell, ref error);
        RetHolding.DroppedOneOfMany(ref A3, call, cell, ref error);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T1>()) A1 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T2>()) A2 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T3>()) A3 = default!;
    }

    public void Scrub() => Fn = null!;
}

internal partial struct CallArgs<TActor, T1, T2, T3, T4> : ICallArgs<TActor> where TActor : class
{
    internal ActorCall<TActor, T1, T2, T3, T4> Fn;
    internal T1 A1;
    internal T2 A2;
    internal T3 A3;
    internal T4 A4;

    public static bool HasRet => RetArg<T1>.IsRet || RetArg<T2>.IsRet || RetArg<T3>.IsRet || RetArg<T4>.IsRet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Invoke(TActor actor, Cx<TActor> cx) => Fn(actor, cx, A1, A2, A3, A4);
    public bool AnyStale() => RetHolding.IsStale(ref A1) || RetHolding.IsStale(ref A2) || RetHolding.IsStale(ref A3) || RetHolding.IsStale(ref A4);

    public void Enqueued(CallNode call)
    {
        RetHolding.Enqueued(ref A1, call);
        RetHolding.Enqueued(ref A2, call);
        RetHolding.Enqueued(ref A3, call);
        RetHolding.Enqueued(ref A4, call);
    }

    public void Ran(CallNode call, ActorCellBase cell)
    {
        bool ended = cell.State == ActorState.Zombie;   // the handler ended its own actor
        RetHolding.Ran(ref A1, call, cell, ended);
        RetHolding.Ran(ref A2, call, cell, ended);
        RetHolding.Ran(ref A3, call, cell, ended);
        RetHolding.Ran(ref A4, call, cell, ended);
    }

    public void Dropped(CallNode call, ActorCellBase cell, ref Exception? error)
    {
        RetHolding.DroppedOneOfMany(ref A1, call, cell, ref error);
        RetHolding.DroppedOneOfMany(ref A2, call, cell, ref error);
        RetHolding.DroppedOneOfMany(ref A3, call, cell, ref error);
        RetHolding.DroppedOneOfMany(ref A4, call, cell, ref error);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T1>()) A1 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T2>()) A2 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T3>()) A3 = default!;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T4>()) A4 = default!;
    }

    public void Scrub() => Fn = null!;
}
