using Stakker.CrossCore;

namespace Stakker;

public sealed partial class Core
{
    /// <summary>Default for <see cref="CrossCoreCapacity"/>: 256Ki calls (about 10 MB of slots) per sending Core</summary>
    public const int DefaultCrossCoreCapacity = 256 * 1024;

    CoreLinks? _links;

    /// <summary>This Core's side of cross-Core calls, made on first use (Core's thread)</summary>
    internal CoreLinks Links => _links ??= new CoreLinks(this);

    /// <summary>The Core whose <see cref="Run"/> is on this thread's stack, or null</summary>
    internal static Core? Running => t_running;

    /// <summary>True while <see cref="Run"/> is on the stack</summary>
    internal bool InRun => _inRun;

    /// <summary>The inbox other threads post to</summary>
    internal WakeInbox Wakes => _wakes;

    /// <summary>How many calls each other Core (and all foreign threads together) may have on the
    /// way to this Core before further calls are refused with <see cref="CrossCoreFullException"/></summary>
    /// <remarks>Counted from the call until this Core collects it (at the start of its next
    /// <see cref="Run"/>), so it bounds the memory a fast sender can pin in a slow receiver. Answers
    /// to Rets are never refused. Set on the Core's thread; applies to calls made from then on.</remarks>
    public int CrossCoreCapacity
    {
        get => _links?.Gate.Capacity ?? DefaultCrossCoreCapacity;
        set
        {
            CheckThread();
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Links.Gate.Capacity = value;
        }
    }

    /// <summary>Runs what other threads posted (used when closing, after the gate has shut)</summary>
    internal void CollectPosted() => _wakes.Collect(this);

    /// <summary>Hands over the cross-Core batches this run filled</summary>
    void FlushCrossCore()
    {
        if (_links is { HasDirty: true } links) links.Flush();
    }
}
