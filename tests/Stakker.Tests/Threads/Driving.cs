using System.Diagnostics;

namespace Stakker.Tests.Threads;

/// <summary>Drives a Core on the test's thread while real threads work for it</summary>
internal static class Driving
{
    internal static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="core"/> until <paramref name="until"/> completes, sleeping only until a wake</summary>
    internal static void Drive(this Core core, Task until)
    {
        var sw = Stopwatch.StartNew();
        while (!until.IsCompleted)
        {
            if (sw.Elapsed > Deadline) throw new TimeoutException("The Core was not told what the test waits for.");
            core.Run(core.Now, idle: false);
            if (!until.IsCompleted) core.WaitForWake(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Runs <paramref name="core"/> until <paramref name="until"/> completes; returns its result</summary>
    internal static T Drive<T>(this Core core, Task<T> until)
    {
        core.Drive((Task)until);
        return until.GetAwaiter().GetResult();
    }

    /// <summary>The result of <paramref name="task"/>, waiting up to the deadline (for tasks completed by other threads)</summary>
    internal static T Done<T>(Task<T> task) => task.WaitAsync(Deadline).GetAwaiter().GetResult();
}
