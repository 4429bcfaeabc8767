namespace Stakker.Demo;

/// <summary>Console output stamped with virtual time</summary>
static class Log
{
    // Actors pass cx.Now: the time the runtime says it is, not the wall clock, so the output is the
    // same on every machine and every run.
    public static void Line(Instant now, string who, string what) =>
        Console.WriteLine($"{now.SinceZero.TotalSeconds,7:0.000}s  {who,-11} {what}");
}
