namespace Stakker;

// Timer keys are opaque 8-byte values: slot and generation are internal, and only the Core that
// issued a key can make one, so a key cannot be forged to cancel someone else's timer. Records, so
// equality is generated; the default key never matches a timer.

/// <summary>Key for a fixed timer, returned by <c>After</c> and <c>At</c>; cancels it with <c>TimerDel</c></summary>
/// <remarks>An opaque 8-byte value, copied freely. The default key is never valid. Valid only on the
/// <see cref="Core"/> that issued it.</remarks>
public readonly record struct FixedTimerKey
{
    internal FixedTimerKey(int slot, int generation)
    {
        Slot = slot;
        Generation = generation;
    }

    internal int Slot { get; }
    internal int Generation { get; }

    /// <summary>True for a key that was issued by a Core (it may have expired since)</summary>
    public bool IsSet => Generation != 0;
}

/// <summary>Key for a max timer: it fires at the latest expiry it was ever given</summary>
/// <remarks>An opaque 8-byte value. The default key is never valid, so <c>TimerMax(ref key, ...)</c>
/// creates the timer on first use and moves it later afterwards.</remarks>
public readonly record struct MaxTimerKey
{
    internal MaxTimerKey(int slot, int generation)
    {
        Slot = slot;
        Generation = generation;
    }

    internal int Slot { get; }
    internal int Generation { get; }

    /// <summary>True for a key that was issued by a Core (it may have expired since)</summary>
    public bool IsSet => Generation != 0;
}

/// <summary>Key for a min timer: it fires at the earliest expiry it was ever given</summary>
/// <remarks>An opaque 8-byte value. The default key is never valid, so <c>TimerMin(ref key, ...)</c>
/// creates the timer on first use and moves it earlier afterwards.</remarks>
public readonly record struct MinTimerKey
{
    internal MinTimerKey(int slot, int generation)
    {
        Slot = slot;
        Generation = generation;
    }

    internal int Slot { get; }
    internal int Generation { get; }

    /// <summary>True for a key that was issued by a Core (it may have expired since)</summary>
    public bool IsSet => Generation != 0;
}
