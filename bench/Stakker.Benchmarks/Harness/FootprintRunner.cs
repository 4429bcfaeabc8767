namespace Stakker.Benchmarks;

/// <summary>Bytes retained per live idle actor: spawn N, GC.GetTotalMemory(true) before and after, divide</summary>
/// <remarks>
/// Each framework keeps what a user needs to reach its actors (Stakker's <c>ActorOwn</c>, an Akka.NET
/// <c>IActorRef</c>, a Proto.Actor <c>PID</c>) in an array allocated before the first reading, so the
/// array itself is not counted. The peers' actors are counted once each has started.
/// </remarks>
static class FootprintRunner
{
    public const int Actors = 100_000;

    public sealed record Result(double Stakker, double StakkerBurst, double Akka, double Proto);

    public static Result Run()
    {
        Console.WriteLine($"Footprint: {Actors:N0} idle actors per framework ...");
        Collect();
        double stakker = StakkerSide.Footprint.Measure(Actors, runEvery: 1_000);
        Collect();
        double burst = StakkerSide.Footprint.Measure(Actors, runEvery: int.MaxValue);
        Collect();
        double akka = AkkaSide.Footprint.Measure(Actors);
        Collect();
        double proto = ProtoSide.Footprint.Measure(Actors);
        Collect();
        var r = new Result(stakker, burst, akka, proto);
        Console.WriteLine($"  Stakker {stakker:F0} B/actor (one burst of {Actors:N0} spawns before Run: {burst:F0} B/actor), " +
                          $"Akka.NET {akka:F0} B/actor, Proto.Actor {proto:F0} B/actor");
        return r;
    }

    public static void Print(Result r)
    {
        Console.WriteLine();
        Console.WriteLine("| Footprint | Stakker | Akka.NET | Proto.Actor | Akka/Stakker | Proto/Stakker |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| Bytes retained per live idle actor ({Actors:N0} actors; goal <= 200 B) | {r.Stakker:F0} B | {r.Akka:F0} B | {r.Proto:F0} B | {r.Akka / r.Stakker:F1}x | {r.Proto / r.Stakker:F1}x |");
    }

    static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
