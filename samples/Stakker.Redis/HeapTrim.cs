namespace Stakker.Redis;

/// <summary>When the server has been idle after a burst of work, one compacting collection gives the
/// memory the burst left behind back to the system</summary>
/// <remarks>
/// <para>The GC collects the older generations only when their budget runs out, so after loading a
/// million keys the process keeps the garbage of the load (parsed commands interleaved with the stored
/// keys) and the regions it filled, for as long as nothing more is allocated: an idle server shows its
/// peak in <c>top</c>, where redis-server's allocator has already given the pages back. Decision 097.</para>
/// <para>A collection is run only when nothing has arrived for <see cref="IdleAfter"/>, and only when
/// at least as much has been allocated since the last one as was live after it (and
/// <see cref="MinAllocated"/>): its cost, proportional to the live heap, is paid at most once per that
/// much allocation, like the GC's own work.</para>
/// </remarks>
internal sealed class HeapTrim
{
    /// <summary>How long nothing must arrive before a collection is considered</summary>
    public static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(1);

    /// <summary>Less allocation than this since the last collection is never worth one</summary>
    public const long MinAllocated = 32L * 1024 * 1024;

    readonly Func<long> _allocated;
    readonly Func<long> _live;
    readonly Action _compact;
    long _allocatedAtLast;
    long _liveAtLast;

    /// <summary>The process's own heap; tests pass their own figures and collection</summary>
    public HeapTrim(Func<long>? allocated = null, Func<long>? live = null, Action? compact = null)
    {
        _allocated = allocated ?? (static () => GC.GetTotalAllocatedBytes(precise: false));
        _live = live ?? (static () => GC.GetTotalMemory(forceFullCollection: false));
        _compact = compact ?? (static () => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true));
        _allocatedAtLast = _allocated();
    }
    bool _busy;

    /// <summary>The idle check's timer, while one is set</summary>
    public FixedTimerKey Timer;

    /// <summary>Collections run so far</summary>
    public long Trims { get; private set; }

    /// <summary>Work arrived: the check waits for it to stop. True when no check is set (the caller sets one)</summary>
    public bool Busy()
    {
        _busy = true;
        return !Timer.IsSet;
    }

    /// <summary>The check's timer fired: true to set it again (work arrived meanwhile), false when it
    /// found the server idle (and collected, if the allocation since the last collection was enough)</summary>
    public bool Check()
    {
        Timer = default;
        if (_busy)
        {
            _busy = false;
            return true;
        }
        long allocatedNow = _allocated();
        if (allocatedNow - _allocatedAtLast < Math.Max(MinAllocated, _liveAtLast)) return false;
        _compact();
        Trims++;
        _allocatedAtLast = _allocated();
        _liveAtLast = _live();
        return false;
    }
}
