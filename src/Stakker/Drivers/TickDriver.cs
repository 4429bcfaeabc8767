namespace Stakker;

/// <summary>Drives a Core from a loop that already exists and ticks on its own clock (a game loop, a simulation step)</summary>
/// <remarks>
/// <para>Call <see cref="Tick"/> once per frame, on the Core's thread, with the loop's own time. Each
/// tick collects wakes from other threads, fires every timer due by that time (in expiry order;
/// their calls see <see cref="Core.Now"/> equal to the tick's time, so timers are quantised to
/// frames), runs the queued calls to the end, and runs one idle call if the previous tick left some.
/// The loop never sleeps in the Core: work posted from other threads waits for the next tick.</para>
/// <para>The clock is the loop's: pausing the game (not ticking, or ticking with the same time)
/// pauses the actors' timers; a time earlier than the last one is ignored, as by <see cref="Core.Run"/>.</para>
/// </remarks>
public sealed class TickDriver
{
    readonly Core _core;
    bool _idlePending;

    /// <summary>A driver for <paramref name="core"/>; made on the Core's thread, the one that will tick</summary>
    public TickDriver(Core core)
    {
        ArgumentNullException.ThrowIfNull(core);
        core.CheckThread();
        _core = core;
    }

    /// <summary>The Core being driven</summary>
    public Core Core => _core;

    /// <summary>Runs everything due at <paramref name="now"/></summary>
    /// <returns>False once the Core has been shut down (<see cref="Core.Shutdown"/>): the loop may end.</returns>
    public bool Tick(Instant now)
    {
        _idlePending = _core.Run(now, idle: _idlePending);
        return !_core.IsShutdown;
    }

    /// <summary>How long until the next timer, at most <paramref name="max"/> (zero while idle calls wait)</summary>
    /// <remarks>For a loop that may sleep between frames when nothing is due.</remarks>
    public TimeSpan UntilNextTimer(Instant now, TimeSpan max) => _core.NextWait(now, max, _idlePending);
}
