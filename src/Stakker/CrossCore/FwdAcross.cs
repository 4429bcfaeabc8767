using System.Runtime.CompilerServices;
using Stakker.Calls;

namespace Stakker.CrossCore;

/// <summary>Stands in, on another Core, for a <see cref="Fwd{T}"/> of the Core that sent it: each value
/// and the end travel back and are sent to the original there, in order</summary>
/// <remarks>Values count against the origin's <see cref="Core.CrossCoreCapacity"/> like calls (a
/// stream is a series of calls), so a fast producer gets <see cref="CrossCoreFullException"/> rather
/// than growing the origin's inbox without bound.</remarks>
internal sealed class FwdAcross<T>(Fwd<T> origin, Core here, CrossLink back) : Fwd<T>
{
    private protected override unsafe void SendCore(T value)
    {
        here.CheckThread();
        if (here.Diverted)
        {
            SendTraced(value);
            return;
        }
        if (CrossArg<T>.Inline)
        {
            ref CallSlot s = ref back.Append(call: true);
            s.Target = origin;
            if (!typeof(T).IsValueType)
            {
                s.Arg = Unsafe.As<T, object?>(ref value);
                s.Invoke = FwdRelay<T>.RunRefFn;
            }
            else
            {
                Unsafe.As<long, T>(ref s.Bits) = value;
                s.Invoke = FwdRelay<T>.RunBitsFn;
            }
        }
        else
        {
            CrossArg<T>.Depart(ref value, here);
            back.Append(FwdItem<T>.Make(here, origin, value), call: true);
        }
        if (!here.InRun) here.Links.Flush();
    }

    /// <summary>While tracing: each value travels as a parcel with the activity that sent it</summary>
    unsafe void SendTraced(T value)
    {
        if (CrossArg<T>.Inline)
        {
            long bits = 0;
            object? arg = null;
            delegate*<Core, ref CallSlot, void> invoke;
            if (!typeof(T).IsValueType)
            {
                arg = Unsafe.As<T, object?>(ref value);
                invoke = FwdRelay<T>.RunRefFn;
            }
            else
            {
                Unsafe.As<long, T>(ref bits) = value;
                invoke = FwdRelay<T>.RunBitsFn;
            }
            back.Append(call: true).Target = TraceCarry.Inline(here, origin, origin, invoke, arg, bits);
        }
        else
        {
            CrossArg<T>.Depart(ref value, here);
            back.Append(call: true).Target = TraceCarry.Parcel(here, FwdItem<T>.Make(here, origin, value));
        }
        if (!here.InRun) here.Links.Flush();
    }

    private protected override void EndCore(StreamEnd end)
    {
        if (here.Diverted) back.Append(call: false).Target = TraceCarry.Parcel(here, new FwdEnd<T>(origin, end));
        else back.Append(new FwdEnd<T>(origin, end), call: false);
        if (!here.InRun) here.Links.Flush();
    }

    private protected override void CheckThread() => here.CheckThread();
}

/// <summary>Invokers for a Fwd value that rode back in a slot: sent to the original on its own Core</summary>
internal static unsafe class FwdRelay<T>
{
    internal static readonly delegate*<Core, ref CallSlot, void> RunRefFn = &RunRef;
    internal static readonly delegate*<Core, ref CallSlot, void> RunBitsFn = &RunBits;

    static void RunRef(Core core, ref CallSlot slot)
    {
        T value = Unsafe.As<object?, T>(ref slot.Arg);
        slot.Arg = null;
        Send(Unsafe.As<Fwd<T>>(slot.Target!), value);
    }

    static void RunBits(Core core, ref CallSlot slot) => Send(Unsafe.As<Fwd<T>>(slot.Target!), Unsafe.As<long, T>(ref slot.Bits));

    // The original may have been ended on its own Core meanwhile: later values are dropped, as a
    // Fwd to an ended actor drops them.
    internal static void Send(Fwd<T> origin, T value)
    {
        if (!origin.IsEnded) origin.Send(value);
    }
}

/// <summary>A Fwd value that needs a parcel (large, or itself a Ret or Fwd to replace)</summary>
/// <remarks>Rented from the pool of the Core that sends the value (the stand-in's); on arrival the value
/// moves into a <see cref="FwdValue{T}"/> of the original's Core, and the emptied parcel rides back to its
/// pool with the batch that carried it (decision 108).</remarks>
internal sealed class FwdItem<T> : CallNode, ICrossParcel
{
    Fwd<T> _origin = null!;
    T _value = default!;
    /// <summary>On its way back undelivered, to answer a Ret in the value where it lives</summary>
    bool _returning;

    internal static FwdItem<T> Make(Core here, Fwd<T> origin, T value)
    {
        FwdItem<T> item = here.Pool.Rent<FwdItem<T>>();
        item._origin = origin;
        item._value = value;
        item._returning = false;
        return item;
    }

    public bool Arrive(Core here, CrossLink? link)
    {
        if (_returning) { here.Push(this); return false; }
        if (here.IsDisposed)
        {
            if (!CrossArg<T>.IsRet || link is null) return false;
            _returning = true;
            link.Back(here).Append(this, call: false);
            return false;
        }
        if (link is not null) CrossArg<T>.Arrive(ref _value, here, link.Back(here));
        FwdValue<T> node = here.Pool.Rent<FwdValue<T>>();
        node.Origin = _origin;
        node.Value = _value;
        _origin = null!;
        _value = default!;
        here.Push(node);
        return PoolId >= 0;
    }

    public void Undelivered(ref Exception? error) => CrossArg<T>.Undelivered(ref _value, ref error);

    // Only a returning item is queued as itself, on its sender's Core: its Ret answers "no value" there.
    internal override void Run(Core core) => Drop(core);

    internal override void Drop(Core core)
    {
        Exception? error = null;
        CrossArg<T>.Undelivered(ref _value, ref error);
        if (error is not null) Internal.ThrowHelper.Rethrow(error);
    }
}

/// <summary>A Fwd value that came back from another Core, queued on the original's Core</summary>
internal sealed class FwdValue<T> : CallNode
{
    internal Fwd<T> Origin = null!;
    internal T Value = default!;

    internal override void Run(Core core)
    {
        Fwd<T> origin = Origin;
        T value = Value;
        Origin = null!;
        Value = default!;
        core.Pool.Return(this);
        FwdRelay<T>.Send(origin, value);
    }

    /// <summary>A Ret in the value answers "no value" (the original's Core is closing)</summary>
    internal override void Drop(Core core)
    {
        T value = Value;
        Origin = null!;
        Value = default!;
        core.Pool.Return(this);
        Exception? error = null;
        CrossArg<T>.Undelivered(ref value, ref error);
        if (error is not null) Internal.ThrowHelper.Rethrow(error);
    }
}

/// <summary>The end of a stream whose values crossed: ends the original on its own Core</summary>
internal sealed class FwdEnd<T>(Fwd<T> origin, StreamEnd end) : CallNode, ICrossParcel
{
    public bool Arrive(Core here, CrossLink? link)
    {
        here.Push(this);
        return false;
    }

    public void Undelivered(ref Exception? error) { }

    internal override void Run(Core core)
    {
        if (origin.IsEnded) return;
        if (end.Error is { } e) origin.Fail(e);
        else origin.End();
    }

    internal override void Drop(Core core) { }
}
