namespace Stakker.Tests.CoreLoop;

public class InstantTests
{
    /// <summary>A clock whose frequency and reading the test chooses</summary>
    sealed class FakeClock(long frequency) : TimeProvider
    {
        public long Timestamp;
        public override long TimestampFrequency => frequency;
        public override long GetTimestamp() => Timestamp;
    }

    [Fact]
    public void Zero_Default_HasZeroTicks()
    {
        Assert.Equal(0, Instant.Zero.Ticks);
        Assert.Equal(default, Instant.Zero);
        Assert.Equal(TimeSpan.Zero, Instant.Zero.SinceZero);
    }

    [Fact]
    public void Plus_TimeSpan_AddsExactTicks()
    {
        var t = new Instant(1_000);
        Assert.Equal(1_000 + TimeSpan.FromSeconds(3).Ticks, (t + TimeSpan.FromSeconds(3)).Ticks);
        Assert.Equal(1_001, (t + TimeSpan.FromTicks(1)).Ticks);
        Assert.Equal(999, (t + TimeSpan.FromTicks(-1)).Ticks);
        Assert.Equal(t, t + TimeSpan.Zero);
    }

    [Fact]
    public void Minus_TimeSpanAndInstant_AreExact()
    {
        var a = new Instant(TimeSpan.FromSeconds(10).Ticks);
        var b = a - TimeSpan.FromMilliseconds(2500);
        Assert.Equal(TimeSpan.FromMilliseconds(7500).Ticks, b.Ticks);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), a - b);
        Assert.Equal(TimeSpan.FromMilliseconds(-2500), b - a);
        Assert.Equal(a, b + (a - b));
    }

    [Fact]
    public void Plus_HugeDuration_SaturatesAtMaxValue()
    {
        var t = new Instant(TimeSpan.FromDays(1).Ticks);
        Assert.Equal(Instant.MaxValue, t + TimeSpan.MaxValue);
        Assert.Equal(Instant.MaxValue, Instant.MaxValue + TimeSpan.FromTicks(1));
        Assert.Equal(long.MaxValue, Instant.MaxValue.Ticks);
        Assert.True(t + TimeSpan.MaxValue > t);
    }

    [Fact]
    public void Comparisons_DifferentTicks_OrderByTicks()
    {
        var a = new Instant(5);
        var b = new Instant(6);
        var a2 = new Instant(5);
        Assert.True(a < b);
        Assert.True(b > a);
        Assert.True(a <= a2 && a >= a2);
        Assert.False(a > b);
        Assert.False(b < a);
        Assert.True(a == a2);
        Assert.True(a != b);
        Assert.True(a.Equals(a2));
        Assert.True(a.Equals((object)a2));
        Assert.False(a.Equals((object)5L));
        Assert.Equal(a.GetHashCode(), a2.GetHashCode());
        Assert.True(a.CompareTo(b) < 0);
        Assert.True(b.CompareTo(a) > 0);
        Assert.Equal(0, a.CompareTo(a2));
        var sorted = new[] { new Instant(3), new Instant(-1), new Instant(2) }.Order().Select(i => i.Ticks);
        Assert.Equal([-1L, 2L, 3L], sorted);
    }

    [Fact]
    public void ToString_AnyInstant_ShowsTimeSinceZero()
    {
        Assert.Equal("T+00:01:30", new Instant(TimeSpan.FromSeconds(90).Ticks).ToString());
        Assert.Equal("T+00:00:00.0000001", new Instant(1).ToString());
    }

    [Fact]
    public void FromTimestamp_TicksPerSecondFrequency_IsIdentity()
    {
        var clock = new FakeClock(TimeSpan.TicksPerSecond);
        Assert.Equal(123_456_789, Instant.FromTimestamp(123_456_789, clock).Ticks);
        clock.Timestamp = 42;
        Assert.Equal(42, Instant.Now(clock).Ticks);
    }

    [Fact]
    public void FromTimestamp_NanosecondFrequency_TruncatesToTicks()
    {
        var clock = new FakeClock(1_000_000_000);
        Assert.Equal(15_000_001, Instant.FromTimestamp(1_500_000_199, clock).Ticks);
        Assert.Equal(TimeSpan.FromSeconds(2).Ticks, Instant.FromTimestamp(2_000_000_000, clock).Ticks);
        clock.Timestamp = 3_000_000_100;
        Assert.Equal(30_000_001, Instant.Now(clock).Ticks);
    }

    [Fact]
    public void FromTimestamp_LargeNanosecondTimestamp_DoesNotOverflow()
    {
        var clock = new FakeClock(1_000_000_000);
        // 9e18 ns = 9e9 s; a naive timestamp * 1e7 would overflow long.
        long ts = 9_000_000_000_123_456_789;
        Assert.Equal(90_000_000_001_234_567, Instant.FromTimestamp(ts, clock).Ticks);
    }

    [Fact]
    public void FromTimestamp_MillisecondFrequency_ScalesUp()
    {
        var clock = new FakeClock(1_000);
        Assert.Equal(TimeSpan.FromMilliseconds(1_234_567).Ticks, Instant.FromTimestamp(1_234_567, clock).Ticks);
    }

    [Fact]
    public void FromTimestamp_OddFrequency_IsExactAndMonotonic()
    {
        var clock = new FakeClock(3);
        Assert.Equal(33_333_333, Instant.FromTimestamp(10, clock).Ticks);   // 3 s + 1/3 s
        Assert.Equal(30_000_000, Instant.FromTimestamp(9, clock).Ticks);
        long prev = long.MinValue;
        for (long ts = 0; ts < 100; ts++)
        {
            long t = Instant.FromTimestamp(ts, clock).Ticks;
            Assert.True(t > prev, $"timestamp {ts} gave {t}, not after {prev}");
            Assert.True(Math.Abs(t - ts * TimeSpan.TicksPerSecond / 3.0) < 1.0);
            prev = t;
        }
    }

    [Fact]
    public void FromTimestamp_DifferenceOfReadings_MatchesElapsedTime()
    {
        var clock = new FakeClock(1_000_000_000);
        clock.Timestamp = 5_000_000_000_000;
        Instant a = Instant.Now(clock);
        clock.Timestamp += 1_500_000_000;   // 1.5 s later
        Instant b = Instant.Now(clock);
        Assert.Equal(TimeSpan.FromSeconds(1.5), b - a);
    }

    [Fact]
    public void FromTimestamp_NullProvider_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Instant.FromTimestamp(1, null!));
    }
}
