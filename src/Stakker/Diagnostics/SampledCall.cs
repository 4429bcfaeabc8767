using System.Diagnostics;
using Stakker.Actors;
using Stakker.Calls;

namespace Stakker.Diagnostics;

/// <summary>A queued call wrapped while a dashboard samples: counted against its actor as queued,
/// then as run, with the time its handler took</summary>
/// <remarks>Only made on the diverted path (decision 094): with no page open, calls are never wrapped.</remarks>
internal sealed class SampledCall : CallNode
{
    CallNode _inner = null!;
    CoreDiagnostics _owner = null!;
    ActorRecord? _record;
    bool _queued;

    internal static SampledCall Wrap(Core core, CoreDiagnostics owner, CallNode inner, ActorRecord? record, bool queued)
    {
        var n = core.Pool.Rent<SampledCall>();
        n._inner = inner;
        n._owner = owner;
        n._record = record;
        n._queued = queued;
        if (queued && record is not null) record.Queued++;
        return n;
    }

    /// <summary>The actor the wrapped call runs on (looking through a trace wrapper)</summary>
    internal static object? TargetOf(CallNode node) => node is TracedCall t ? t.Inner.TraceTarget : node.TraceTarget;

    internal override object? TraceTarget => TargetOf(_inner);

    internal override void Run(Core core)
    {
        CallNode inner = _inner;
        CoreDiagnostics owner = _owner;
        ActorRecord? record = _record;
        bool queued = _queued;
        Release(core);
        long start = Stopwatch.GetTimestamp();
        try { inner.Run(core); }
        finally
        {
            long ticks = Stopwatch.GetTimestamp() - start;
            owner.HandlerTicks += ticks;
            if (record is not null)
            {
                record.CallsRun++;
                record.HandlerTicks += ticks;
                if (queued) record.Queued--;
            }
        }
    }

    internal override void Drop(Core core)
    {
        CallNode inner = _inner;
        if (_queued && _record is not null) _record.Queued--;
        Release(core);
        inner.Drop(core);
    }

    void Release(Core core)
    {
        _inner = null!;
        _owner = null!;
        _record = null;
        core.Pool.Return(this);
    }
}
