namespace Stakker.Tests.Actors;

/// <summary>Small helpers shared by the actor and Ret/Fwd tests</summary>
internal static class ActorTestKit
{
    /// <summary>Runs everything due now, without idle work</summary>
    public static void RunNow(this Core core) => core.Run(core.Now, false);

    /// <summary>Advances virtual time by <paramref name="by"/> and runs what is due</summary>
    public static void Advance(this Core core, TimeSpan by) => core.Run(core.Now + by, false);

    /// <summary>A notify Ret that records every answer (a "no value" is recorded as such)</summary>
    public static Ret<StopCause> Notify(Core core, List<Answer<StopCause>> into) =>
        Ret.From<StopCause>(core, a => into.Add(a));

    /// <summary>A Ret that records every answer it gets</summary>
    public static Ret<T> Recorder<T>(Core core, List<Answer<T>> into) =>
        Ret.From<T>(core, a => into.Add(a));
}

/// <summary>An actor that only records the calls it gets: the "other actor" whose queued calls must not be lost</summary>
internal sealed class Bystander
{
    public readonly List<string> Seen = [];

    public Bystander(Cx<Bystander> cx) { }

    public void Note(Cx<Bystander> cx, string what) => Seen.Add(what);

    /// <summary>Spawns a bystander (ready after the next run)</summary>
    public static ActorOwn<Bystander> Spawn(Core core) =>
        core.Spawn<Bystander>(static cx => new Bystander(cx), Ret.Nop<StopCause>());

    /// <summary>Queues a note on <paramref name="b"/></summary>
    public static void Queue(Actor<Bystander> b, string what) =>
        b.Call(static (a, cx, w) => a.Note(cx, w), what);

    /// <summary>What the bystander has seen so far</summary>
    public static List<string> SeenBy(Actor<Bystander> b) => b.Query(static (a, cx) => a.Seen.ToList());
}
