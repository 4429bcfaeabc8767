using Microsoft.Extensions.Logging;
using Stakker.Actors;

namespace Stakker.Diagnostics;

/// <summary>One Core's side of a <see cref="StakkerDiagnostics"/>: the hooks the Core calls, and
/// what a metrics collection reads</summary>
/// <remarks>The hooks run on the Core's thread. The counts of living actors are also read by a
/// collector's thread, hence the lock (taken only where an actor is created or ends, never per call).</remarks>
internal sealed partial class CoreDiagnostics(StakkerDiagnostics owner, Core core, string name)
{
    internal readonly StakkerDiagnostics Owner = owner;
    internal readonly Core Core = core;
    internal readonly string Name = name;
    readonly ILogger _log = owner.LoggerFactory.CreateLogger(StakkerDiagnostics.LogCategory);
    /// <summary>Loggers per actor state type (categories), Core thread only</summary>
    readonly Dictionary<Type, ILogger> _loggers = [];
    readonly Lock _aliveLock = new();
    readonly Dictionary<Type, long> _alive = [];

    /// <summary>True while calls should carry activities: tracing was asked for and someone listens</summary>
    internal bool TracingActive => Owner.Tracing && StakkerTracing.Source.HasListeners();

    internal void ActorCreated(ActorCellBase cell)
    {
        Type type = cell.StateType;
        lock (_aliveLock) _alive[type] = _alive.GetValueOrDefault(type) + 1;
        Track(cell);
    }

    internal void ActorStarted(ActorCellBase cell) => ActorLog.Started(_log, cell.StateType.Name, cell.Id, Name);

    internal void ActorEnded(ActorCellBase cell, StopCause cause, Exception? notifyError)
    {
        Type type = cell.StateType;
        lock (_aliveLock)
        {
            if (_alive.TryGetValue(type, out long n)) _alive[type] = n - 1;
        }
        string typeName = type.Name;
        switch (cause.Kind)
        {
            case StopKind.Failed:
                ActorLog.Failed(_log, cause.Error, typeName, cell.Id, Name);
                Owner.Metrics.Failure(this, typeName, cause);
                break;
            case StopKind.Killed:
                ActorLog.Killed(_log, cause.Error, typeName, cell.Id, Name);
                Owner.Metrics.Failure(this, typeName, cause);
                break;
            default:
                ActorLog.Stopped(_log, typeName, cell.Id, Name, cause.Kind);
                break;
        }
        if (notifyError is not null) ActorLog.NotifyFailed(_log, notifyError, typeName, cell.Id, Name);
        Untrack(cell, cause);
    }

    /// <summary>The logger for <paramref name="cell"/>'s handlers: its type's category, with the
    /// actor's identity as a scope on every entry</summary>
    internal ILogger LoggerFor(ActorCellBase cell)
    {
        ActorExtras extras = cell.Extras;
        if (extras.Logger is { } made) return made;
        Type type = cell.StateType;
        if (!_loggers.TryGetValue(type, out ILogger? category))
            _loggers[type] = category = Owner.LoggerFactory.CreateLogger(type.FullName ?? type.Name);
        return extras.Logger = new ActorLogger(category, type.Name, cell.Id, Name);
    }

    /// <summary>Living actors per state type, for a collection (any thread)</summary>
    internal KeyValuePair<Type, long>[] Alive()
    {
        lock (_aliveLock) return [.. _alive];
    }
}
