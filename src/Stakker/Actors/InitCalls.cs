using System.Runtime.CompilerServices;
using Stakker.Calls;

namespace Stakker.Actors;

// Queued init calls for Prep actors. An init that returns state makes the actor Ready; one that
// returns null leaves it in Prep (two-step init). An init arriving after the actor is Ready is
// ignored, as in Stakker; one arriving at a Zombie is dropped. An init with no argument, or one small
// argument, is written inline into the main queue's slot (no node: a burst of spawns allocates only
// the actors); with more arguments it travels in a pooled InitNode over one InitArgs struct per
// arity, like calls (CallArgs). Every init enters actor code through ActorCell.RunInit.

/// <summary>The init function and arguments of an init of a <typeparamref name="TActor"/></summary>
internal interface IInitArgs<TActor> where TActor : class
{
    /// <summary>Calls the init</summary>
    TActor? Invoke(Cx<TActor> cx);

    /// <summary>Clears every reference (an init node keeps nothing between uses)</summary>
    void Clear();
}

internal struct InitArgs<TActor> : IInitArgs<TActor> where TActor : class
{
    internal ActorInit<TActor> Fn;

    public readonly TActor? Invoke(Cx<TActor> cx) => Fn(cx);
    public void Clear() => Fn = null!;
}

internal struct InitArgs<TActor, T1> : IInitArgs<TActor> where TActor : class
{
    internal ActorInit<TActor, T1> Fn;
    internal T1 A1;

    public readonly TActor? Invoke(Cx<TActor> cx) => Fn(cx, A1);
    public void Clear() => this = default;
}

internal struct InitArgs<TActor, T1, T2> : IInitArgs<TActor> where TActor : class
{
    internal ActorInit<TActor, T1, T2> Fn;
    internal T1 A1;
    internal T2 A2;

    public readonly TActor? Invoke(Cx<TActor> cx) => Fn(cx, A1, A2);
    public void Clear() => this = default;
}

internal struct InitArgs<TActor, T1, T2, T3> : IInitArgs<TActor> where TActor : class
{
    internal ActorInit<TActor, T1, T2, T3> Fn;
    internal T1 A1;
    internal T2 A2;
    internal T3 A3;

    public readonly TActor? Invoke(Cx<TActor> cx) => Fn(cx, A1, A2, A3);
    public void Clear() => this = default;
}

internal struct InitArgs<TActor, T1, T2, T3, T4> : IInitArgs<TActor> where TActor : class
{
    internal ActorInit<TActor, T1, T2, T3, T4> Fn;
    internal T1 A1;
    internal T2 A2;
    internal T3 A3;
    internal T4 A4;

    public readonly TActor? Invoke(Cx<TActor> cx) => Fn(cx, A1, A2, A3, A4);
    public void Clear() => this = default;
}

/// <summary>A queued init that does not fit a queue slot, of any arity</summary>
internal sealed class InitNode<TActor, TArgs> : CallNode
    where TActor : class
    where TArgs : struct, IInitArgs<TActor>
{
    internal ActorCell<TActor> Cell = null!;
    internal TArgs Args;

    internal override void Run(Core core)
    {
        ActorCell<TActor> cell = Cell;
        if (cell.State != ActorState.Prep) { Drop(core); return; }
        TArgs args = Args;
        Drop(core);   // the node is recycled before user code runs
        cell.RunInit(core, ref args);
    }

    internal override void Drop(Core core)
    {
        Cell = null!;
        Args.Clear();
        core.Pool.Return(this);
    }
}

/// <summary>Inline inits with no argument</summary>
internal static unsafe class InitRun<TActor> where TActor : class
{
    internal static readonly delegate*<Core, ref CallSlot, void> Run0Fn = &Run0;

    internal static void Run0(Core core, ref CallSlot slot)
    {
        ActorCell<TActor> cell = Unsafe.As<ActorCell<TActor>>(slot.Target!);
        if (cell.State != ActorState.Prep) return;
        var args = new InitArgs<TActor> { Fn = Unsafe.As<ActorInit<TActor>>(slot.Fn!) };
        cell.RunInit(core, ref args);
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
        var args = new InitArgs<TActor, T1> { Fn = fn, A1 = a1 };
        cell.RunInit(core, ref args);
    }
}
