namespace Stakker.Testing;

public sealed partial class Simulation
{
    /// <summary>Takes one step no later than <paramref name="limit"/>: runs what is queued now, or
    /// moves virtual time to the next timer or arrival and runs every Core there, in an order drawn
    /// from the seed</summary>
    /// <returns>false if nothing is due up to <paramref name="limit"/> (time then stays where it is)</returns>
    public bool Step(Instant limit)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Instant? next = NextEventTime();
        if (next is not { } at || at > limit) return false;
        if (at > Now)
        {
            Now = at;
            Add(TraceKind.Advance, _agenda.NextTime == at ? "arrival" : "timer");
        }
        while (_agenda.TryTakeDue(Now, out var entry))
        {
            Add(entry.Core, TraceKind.Arrival, entry.Label);
            if (entry.Direct) entry.Action();
            // An event for a Core the program disposed is lost with it.
            else if (_cores[entry.Core].IsDisposed) Add(entry.Core, TraceKind.Arrival, "lost: the Core has closed");
            else _cores[entry.Core].Defer(entry.Action);
        }
        // The order in which Cores run at one instant is drawn from the seed; cross-Core batches
        // sent in these runs are arrivals on the agenda (Simulation.CrossCore.cs).
        Random.Shuffle(_order.AsSpan());
        foreach (int i in _order)
        {
            Core core = _cores[i];
            // A Core the program disposed (a Core lost with calls on the way) no longer runs.
            if (core.IsDisposed || (core.IsShutdown && !HasWork(core))) continue;
            core.Run(Now, idle: core.HasIdleWork);
            Add(i, TraceKind.Run, $"timers={core.TimerCount}");
        }
        Steps++;
        return true;
    }

    bool HasWork(Core core) =>
        core.Wakes.IsSignalled || core.NextWait(Now, TimeSpan.MaxValue, core.HasIdleWork) == TimeSpan.Zero;

    /// <summary>When the next thing happens: now if a Core has work queued, else the earliest timer or arrival</summary>
    Instant? NextEventTime()
    {
        Instant? next = _agenda.NextTime;
        foreach (var core in _cores)
        {
            if (core.IsDisposed) continue;
            if (HasWork(core)) return Now;
            if (core.NextExpiry is { } e && (next is not { } n || e < n)) next = e;
        }
        return next is { } t && t < Now ? Now : next;
    }

    /// <summary>Steps until nothing is due up to <see cref="Now"/> + <paramref name="span"/>, then
    /// moves time to that instant</summary>
    /// <returns>the number of steps taken</returns>
    public long RunFor(TimeSpan span) => RunUntil(Now + span);

    /// <summary>Steps until nothing is due up to <paramref name="until"/>, then moves time there</summary>
    /// <returns>the number of steps taken</returns>
    public long RunUntil(Instant until)
    {
        long steps = 0;
        while (Step(until)) steps++;
        if (until > Now && until != Instant.MaxValue)
        {
            Now = until;
            foreach (var core in _cores) if (!core.IsDisposed) core.Run(Now, idle: false);
        }
        return steps;
    }

    /// <summary>Steps until <paramref name="done"/> is true, nothing more is due, or
    /// <paramref name="limit"/> of virtual time has passed</summary>
    /// <returns>whether <paramref name="done"/> became true</returns>
    public bool RunUntil(Func<bool> done, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(done);
        Instant until = Now + limit;
        while (!done())
            if (!Step(until)) return done();
        return true;
    }

    /// <summary>Steps until no Core has anything queued, no timer is pending and nothing is scheduled,
    /// or until <paramref name="limit"/> of virtual time has passed</summary>
    /// <returns>true if the simulation became quiet within the limit</returns>
    public bool RunUntilQuiet(TimeSpan limit)
    {
        Instant until = Now + limit;
        while (Step(until)) { }
        return NextEventTime() is null;
    }
}
