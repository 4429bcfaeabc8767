using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Stakker.Benchmarks;

/// <summary>CPU time consumed by the whole process (all threads), in nanoseconds</summary>
/// <remarks>
/// On Linux it reads getrusage(RUSAGE_SELF), which has microsecond resolution; elsewhere it falls
/// back to Process.TotalProcessorTime. Unlike wall-clock time it does not grow while the process
/// waits for a core that another program holds, so on a busy machine it is the steadier figure;
/// for a multi-threaded framework it adds up the work of every thread it keeps busy (including
/// spinning), which is what that work costs the machine.
/// </remarks>
static partial class CpuTime
{
    [StructLayout(LayoutKind.Sequential)]
    struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct RUsage
    {
        public TimeVal User;
        public TimeVal System;
        // ru_maxrss .. ru_nivcsw: 14 longs, unused here.
        public long F0, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13;
    }

    const int RUsageSelf = 0;

    [DllImport("libc", EntryPoint = "getrusage")]
    static extern int GetRUsage(int who, out RUsage usage);

    static readonly bool UseRUsage = OperatingSystem.IsLinux() && Probe();

    static bool Probe()
    {
        try { return GetRUsage(RUsageSelf, out _) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }

    /// <summary>User + system CPU time of this process so far, in nanoseconds</summary>
    public static long ProcessNanoseconds()
    {
        if (UseRUsage && GetRUsage(RUsageSelf, out RUsage u) == 0)
            return (u.User.Seconds + u.System.Seconds) * 1_000_000_000L + (u.User.Microseconds + u.System.Microseconds) * 1_000L;
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.Ticks * 100L;
    }
}
