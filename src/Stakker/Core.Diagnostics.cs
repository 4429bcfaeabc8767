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

    /// <summary>True when pushes must take the slow path: the Core is disposed (calls are dropped) or
    /// tracing is active (calls carry their parent activity)</summary>
    /// <remarks>One flag for both, so the call path tests one field whatever is switched on (decision 035).</remarks>
    internal bool Diverted;

    /// <summary>The parent activity of a traced call that has no span of its own (a Ret end-point), while it runs</summary>
    internal ActivityContext TraceParent;

    /// <summary>Rets answered "no value" on this Core (read by the metrics)</summary>
    internal long RetsAbandoned;

    internal void AttachDiagnostics(CoreDiagnostics diagnostics)
    {
        Diagnostics = diagnostics;
        RefreshDiverted();
    }

    /// <summary>Tracing starts or stops with its listeners: looked at once per <see cref="Run"/></summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    void RefreshDiverted() => Diverted = _disposed || (Diagnostics is { } d && d.TracingActive);

    /// <summary>The slow half of <see cref="Push"/>: drop after Dispose, or wrap the call with its parent activity</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    void PushDiverted(CallNode node, Lane lane)
    {
        if (_disposed) { DropLate(node); return; }
        Queues.Push(TracedCall.Wrap(this, node, Activity.Current?.Context ?? TraceParent), lane);
    }

    /// <summary>True if a call posted now from a thread running no Core should carry that thread's
    /// activity: read on that thread, where <see cref="Diverted"/> could be a run stale</summary>
    internal bool TracesForeign => Diagnostics is { } d && d.TracingActive;

    /// <summary>The slow half of adding a timer: true if it was dropped (after Dispose); else, while
    /// tracing, its call is wrapped with the activity that set it, so it fires as that one's child</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    bool DivertTimer(ref CallNode node)
    {
        if (_disposed) { DropLate(node); return true; }
        node = TracedCall.Wrap(this, node, Activity.Current?.Context ?? TraceParent);
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
