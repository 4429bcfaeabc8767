using System.Diagnostics;

namespace Stakker;

/// <summary>A point in monotonic, possibly virtual, time</summary>
/// <remarks>
/// An 8-byte value counting 100 ns ticks (the unit of <see cref="TimeSpan"/>) from an arbitrary
/// origin, so <c>Instant + TimeSpan</c> is exact. A <see cref="Core"/> never reads a clock: it is
/// given <c>now</c> by its driver, which converts a real clock with <see cref="FromTimestamp"/> or
/// simply counts virtual time from <see cref="Zero"/>.
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public readonly struct Instant : IEquatable<Instant>, IComparable<Instant>
{
    /// <summary>Ticks of 100 ns since the origin</summary>
    public long Ticks { get; }

    /// <summary>Creates an instant from 100 ns ticks since the origin</summary>
    public Instant(long ticks) => Ticks = ticks;

    /// <summary>The origin, a convenient start for virtual time</summary>
    public static Instant Zero => default;

    /// <summary>The latest representable instant</summary>
    public static Instant MaxValue => new(long.MaxValue);

    /// <summary>Converts a <see cref="TimeProvider.GetTimestamp"/> reading into an instant</summary>
    public static Instant FromTimestamp(long timestamp, TimeProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        long freq = provider.TimestampFrequency;
        if (freq == TimeSpan.TicksPerSecond) return new Instant(timestamp);
        // Split to avoid overflow on large timestamps.
        long secs = Math.DivRem(timestamp, freq, out long rem);
        return new Instant(secs * TimeSpan.TicksPerSecond + rem * TimeSpan.TicksPerSecond / freq);
    }

    /// <summary>The current time of <paramref name="provider"/> as an instant</summary>
    public static Instant Now(TimeProvider provider) => FromTimestamp(provider.GetTimestamp(), provider);

    /// <summary>Time since the origin</summary>
    public TimeSpan SinceZero => new(Ticks);

    /// <summary>Adds a duration, saturating at <see cref="MaxValue"/></summary>
    public static Instant operator +(Instant t, TimeSpan d)
    {
        long r = t.Ticks + d.Ticks;
        // Saturate instead of wrapping: "a very long time" must stay in the future.
        if (d.Ticks > 0 && r < t.Ticks) return MaxValue;
        return new Instant(r);
    }

    /// <summary>Subtracts a duration</summary>
    public static Instant operator -(Instant t, TimeSpan d) => new(t.Ticks - d.Ticks);

    /// <summary>The duration between two instants</summary>
    public static TimeSpan operator -(Instant a, Instant b) => new(a.Ticks - b.Ticks);

    /// <summary>Compares two instants</summary>
    public static bool operator <(Instant a, Instant b) => a.Ticks < b.Ticks;
    /// <summary>Compares two instants</summary>
    public static bool operator >(Instant a, Instant b) => a.Ticks > b.Ticks;
    /// <summary>Compares two instants</summary>
    public static bool operator <=(Instant a, Instant b) => a.Ticks <= b.Ticks;
    /// <summary>Compares two instants</summary>
    public static bool operator >=(Instant a, Instant b) => a.Ticks >= b.Ticks;
    /// <summary>Compares two instants</summary>
    public static bool operator ==(Instant a, Instant b) => a.Ticks == b.Ticks;
    /// <summary>Compares two instants</summary>
    public static bool operator !=(Instant a, Instant b) => a.Ticks != b.Ticks;

    /// <inheritdoc/>
    public bool Equals(Instant other) => Ticks == other.Ticks;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Instant i && i.Ticks == Ticks;
    /// <inheritdoc/>
    public override int GetHashCode() => Ticks.GetHashCode();
    /// <inheritdoc/>
    public int CompareTo(Instant other) => Ticks.CompareTo(other.Ticks);
    /// <summary>Time since the origin, as <c>T+hh:mm:ss.fffffff</c></summary>
    public override string ToString() => "T+" + new TimeSpan(Ticks).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}
