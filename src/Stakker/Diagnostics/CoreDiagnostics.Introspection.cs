using System.Diagnostics;
using Stakker.Actors;
using Stakker.Calls;
using Stakker.Returns;

namespace Stakker.Diagnostics;

/// <summary>The dashboard's side of a Core: the living actors with their owners, sampled figures,
/// recent failures, and snapshots of them (decision 094)</summary>
/// <remarks>Everything here is touched on the Core's thread only, except the sampling switch, which a
/// dashboard turns from its own thread and the Core reads at the start of each Run.</remarks>
internal sealed partial class CoreDiagnostics
{
    readonly Dictionary<ActorCellBase, ActorPlace> _actors = new(ReferenceEqualityComparer.Instance);
    /// <summary>Figures of the actors sampled so far (only those called while sampling)</summary>
    readonly Dictionary<ActorCellBase, ActorFigures> _figures = new(ReferenceEqualityComparer.Instance);
    readonly ActorFailure?[] _failures = new ActorFailure?[StakkerDiagnostics.FailuresKept];
    int _failureNext;

    /// <summary>Stopwatch ticks spent running sampled calls (estimated from the timed ones)</summary>
    internal long HandlerTicks;

    /// <summary>Calls run while sampling: picks the ones timed</summary>
    internal long Sampled;

    internal bool SamplingActive => Owner.SamplingAll;

    void Track(ActorCellBase cell)
    {
        ActorCellBase? owner = Core.CurrentActor;
        _actors[cell] = new ActorPlace(owner, Core.Now);
        if (owner is not null) Decide(owner, OwnerDecision.Restarted, cell.StateType.Name);
    }

    void Untrack(ActorCellBase cell, StopCause cause)
    {
        _actors.Remove(cell, out ActorPlace place);
        _figures.Remove(cell);
        Decide(cell, (cause.Kind is StopKind.Failed or StopKind.Killed) ? OwnerDecision.FailedUpward : OwnerDecision.OwnerStopped, null);
        if (cause.Kind is not (StopKind.Failed or StopKind.Killed)) return;
        Exception? error = cause.Error;
        string message = error?.Message ?? "";
        ActorCellBase? owner = place.Owner;
        _failures[_failureNext] = new ActorFailure
        {
            At = Core.Now,
            ActorId = cell.Id,
            ActorType = cell.StateType.Name,
            Kind = cause.Kind,
            ErrorType = error?.GetType().FullName ?? "",
            Message = message.Length > 500 ? message[..500] : message,
            OwnerId = owner?.Id,
            OwnerType = owner?.StateType.Name,
            Decision = owner is null ? OwnerDecision.Root : OwnerDecision.Pending,
        };
        _failureNext = (_failureNext + 1) % _failures.Length;
    }

    /// <summary>The owner <paramref name="owner"/> did something: settle its children's pending failures
    /// (for a new actor of <paramref name="type"/>, the oldest pending failure of that type only: one
    /// new actor answers one failure)</summary>
    /// <remarks>Inferred from what the Core sees (decision 096): the Core cannot tell a restart from an
    /// owner that makes actors of that type anyway.</remarks>
    void Decide(ActorCellBase owner, OwnerDecision decision, string? type)
    {
        for (int i = 1; i <= _failures.Length; i++)
        {
            // Oldest first, so a restart settles the failure waiting longest.
            ActorFailure? f = _failures[(_failureNext + i - 1) % _failures.Length];
            if (f is not { Decision: OwnerDecision.Pending } || f.OwnerId != owner.Id) continue;
            if (type is null) f.Decision = decision;
            else if (f.ActorType == type)
            {
                f.Decision = decision;
                return;
            }
        }
    }

    /// <summary>Wraps a call made while sampling (a timer's call is not counted as queued: it is a pending timer)</summary>
    internal CallNode Sample(CallNode node, bool timer)
    {
        return SampledCall.Wrap(Core, this, node, SampledCall.TargetOf(node) is ActorCellBase cell ? FiguresOf(cell) : null, queued: !timer);
    }

    ActorFigures? FiguresOf(ActorCellBase cell)
    {
        if (_figures.TryGetValue(cell, out ActorFigures? f)) return f;
        if (!_actors.ContainsKey(cell)) return null;   // ended, or made before the Core was attached
        _figures[cell] = f = new ActorFigures();
        return f;
    }

    /// <summary>A bounded snapshot: figures, actors by type, the actors of <paramref name="type"/> (or all)
    /// up to <paramref name="maxActors"/>, and the failures kept</summary>
    internal CoreSnapshot Snapshot(string? type, int maxActors)
    {
        var timers = new Dictionary<ActorCellBase, int>(ReferenceEqualityComparer.Instance);
        Core.VisitTimers(static (node, counts) =>
        {
            if (SampledCall.TargetOf(node) is ActorCellBase cell) counts[cell] = counts.GetValueOrDefault(cell) + 1;
        }, timers);
        var types = new Dictionary<Type, ActorTypeSummary>();
        var listed = new List<(ActorCellBase Cell, ActorPlace Place)>();
        int matched = 0;
        Instant now = Core.Now;
        foreach (var (cell, place) in _actors)
        {
            Type t = cell.StateType;
            if (!types.TryGetValue(t, out ActorTypeSummary? sum)) types[t] = sum = new ActorTypeSummary { Type = t.Name };
            ActorFigures? f = _figures.GetValueOrDefault(cell);
            sum.Count++;
            if (cell.State == ActorState.Prep) sum.Prep++;
            if (f is not null)
            {
                sum.CallsRun += f.CallsRun;
                sum.Queued += f.Queued;
                sum.HandlerTime += Stopwatch.GetElapsedTime(0, f.HandlerTicks);
            }
            sum.PendingTimers += timers.GetValueOrDefault(cell);
            sum.OutstandingRets += HeldRets(cell);
            if (type is null || type == t.Name)
            {
                matched++;
                if (listed.Count < maxActors) listed.Add((cell, place));
            }
        }
        listed.Sort(static (a, b) => a.Cell.Id.CompareTo(b.Cell.Id));
        var actors = new ActorSnapshot[listed.Count];
        for (int i = 0; i < actors.Length; i++)
        {
            var (cell, place) = listed[i];
            ActorFigures? f = _figures.GetValueOrDefault(cell);
            actors[i] = new ActorSnapshot
            {
                Id = cell.Id,
                Type = cell.StateType.Name,
                State = cell.State,
                OwnerId = place.Owner?.Id,
                Age = now - place.Created,
                CallsRun = f?.CallsRun ?? 0,
                Queued = f?.Queued ?? 0,
                HandlerTime = Stopwatch.GetElapsedTime(0, f?.HandlerTicks ?? 0),
                PendingTimers = timers.GetValueOrDefault(cell),
                OutstandingRets = HeldRets(cell),
            };
        }
        var summaries = types.Values.ToArray();
        Array.Sort(summaries, static (a, b) => b.Count != a.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Type, b.Type));
        return new CoreSnapshot
        {
            Core = Name,
            Now = now,
            CallsTaken = Core.CallsTaken,
            QueueLength = Core.QueuedCalls,
            PendingTimers = Core.PendingTimers,
            Wakes = Core.WakesCollected,
            RetsAbandoned = Core.RetsAbandoned,
            Sampling = SamplingActive,
            HandlerTime = Stopwatch.GetElapsedTime(0, HandlerTicks),
            ActorCount = _actors.Count,
            Types = summaries,
            Actors = actors,
            ActorsTruncated = matched > actors.Length,
            Failures = RecentFailures(),
        };
    }

    static int HeldRets(ActorCellBase cell)
    {
        int n = 0;
        for (RetNodeBase? r = cell.HeldRets; r is not null; r = r.HeldNext) n++;
        return n;
    }

    ActorFailure[] RecentFailures()
    {
        var list = new List<ActorFailure>(_failures.Length);
        for (int i = 1; i <= _failures.Length; i++)
        {
            // A copy: the kept record's decision may still change, a snapshot's must not.
            if (_failures[(_failureNext - i + _failures.Length) % _failures.Length] is { } f) list.Add(f.Copy());
        }
        return [.. list];
    }

    /// <summary>Kills the living actor <paramref name="id"/> (outside any handler); false if there is none</summary>
    internal bool Kill(long id, string reason)
    {
        foreach (ActorCellBase cell in _actors.Keys)
        {
            if (cell.Id != id) continue;
            if (cell.State == ActorState.Zombie) return false;
            cell.Terminate(StopCause.Killed(reason));
            return true;
        }
        return false;
    }
}
