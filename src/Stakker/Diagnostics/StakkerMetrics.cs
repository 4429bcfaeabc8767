using System.Diagnostics.Metrics;

namespace Stakker.Diagnostics;

/// <summary>The instruments of the <c>Stakker</c> meter</summary>
/// <remarks>
/// Observable instruments read what each Core counts anyway (calls taken off its queues, wakes
/// collected, Rets answered "no value", timers, queue length) when a collector asks: a Core does no
/// metrics work per call. The reads race with the Core's thread; each is a single aligned word, so a
/// value is at worst one collection stale. Every measurement carries the tag <c>stakker.core</c>.
/// </remarks>
internal sealed class StakkerMetrics
{
    internal const string CoreTag = "stakker.core";
    internal const string ActorTypeTag = "stakker.actor.type";
    internal const string StopKindTag = "stakker.stop.kind";
    internal const string ErrorTypeTag = "error.type";

    readonly StakkerDiagnostics _owner;
    readonly Counter<long> _failures;

    internal StakkerMetrics(Meter meter, StakkerDiagnostics owner)
    {
        _owner = owner;
        meter.CreateObservableCounter("stakker.calls", () => Each(static c => c.Core.CallsTaken), "{call}",
            "Calls taken off the Cores' queues to run (actor calls, Ret deliveries, plain callbacks)");
        meter.CreateObservableUpDownCounter("stakker.queue.length", () => Each(static c => (long)c.Core.QueuedCalls), "{call}",
            "Calls waiting in the Cores' queues");
        meter.CreateObservableUpDownCounter("stakker.actors.alive", Alive, "{actor}",
            "Actors created and not yet ended, by state type");
        meter.CreateObservableUpDownCounter("stakker.timers.pending", () => Each(static c => (long)c.Core.PendingTimers), "{timer}",
            "Timers set and not yet fired or cancelled");
        meter.CreateObservableCounter("stakker.wakes", () => Each(static c => c.Core.WakesCollected), "{wake}",
            "Wakes from other threads collected by the Cores (waker wakes, posted work, cross-Core batches)");
        meter.CreateObservableCounter("stakker.ret.no_value", () => Each(static c => c.Core.RetsAbandoned), "{ret}",
            "Rets answered \"no value\": their holder ended, their call was dropped, or they were disposed unanswered");
        _failures = meter.CreateCounter<long>("stakker.actor.failures", "{actor}",
            "Actors that ended failed or killed, by state type, stop kind and exception type");
    }

    IEnumerable<Measurement<long>> Each(Func<CoreDiagnostics, long> read)
    {
        foreach (CoreDiagnostics c in _owner.Cores)
            yield return new Measurement<long>(read(c), new KeyValuePair<string, object?>(CoreTag, c.Name));
    }

    IEnumerable<Measurement<long>> Alive()
    {
        foreach (CoreDiagnostics c in _owner.Cores)
        {
            foreach (var (type, count) in c.Alive())
                yield return new Measurement<long>(count, new(CoreTag, c.Name), new(ActorTypeTag, type.Name));
        }
    }

    internal void Failure(CoreDiagnostics core, string actorType, StopCause cause)
    {
        if (!_failures.Enabled) return;
        _failures.Add(1, new(CoreTag, core.Name), new(ActorTypeTag, actorType),
            new(StopKindTag, cause.Kind == StopKind.Killed ? "killed" : "failed"),
            new(ErrorTypeTag, cause.Error?.GetType().FullName ?? "unknown"));
    }
}
