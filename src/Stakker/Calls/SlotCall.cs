namespace Stakker.Calls;

/// <summary>An inline call (target, handler, argument, invoker) as a node, so that tracing can wrap it</summary>
/// <remarks>Used only while tracing is active (decision 035): for calls that arrive from other Cores
/// and for inits, which otherwise ride in a queue slot where no parent activity fits.</remarks>
internal sealed unsafe class SlotCall : CallNode
{
    object? _target;
    object? _fn;
    object? _arg;
    long _bits;
    delegate*<Core, ref CallSlot, void> _invoke;

    internal static SlotCall Make(Core core, object target, object fn, delegate*<Core, ref CallSlot, void> invoke, object? arg, long bits)
    {
        var n = core.Pool.Rent<SlotCall>();
        n._target = target;
        n._fn = fn;
        n._invoke = invoke;
        n._arg = arg;
        n._bits = bits;
        return n;
    }

    internal override object? TraceTarget => _target;

    internal override void Run(Core core)
    {
        CallSlot slot = default;
        slot.Target = _target;
        slot.Fn = _fn;
        slot.Arg = _arg;
        slot.Bits = _bits;
        delegate*<Core, ref CallSlot, void> invoke = _invoke;
        Release(core);
        invoke(core, ref slot);
    }

    internal override void Drop(Core core) => Release(core);   // an inline call holds no Ret

    void Release(Core core)
    {
        _target = null;
        _fn = null;
        _arg = null;
        _bits = 0;
        _invoke = null;
        core.Pool.Return(this);
    }
}
