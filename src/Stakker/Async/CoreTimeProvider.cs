namespace Stakker.Async;

/// <summary>A <see cref="TimeProvider"/> on a Core's time: timestamps are <see cref="Core.Now"/>, timers are Core timers</summary>
/// <remarks>
/// Timer callbacks run as plain calls on the Core's thread. Creating, changing or disposing a timer
/// from another thread is posted to the Core (and takes effect at its next Run).
/// </remarks>
internal sealed class CoreTimeProvider(Core core) : TimeProvider
{
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    // Read from any thread: a long written only by the Core's thread, read atomically on 64-bit.
    public override long GetTimestamp() => core.Now.Ticks;

    public override DateTimeOffset GetUtcNow() => core.UtcAtStart + (core.Now - core.StartInstant);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var t = new CoreTimer(core, callback, state);
        t.Change(dueTime, period);
        return t;
    }
}

/// <summary>An <see cref="ITimer"/> backed by a fixed Core timer, re-armed for periodic use</summary>
internal sealed class CoreTimer(Core core, TimerCallback callback, object? state) : ITimer
{
    FixedTimerKey _key;
    Action? _fire;
    TimeSpan _period = Timeout.InfiniteTimeSpan;
    bool _disposed;

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (!core.IsOnThread)
        {
            core.PostAnyThread(static s => s.Timer.Change(s.Due, s.Period), (Timer: this, Due: dueTime, Period: period));
            return !_disposed;
        }
        if (_disposed) return false;
        core.TimerDel(_key);
        _key = default;
        _period = period;
        if (dueTime != Timeout.InfiniteTimeSpan) Arm(dueTime);
        return true;
    }

    void Arm(TimeSpan due) => _key = core.At(core.Now + (due < TimeSpan.Zero ? TimeSpan.Zero : due), _fire ??= Fire);

    void Fire()
    {
        _key = default;
        if (_disposed) return;
        if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero) Arm(_period);
        callback(state);
    }

    public void Dispose()
    {
        if (!core.IsOnThread)
        {
            core.PostAnyThread(static t => t.Dispose(), this);
            return;
        }
        if (_disposed) return;
        _disposed = true;
        core.TimerDel(_key);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
