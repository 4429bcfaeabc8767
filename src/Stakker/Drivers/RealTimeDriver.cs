namespace Stakker;

/// <summary>Drives a Core on real time on the calling thread, sleeping until the next timer or wake</summary>
/// <remarks>
/// The loop every driver follows: run what is due; ask the Core how long it may sleep (zero while
/// idle calls wait); block until then or until a waker fires; run again, running one idle call only
/// if nothing else happened. Use it as the body of a console program, or through
/// <see cref="CoreThread"/> for a Core on a dedicated thread.
/// </remarks>
public static class RealTimeDriver
{
    /// <summary>Runs <paramref name="core"/> until <see cref="Core.Shutdown"/> is called; returns the cause</summary>
    /// <param name="core">The Core, created on this thread.</param>
    /// <param name="time">The clock (default <see cref="TimeProvider.System"/>).</param>
    /// <param name="maxWait">The longest single sleep (default 1 s).</param>
    /// <param name="cancellationToken">Stops the loop (checked after each wake or sleep).</param>
    public static StopCause? Run(Core core, TimeProvider? time = null, TimeSpan? maxWait = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(core);
        core.CheckThread();
        time ??= TimeProvider.System;
        TimeSpan max = maxWait ?? TimeSpan.FromSeconds(1);
        long t0 = time.GetTimestamp();
        Instant start = core.Now;
        core.UtcAtStart = time.GetUtcNow() - (core.Now - core.StartInstant);
        Instant Now() => start + time.GetElapsedTime(t0);

        // A wake from another thread (or a cancellation) must end the sleep.
        using var wakeOnCancel = cancellationToken.Register(static c => ((Core)c!).PostFromAnyThread(static () => { }), core);
        bool idlePending = core.Run(Now(), idle: false);
        while (!core.IsShutdown && !cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait = core.NextWait(Now(), max, idlePending);
            bool woken = (wait > TimeSpan.Zero || core.HasWaitSource) && core.WaitForWake(wait);
            idlePending = core.Run(Now(), idle: idlePending && !woken);
        }
        return core.ShutdownCause;
    }
}
