using System.Diagnostics;
using Stakker.Actors;
using Stakker.Calls;

namespace Stakker.Diagnostics;

/// <summary>A queued call wrapped while a dashboard samples: counted against its actor as queued,
/// then as run, and one in <see cref="TimedEvery"/> timed</summary>
/// <remarks>Only made on the diverted path (decision 094): with no page open, calls are never wrapped.</remarks>
internal sealed class SampledCall : CallNode
{
    CallNode _inner = null!;
    CoreDiagnostics _owner = null!;
    ActorFigures? _figures;
    bool _queued;

    internal static SampledCall Wrap(Core core, CoreDiagnostics owner, CallNode inner, ActorFigures? figures, bool queued)
    {
        var n = core.Pool.Rent<SampledCall>();
        n._inner = inner;
        n._owner = owner;
        n._figures = figures;
        n._queued = queued;
        if (queued && figures is not null) figures.Queued++;
        return n;
    }

    /// <summary>The actor the wrapped call runs on (looking through a trace wrapper)</summary>
    internal static object? TargetOf(CallNode node) => node is TracedCall t ? t.Inner.TraceTarget : node.TraceTarget;

    internal override object? TraceTarget => TargetOf(_inner);

    internal override void Run(Core core)
    {
        CallNode inner = _inner;
        CoreDiagnostics owner = _owner;
        ActorFigures? figures = _figures;
        bool queued = _queued;
        Release(core);
        if (figures is not null)
        {
            figures.CallsRun++;
            if (queued) figures.Queued--;
        }
        // Every call is counted; one in TimedEvery is timed, standing for the others (two clock reads
        // are most of what sampling costs a call).
        if ((owner.Sampled++ & (TimedEvery - 1)) != 0)
        {
            inner.Run(core);
            return;
        }
        long start = Stopwatch.GetTimestamp();
        try { inner.Run(core); }
        finally
        {
            long ticks = (Stopwatch.GetTimestamp() - start) * TimedEvery;
            owner.HandlerTicks += ticks;
            if (figures is not null) figures.HandlerTicks += ticks;
        }
    }

    /// <summary>One call in this many is timed (a power of two)</summary>
    internal const int TimedEvery = 8;

    internal override void Drop(Core core)
    {
        CallNode inner = _inner;
        if (_queued && _figures is not null) _figures.Queued--;
        Release(core);
        inner.Drop(core);
    }

    void Release(Core core)
    {
        _inner = null!;
        _owner = null!;
        _figures = null;
        core.Pool.Return(this);
    }
}
