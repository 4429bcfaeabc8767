using System.Diagnostics;
using Stakker.Actors;
using Stakker.Calls;

namespace Stakker.Diagnostics;

/// <summary>The activity source, and the node that carries a call's parent activity across the queue</summary>
internal static class StakkerTracing
{
    internal static readonly ActivitySource Source = new(StakkerDiagnostics.ActivitySourceName,
        typeof(Core).Assembly.GetName().Version?.ToString());

    internal const string CallName = "stakker.call";
}

/// <summary>A queued call wrapped with the activity that was current when it was made</summary>
/// <remarks>
/// Only made while tracing is active (a Core diverts its calls here, decision 035): the call itself
/// is unchanged, and its handler runs inside a child activity of the one that made it, so the calls
/// and Ret answers made by that handler are children in turn. A call made with no current activity
/// (an I/O event, a driver) starts a new trace, if the listener samples it. Across threads and Cores the
/// parent travels with the call (CrossCore/TracedAcross.cs).
/// </remarks>
internal sealed class TracedCall : CallNode
{
    CallNode _inner = null!;
    ActivityContext _parent;

    /// <summary>The wrapped call (a dashboard's sample looks through to its actor)</summary>
    internal CallNode Inner => _inner;

    internal static TracedCall Wrap(Core core, CallNode inner, ActivityContext parent)
    {
        var n = core.Pool.Rent<TracedCall>();
        n._inner = inner;
        n._parent = parent;
        return n;
    }

    internal override void Run(Core core)
    {
        CallNode inner = _inner;
        ActivityContext parent = _parent;
        Release(core);
        if (inner.TraceTarget is not ActorCellBase cell)
        {
            // A Ret end-point or a plain callback: no span of its own, but what it queues (the answer's
            // call to an actor) is still a child of the span that made it.
            ActivityContext outer = core.TraceParent;
            core.TraceParent = parent;
            try { inner.Run(core); }
            finally { core.TraceParent = outer; }
            return;
        }
        Activity? previous = Activity.Current;
        Activity? activity = StakkerTracing.Source.StartActivity(StakkerTracing.CallName, ActivityKind.Internal, parent);
        if (activity is not null)
        {
            activity.DisplayName = cell.StateType.Name;
            activity.SetTag(StakkerMetrics.ActorTypeTag, cell.StateType.Name);
            activity.SetTag("stakker.actor.id", cell.Id);
        }
        try { inner.Run(core); }
        catch (Exception ex) when (activity is not null && Failed(activity, ex)) { throw; }
        finally
        {
            activity?.Stop();
            Activity.Current = previous;
        }
    }

    /// <summary>Marks the activity failed; never catches (an exception filter that returns false)</summary>
    static bool Failed(Activity activity, Exception ex)
    {
        activity.SetStatus(ActivityStatusCode.Error, ex.Message);
        activity.AddTag(StakkerMetrics.ErrorTypeTag, ex.GetType().FullName);
        return false;
    }

    internal override void Drop(Core core)
    {
        CallNode inner = _inner;
        Release(core);
        inner.Drop(core);
    }

    void Release(Core core)
    {
        _inner = null!;
        _parent = default;
        core.Pool.Return(this);
    }
}
