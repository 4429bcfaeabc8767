using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stakker.Actors;
using Stakker.Calls;
using Stakker.Diagnostics;

namespace Stakker;

public sealed partial class Core
{
    /// <summary>Set by <see cref="StakkerDiagnostics.Attach"/>; null (the usual case) costs one branch
    /// where an actor is created, starts or ends, and nothing per call</summary>
    internal CoreDiagnostics? Diagnostics;

    /// <summary>True when pushes must take the slow path: the Core is disposed (calls are dropped),
    /// tracing is active (calls carry their parent activity) or a dashboard samples (calls are counted
    /// and timed)</summary>
    /// <remarks>One flag for all, so the call path tests one field whatever is switched on (decisions 035, 094).</remarks>
    internal bool Diverted;

    /// <summary>Tracing, as seen at the start of this Run (read on the diverted path only)</summary>
    bool _tracing;

    /// <summary>Sampling for a dashboard, as seen at the start of this Run (read on the diverted path only)</summary>
    bool _sampling;

    /// <summary>The parent activity of a traced call that has no span of its own (a Ret end-point), while it runs</summary>
    internal ActivityContext TraceParent;

    /// <summary>Rets answered "no value" on this Core (read by the metrics)</summary>
    internal long RetsAbandoned;

    internal void AttachDiagnostics(CoreDiagnostics diagnostics)
    {
        Diagnostics = diagnostics;
        RefreshDiverted();
    }

    /// <summary>Tracing starts or stops with its listeners, sampling with a dashboard's open pages:
    /// looked at once per <see cref="Run"/></summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    void RefreshDiverted()
    {
        CoreDiagnostics? d = Diagnostics;
        _tracing = d is not null && d.TracingActive;
        _sampling = d is not null && d.SamplingActive;
        Diverted = _disposed || _tracing || _sampling;
    }

    /// <summary>The slow half of <see cref="Push"/>: drop after Dispose, or wrap the call with its
    /// parent activity and/or a dashboard's sample</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    void PushDiverted(CallNode node, Lane lane)
    {
        if (_disposed) { DropLate(node); return; }
        Queues.Push(Divert(node, timer: false), lane);
    }

    CallNode Divert(CallNode node, bool timer)
    {
        if (_tracing) node = TracedCall.Wrap(this, node, Activity.Current?.Context ?? TraceParent);
        if (_sampling) node = Diagnostics!.Sample(node, timer);
        return node;
    }

    /// <summary>The actor whose handler runs now, if any (the owner of an actor created now)</summary>
    internal ActorCellBase? CurrentActor => _current;

    /// <summary>Visits every pending timer's call (for a dashboard's snapshot)</summary>
    internal void VisitTimers<TState>(Action<CallNode, TState> visit, TState state) => _timers.Visit(visit, state);

    /// <summary>True if a call posted now from a thread running no Core should carry that thread's
    /// activity: read on that thread, where <see cref="Diverted"/> could be a run stale</summary>
    internal bool TracesForeign => Diagnostics is { } d && d.TracingActive;

    /// <summary>The slow half of adding a timer: true if it was dropped (after Dispose); else, while
    /// tracing, its call is wrapped with the activity that set it, so it fires as that one's child,
    /// and while sampling, it is counted as its actor's pending timer</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    bool DivertTimer(ref CallNode node)
    {
        if (_disposed) { DropLate(node); return true; }
        node = Divert(node, timer: true);
        return false;
    }

    /// <summary>The logger of <paramref name="cell"/>'s handlers (<see cref="Cx{T}.Logger"/>)</summary>
    internal ILogger LoggerFor(ActorCellBase cell) => Diagnostics is { } d ? d.LoggerFor(cell) : NullLogger.Instance;

    /// <summary>Calls taken off the queues so far (read by the metrics from any thread)</summary>
    internal long CallsTaken => Queues.Taken;

    /// <summary>Calls queued now (read by the metrics from any thread)</summary>
    internal int QueuedCalls => Queues.Length;

    /// <summary>Timers pending now (read by the metrics from any thread)</summary>
    internal int PendingTimers => _timers.Count;

    /// <summary>Wakes collected so far (read by the metrics from any thread)</summary>
    internal long WakesCollected => Volatile.Read(ref _wakes.Collected);
}
