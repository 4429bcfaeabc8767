using System.Runtime.CompilerServices;
using Stakker.Calls;

namespace Stakker.Actors;

// Invokers for inline calls: calls written straight into a main-queue slot instead of a pooled node
// (see CallRing and decision 007). Each reads the call out of its slot and runs it through
// ActorCell.RunCall, the direct-delegate form of the nodes' ActorCell.RunHandler. An inline
// call never carries a Ret (a Ret argument is a struct holding a reference, which always travels in
// a node), so there is nothing to answer when one is dropped.

// Each invoker's address is taken once, in a static readonly field, and callers pass the field: an
// `&Invoker<TActor, T1>.Run` inside an aggressively inlined generic method crashed the Native AOT
// compiler when inlined into a generic class's method (decision 032). For an exact instantiation the
// JIT folds the field into a constant.

internal static unsafe class InlineCall<TActor> where TActor : class
{
    internal static readonly delegate*<Core, ref CallSlot, void> RunFn = &Run;

    internal static void Run(Core core, ref CallSlot slot)
    {
        ActorCell<TActor> cell = Unsafe.As<ActorCell<TActor>>(slot.Target!);
        ActorCall<TActor> fn = Unsafe.As<ActorCall<TActor>>(slot.Fn!);
        if (cell.State != ActorState.Ready)
        {
            // Prep: park a node in the actor's queue. Zombie: the call is dropped.
            if (cell.State == ActorState.Prep) cell.Prep.Push(core.MakeCall(cell, fn));
            return;
        }
        cell.RunCall(core, fn);
    }
}

internal static unsafe class InlineCall<TActor, T1> where TActor : class
{
    internal static readonly delegate*<Core, ref CallSlot, void> RunBitsFn = &RunBits;
    internal static readonly delegate*<Core, ref CallSlot, void> RunRefFn = &RunRef;

    /// <summary>The argument is unmanaged data of up to 8 bytes, kept in <see cref="CallSlot.Bits"/></summary>
    internal static void RunBits(Core core, ref CallSlot slot) =>
        Run(core, Unsafe.As<ActorCell<TActor>>(slot.Target!), Unsafe.As<ActorCall<TActor, T1>>(slot.Fn!), Unsafe.As<long, T1>(ref slot.Bits));

    /// <summary>The argument is a reference, kept in <see cref="CallSlot.Arg"/></summary>
    internal static void RunRef(Core core, ref CallSlot slot)
    {
        T1 a1 = Unsafe.As<object?, T1>(ref slot.Arg);
        slot.Arg = null;
        Run(core, Unsafe.As<ActorCell<TActor>>(slot.Target!), Unsafe.As<ActorCall<TActor, T1>>(slot.Fn!), a1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Run(Core core, ActorCell<TActor> cell, ActorCall<TActor, T1> fn, T1 a1)
    {
        if (cell.State != ActorState.Ready)
        {
            if (cell.State == ActorState.Prep) cell.Prep.Push(core.MakeCall(cell, fn, a1));
            return;
        }
        cell.RunCall(core, fn, a1);
    }
}
