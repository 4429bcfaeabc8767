namespace Stakker.Redis.Tests;

/// <summary>A clock moved only by the test: timers of a Core driven by it fire when the test says</summary>
public sealed class ManualTime : TimeProvider
{
    long _ticks = TimeSpan.TicksPerDay;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
