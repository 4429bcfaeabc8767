using System.Runtime.CompilerServices;

namespace Stakker.Calls;

/// <summary>Which queue a call goes to</summary>
internal enum Lane : byte
{
    /// <summary>Every call, in the order made</summary>
    Main,
    /// <summary>Run once the main queue is empty, a whole batch at a time</summary>
    Lazy,
    /// <summary>Run one per <c>Run(now, idle: true)</c></summary>
    Idle,
}

/// <summary>A Core's call queues: main, lazy (with the batch being run) and idle</summary>
/// <remarks>A struct field of the Core: the drain loop reaches each ring as a field of the Core itself.
/// The order in which they run is the run loop's (<c>Core.Run</c>); this type only holds them and
/// does what is the same for all four (push by lane, drop, trim).</remarks>
internal struct CallQueues
{
    /// <summary>The main queue: every call, in the order made</summary>
    internal CallRing Main = new();
    /// <summary>Calls that run once the main queue is empty</summary>
    internal CallRing Lazy = new();
    /// <summary>The lazy batch being run (swapped whole with <see cref="Lazy"/>)</summary>
    internal CallRing LazyBatch = new();
    /// <summary>Calls run one per <c>Run(now, idle: true)</c></summary>
    internal CallRing Idle = new();

    public CallQueues() { }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Push(CallNode node, Lane lane)
    {
        if (lane == Lane.Main) Main.Push(node);
        else if (lane == Lane.Lazy) Lazy.Push(node);
        else Idle.Push(node);
    }

    /// <summary>Takes the whole lazy queue as the batch to run; the empty batch ring becomes the new lazy queue</summary>
    internal void TakeLazyBatch() => (LazyBatch, Lazy) = (Lazy, LazyBatch);

    /// <summary>Drops every queued call (answering the Rets they carry with "no value")</summary>
    internal void DropAll(Core core)
    {
        Main.DropAll(core);
        LazyBatch.DropAll(core);
        Lazy.DropAll(core);
        Idle.DropAll(core);
    }

    /// <summary>Times any ring grew or spilled into overflow (a sign of growth: trimming waits)</summary>
    internal readonly int Grows => Main.Grows + Lazy.Grows + LazyBatch.Grows + Idle.Grows;

    /// <summary>Calls taken off all four so far (swapping the lazy rings keeps the sum)</summary>
    internal readonly long Taken => Main.Taken + Lazy.Taken + LazyBatch.Taken + Idle.Taken;

    /// <summary>Calls queued in all four</summary>
    internal readonly int Length => Main.Length + Lazy.Length + LazyBatch.Length + Idle.Length;

    /// <summary>Overflow chunks held by all four (for tests of trimming)</summary>
    internal readonly int OverflowChunks => Main.OverflowChunks + Lazy.OverflowChunks + LazyBatch.OverflowChunks + Idle.OverflowChunks;

    internal void Trim(bool quiet)
    {
        Main.Trim(quiet);
        Lazy.Trim(quiet);
        LazyBatch.Trim(quiet);
        Idle.Trim(quiet);
    }
}
