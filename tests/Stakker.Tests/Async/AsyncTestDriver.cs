using System.Diagnostics;

namespace Stakker.Tests.Async;

/// <summary>Drives a Core from a test: on virtual time, or on real time with wakes from other threads</summary>
internal static class AsyncTestDriver
{
    /// <summary>Runs the Core on virtual time, jumping to each next timer, until <paramref name="done"/> or no work is left</summary>
    public static void RunVirtual(Core core, Func<bool> done, TimeSpan? limit = null)
    {
        Instant end = core.Now + (limit ?? TimeSpan.FromHours(1));
        Instant now = core.Now;
        core.Run(now, false);
        while (!done() && now < end)
        {
            TimeSpan wait = core.NextWait(now, TimeSpan.FromMinutes(1));
            now += wait == TimeSpan.Zero ? TimeSpan.FromTicks(1) : wait;
            core.Run(now, false);
        }
    }

    /// <summary>Runs the Core with virtual time frozen until <paramref name="done"/>, blocking for wakes from other threads; fails after a real-time deadline</summary>
    public static void RunWithWakes(Core core, Func<bool> done, TimeSpan deadline)
    {
        var sw = Stopwatch.StartNew();
        core.Run(core.Now, false);
        while (!done())
        {
            if (sw.Elapsed > deadline) Assert.Fail($"Not done within {deadline} of real time.");
            core.WaitForWake(TimeSpan.FromMilliseconds(100));
            core.Run(core.Now, false);
        }
    }

    /// <summary>Runs the Core on real time (its TimeProvider follows the system clock) until <paramref name="done"/></summary>
    public static void RunReal(Core core, Func<bool> done, TimeSpan deadline)
    {
        var sw = Stopwatch.StartNew();
        Instant start = core.Now;
        while (!done())
        {
            if (sw.Elapsed > deadline) Assert.Fail($"Not done within {deadline} of real time.");
            Instant now = start + sw.Elapsed;
            core.Run(now, false);
            if (done()) break;
            core.WaitForWake(core.NextWait(start + sw.Elapsed, TimeSpan.FromMilliseconds(50)));
        }
    }
}
