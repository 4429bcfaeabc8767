using System.Buffers;
using System.Text.Json;
using Stakker.Diagnostics;

namespace Stakker.Hosting.Dashboard;

/// <summary>The dashboard's JSON, written by hand with <see cref="Utf8JsonWriter"/> (no reflection, trim safe)</summary>
internal static class DashboardJson
{
    /// <summary>A Core's rates between two snapshots, computed once for every open page</summary>
    internal readonly record struct Rates(double CallsPerSecond, double WakesPerSecond, double? Idle);

    /// <summary>The live event: each Core's figures and rates, actors by type, failures newest first</summary>
    internal static byte[] Event(IReadOnlyList<CoreSnapshot> cores, IReadOnlyList<Rates> rates, bool allowActions)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("time", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            w.WriteBoolean("allowActions", allowActions);
            w.WriteStartArray("cores");
            for (int i = 0; i < cores.Count; i++) WriteCore(w, cores[i], rates[i], actors: false, maxActors: 0);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The answer to <c>/api/snapshot</c>: as an event, with the actors asked for</summary>
    internal static byte[] Snapshot(IReadOnlyList<CoreSnapshot> cores, int maxActors, bool allowActions)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("time", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            w.WriteBoolean("allowActions", allowActions);
            w.WriteStartArray("cores");
            foreach (CoreSnapshot c in cores) WriteCore(w, c, null, actors: true, maxActors);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    static void WriteCore(Utf8JsonWriter w, CoreSnapshot c, Rates? rates, bool actors, int maxActors)
    {
        w.WriteStartObject();
        w.WriteString("name", c.Core);
        if (rates is { } r)
        {
            w.WriteNumber("callsPerSecond", Math.Round(r.CallsPerSecond, 1));
            w.WriteNumber("wakesPerSecond", Math.Round(r.WakesPerSecond, 1));
            if (r.Idle is { } idle) w.WriteNumber("idle", Math.Round(idle, 4));
            else w.WriteNull("idle");
        }
        w.WriteNumber("callsTaken", c.CallsTaken);
        w.WriteNumber("queueLength", c.QueueLength);
        w.WriteNumber("pendingTimers", c.PendingTimers);
        w.WriteNumber("wakes", c.Wakes);
        w.WriteNumber("retsAbandoned", c.RetsAbandoned);
        w.WriteBoolean("sampling", c.Sampling);
        w.WriteNumber("handlerMs", Math.Round(c.HandlerTime.TotalMilliseconds, 3));
        w.WriteNumber("actorCount", c.ActorCount);
        w.WriteStartArray("types");
        foreach (ActorTypeSummary t in c.Types)
        {
            w.WriteStartObject();
            w.WriteString("type", t.Type);
            w.WriteNumber("count", t.Count);
            w.WriteNumber("prep", t.Prep);
            WriteFigures(w, t.CallsRun, t.Queued, t.HandlerTime, t.PendingTimers, t.OutstandingRets);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (actors)
        {
            w.WriteNumber("maxActors", maxActors);
            w.WriteBoolean("actorsTruncated", c.ActorsTruncated);
            w.WriteStartArray("actors");
            foreach (ActorSnapshot a in c.Actors)
            {
                w.WriteStartObject();
                w.WriteNumber("id", a.Id);
                w.WriteString("type", a.Type);
                w.WriteString("state", a.State.ToString());
                if (a.OwnerId is { } owner) w.WriteNumber("ownerId", owner);
                else w.WriteNull("ownerId");
                w.WriteNumber("ageMs", Math.Round(a.Age.TotalMilliseconds));
                WriteFigures(w, a.CallsRun, a.Queued, a.HandlerTime, a.PendingTimers, a.OutstandingRets);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteStartArray("failures");
        foreach (ActorFailure f in c.Failures)
        {
            w.WriteStartObject();
            w.WriteNumber("agoMs", Math.Round((c.Now - f.At).TotalMilliseconds));
            w.WriteNumber("actorId", f.ActorId);
            w.WriteString("actorType", f.ActorType);
            w.WriteString("kind", f.Kind.ToString());
            w.WriteString("errorType", f.ErrorType);
            w.WriteString("message", f.Message);
            if (f.OwnerId is { } owner) w.WriteNumber("ownerId", owner);
            else w.WriteNull("ownerId");
            w.WriteString("ownerType", f.OwnerType);
            w.WriteString("decision", Decision(f.Decision));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The figures an actor and a type of actors both have</summary>
    static void WriteFigures(Utf8JsonWriter w, long callsRun, int queued, TimeSpan handlerTime, int pendingTimers, int outstandingRets)
    {
        w.WriteNumber("callsRun", callsRun);
        w.WriteNumber("queued", queued);
        w.WriteNumber("handlerMs", Math.Round(handlerTime.TotalMilliseconds, 3));
        w.WriteNumber("pendingTimers", pendingTimers);
        w.WriteNumber("outstandingRets", outstandingRets);
    }

    static string Decision(OwnerDecision d) => d switch
    {
        OwnerDecision.Restarted => "restarted",
        OwnerDecision.FailedUpward => "failed upward",
        OwnerDecision.OwnerStopped => "owner stopped",
        OwnerDecision.Root => "root",
        _ => "pending",
    };
}
