using Stakker.Calls;

namespace Stakker;

public sealed partial class Core
{
    /// <summary>Earliest pending timer expiry, or null if no timer is pending</summary>
    public Instant? NextExpiry
    {
        get
        {
            CheckThread();   // it tidies the heap
            return _timers.NextExpiry() is { } t ? new Instant(t) : null;
        }
    }

    /// <summary>How long the driver may sleep before the next <see cref="Run"/></summary>
    /// <param name="now">The driver's current time.</param>
    /// <param name="max">The longest wait wanted (returned when no timer is pending).</param>
    /// <param name="pending">True if the driver has other work waiting (idle calls, I/O): returns zero.</param>
    public TimeSpan NextWait(Instant now, TimeSpan max, bool pending = false)
    {
        CheckThread();
        if (pending || !Queues.Main.IsEmpty || !Queues.Lazy.IsEmpty) return TimeSpan.Zero;
        if (_timers.NextExpiry() is not { } t) return max;
        long wait = t - now.Ticks;
        if (wait <= 0) return TimeSpan.Zero;
        return wait < max.Ticks ? new TimeSpan(wait) : max;
    }

    /// <summary>Number of timers waiting to fire</summary>
    public int TimerCount => _timers.Count;

    /// <summary>A timer fires no earlier than asked, and never in the run that set it</summary>
    long ClampExpiry(Instant expiry) => Math.Max(expiry.Ticks, _now.Ticks + 1);

    internal FixedTimerKey AddTimer(Instant expiry, CallNode node)
    {
        if (Diverted && DivertTimer(ref node)) return default;
        var (s, g) = _timers.Add(ClampExpiry(expiry), node);
        return new FixedTimerKey(s, g);
    }

    internal MaxTimerKey AddMaxTimer(Instant expiry, CallNode node)
    {
        if (Diverted && DivertTimer(ref node)) return default;
        var (s, g) = _timers.Add(ClampExpiry(expiry), node);
        return new MaxTimerKey(s, g);
    }

    internal MinTimerKey AddMinTimer(Instant expiry, CallNode node)
    {
        if (Diverted && DivertTimer(ref node)) return default;
        var (s, g) = _timers.Add(ClampExpiry(expiry), node);
        return new MinTimerKey(s, g);
    }

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/></summary>
    public FixedTimerKey After(TimeSpan delay, Action action) => At(_now + delay, action);

    /// <summary>Runs <paramref name="action"/> at <paramref name="expiry"/> (or on the next run after it)</summary>
    public FixedTimerKey At(Instant expiry, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckThread();
        return AddTimer(expiry, PlainCall(action));
    }

    /// <summary>Cancels a fixed timer</summary>
    /// <returns>True if it was still pending; false if it fired, was cancelled, or never existed.</returns>
    public bool TimerDel(FixedTimerKey key)
    {
        CheckThread();
        return _timers.Delete(key.Slot, key.Generation, this);
    }

    /// <summary>True if the fixed timer is still pending</summary>
    public bool TimerActive(FixedTimerKey key) => _timers.IsActive(key.Slot, key.Generation);

    /// <summary>Moves a max timer later; an earlier time is ignored</summary>
    /// <returns>False if the timer has fired or was cancelled (or the key is default).</returns>
    public bool TimerMaxUpdate(MaxTimerKey key, Instant expiry)
    {
        CheckThread();
        return _timers.MoveLater(key.Slot, key.Generation, ClampExpiry(expiry));
    }

    /// <summary>Cancels a max timer</summary>
    public bool TimerMaxDel(MaxTimerKey key)
    {
        CheckThread();
        return _timers.Delete(key.Slot, key.Generation, this);
    }

    /// <summary>True if the max timer is still pending</summary>
    public bool TimerMaxActive(MaxTimerKey key) => _timers.IsActive(key.Slot, key.Generation);

    /// <summary>Moves a min timer earlier; a later time is ignored</summary>
    /// <returns>False if the timer has fired or was cancelled (or the key is default).</returns>
    public bool TimerMinUpdate(MinTimerKey key, Instant expiry)
    {
        CheckThread();
        return _timers.MoveEarlier(key.Slot, key.Generation, ClampExpiry(expiry));
    }

    /// <summary>Cancels a min timer</summary>
    public bool TimerMinDel(MinTimerKey key)
    {
        CheckThread();
        return _timers.Delete(key.Slot, key.Generation, this);
    }

    /// <summary>True if the min timer is still pending</summary>
    public bool TimerMinActive(MinTimerKey key) => _timers.IsActive(key.Slot, key.Generation);
}

public sealed partial class Core
{
    /// <summary>Runs a plain action with a state argument at <paramref name="expiry"/> (pooled, no allocation)</summary>
    internal FixedTimerKey At<TState>(Instant expiry, Action<TState> action, TState state) =>
        AddTimer(expiry, PlainCall(action, state));

    /// <summary>Completes after <paramref name="delay"/> of this Core's time; await it on the Core's thread</summary>
    /// <remarks>Pooled: no allocation in steady state. The continuation runs as a queued call.</remarks>
    public ValueTask Delay(TimeSpan delay) => Async.DelaySource.Start(this, delay, null, ActorEndPolicy.Drop);
}
