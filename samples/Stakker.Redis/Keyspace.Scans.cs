using System.Diagnostics;

namespace Stakker.Redis;

/// <summary>A KEYS scan in progress: the keys as they were when it started, and what matched so far</summary>
internal sealed class KeysScan(byte[] pattern, Entry[] entries, long now, Ret<Reply> ret)
{
    public readonly byte[] Pattern = pattern;
    public readonly Entry[] Entries = entries;
    public readonly long Now = now;
    public readonly Ret<Reply> Ret = ret;
    public readonly List<byte[]?> Found = [];
    public int Next;
}

// Commands that touch the whole keyspace. On a keyspace of millions of keys they would hold the one
// thread for long: they work in slices of at most SliceTime, and between slices every other call
// that is due (other clients' commands, socket readiness) runs first.
internal sealed partial class Keyspace
{
    /// <summary>Longest a keyspace-wide command runs before letting others in</summary>
    static readonly long SliceTicks = Stopwatch.Frequency / 500;   // 2 ms
    /// <summary>A flush of at least this many keys is followed by a full garbage collection that returns memory to the system</summary>
    const int CollectAfterFlushOf = 100_000;

    /// <summary>Runs the next slice of a long job after whatever else is due (a timer for "now" fires in the next run,
    /// after the socket events and calls queued meanwhile)</summary>
    static void Later<TState>(Cx<Keyspace> cx, ActorCall<Keyspace, TState> step, TState state) => cx.After(TimeSpan.Zero, step, state);

    /// <summary>KEYS: matches a snapshot of the keys, slice by slice; the reply is the keys live when it started</summary>
    void Keys(Cx<Keyspace> cx, byte[] pattern, Ret<Reply> ret)
    {
        Entry[] entries = _data.ToArray();
        ContinueKeys(cx, new KeysScan(pattern, entries, cx.Now.Ticks, ret));
    }

    void ContinueKeys(Cx<Keyspace> cx, KeysScan scan)
    {
        long deadline = Stopwatch.GetTimestamp() + SliceTicks;
        bool all = scan.Pattern is [(byte)'*'];
        Entry[] entries = scan.Entries;
        while (scan.Next < entries.Length)
        {
            Entry e = entries[scan.Next++];
            if (e.ExpireAt != 0 && e.ExpireAt <= scan.Now) continue;
            if (all || Glob.IsMatch(scan.Pattern, e.KeySpan)) scan.Found.Add(e.Key);
            if ((scan.Next & 255) == 0 && Stopwatch.GetTimestamp() > deadline)
            {
                Later(cx, static (k, cx, s) => k.ContinueKeys(cx, s), scan);
                return;
            }
        }
        scan.Ret.Answer(Reply.Array([.. scan.Found]));
    }

    /// <summary>FLUSHDB/FLUSHALL: a new empty table and expiry heap at once</summary>
    Reply Flush(Cx<Keyspace> cx, byte[][] a)
    {
        if (a.Length > 2 || (a.Length == 2 && !Commands.Is(a[1], "async") && !Commands.Is(a[1], "sync"))) return Reply.SyntaxError;
        if (_data.Count == 0) return Reply.Ok;
        // Dropped rather than cleared, so that the memory can go back; the expiries are in the one heap, so
        // dropping it (and its one timer) is all there is to cancel.
        int count = _data.Count;
        _data = new KeyTable();
        if (_expiries.Timer.IsSet) cx.TimerDel(_expiries.Timer);
        _expiries = new ExpiryHeap();
        // SCAN snapshots would keep the flushed entries alive; their cursors now end the iteration.
        _cursors.Clear();
        // On a later turn, when nothing on this stack still refers to the old table.
        Later(cx, static (k, cx, count) => FlushDone(count), count);
        return Reply.Ok;
    }

    /// <summary>A large flush is over and nothing refers to its entries: give the memory back to the system</summary>
    static void FlushDone(int count)
    {
        if (count < CollectAfterFlushOf) return;
        // The live heap is small right after a flush, so this full, compacting collection is short;
        // without it the freed segments stay committed and the process keeps its peak size.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
