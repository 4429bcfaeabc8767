namespace Stakker;

/// <summary>Key for a fixed timer, returned by <c>After</c> and <c>At</c>; cancels it with <c>TimerDel</c></summary>
/// <remarks>Plain 8-byte value (slot + generation), copied freely. The default key is never valid.
/// Valid only on the <see cref="Core"/> that issued it.</remarks>
public readonly record struct FixedTimerKey(int Slot, int Generation)
{
    /// <summary>True for a key that was issued by a Core (it may have expired since)</summary>
    public bool IsSet => Generation != 0;
}

/// <summary>Key for a max timer: it fires at the latest expiry it was ever given</summary>
/// <remarks>Plain 8-byte value. The default key is never valid, so <c>TimerMax(ref key, ...)</c>
/// creates the timer on first use and moves it later afterwards.</remarks>
public readonly record struct MaxTimerKey(int Slot, int Generation)
{
    /// <summary>True for a key that was issued by a Core (it may have expired since)</summary>
    public bool IsSet => Generation != 0;
}

/// <summary>Key for a min timer: it fires at the earliest expiry it was ever given</summary>
/// <remarks>Plain 8-byte value. The default key is never valid, so <c>TimerMin(ref key, ...)</c>
/// creates the timer on first use and moves it earlier afterwards.</remarks>
public readonly record struct MinTimerKey(int Slot, int Generation)
{
    /// <summary>True for a key that was issued by a Core (it may have expired since)</summary>
    public bool IsSet => Generation != 0;
}
