namespace Stakker.Testing;

/// <summary>The simulation's one source of randomness: a small, fast generator whose whole sequence
/// follows from its seed, so a run can be repeated exactly from the seed alone</summary>
/// <remarks>SplitMix64: one 64-bit state, one multiply-xorshift mix per draw. Good enough for
/// choosing orders and faults; not for cryptography.</remarks>
public sealed class SimRandom
{
    ulong _state;

    /// <summary>Makes a generator whose sequence is fixed by <paramref name="seed"/></summary>
    public SimRandom(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="maxExclusive"/>)</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive</exception>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        // Multiply-shift instead of modulo: no bias worth measuring for small ranges, no division.
        return (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="maxExclusive"/>)</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    /// <summary>A number in [0, 1)</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="probability"/></summary>
    public bool Chance(double probability) => probability > 0 && NextDouble() < probability;

    /// <summary>A duration in [<paramref name="min"/>, <paramref name="max"/>], in whole ticks</summary>
    public TimeSpan Between(TimeSpan min, TimeSpan max)
    {
        if (max <= min) return min;
        ulong span = (ulong)(max.Ticks - min.Ticks) + 1;
        return TimeSpan.FromTicks(min.Ticks + (long)(NextUInt64() % span));
    }

    /// <summary>Puts <paramref name="items"/> in a random order (Fisher-Yates)</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
