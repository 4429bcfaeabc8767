namespace Stakker.Redis;

/// <summary>A SCAN-family iteration between calls: what there was to visit when it started, and how far it got</summary>
internal sealed class ScanSnapshot(object[] items)
{
    public readonly object[] Items = items;
    public int Next;
}

/// <summary>The iterations in progress, by cursor (decision 023): a cursor names a snapshot of the keys or
/// members taken at its first call, so every element present for the whole iteration is returned exactly
/// once whatever changes meanwhile; at most <see cref="MaxLive"/> are kept, the oldest dropped first</summary>
internal sealed class ScanCursors
{
    public const int MaxLive = 64;
    readonly Dictionary<ulong, ScanSnapshot> _live = [];
    ulong _nextId = 1;

    /// <summary>Takes the snapshot a cursor names out of the table; null if it is unknown (finished, dropped, made up)</summary>
    public ScanSnapshot? Take(ulong cursor) => _live.Remove(cursor, out ScanSnapshot? s) ? s : null;

    /// <summary>Keeps a snapshot to continue later; returns its new cursor</summary>
    public ulong Keep(ScanSnapshot s)
    {
        if (_live.Count >= MaxLive)
        {
            ulong oldest = ulong.MaxValue;
            foreach (ulong k in _live.Keys) if (k < oldest) oldest = k;
            _live.Remove(oldest);
        }
        ulong id = _nextId++;
        _live[id] = s;
        return id;
    }

    /// <summary>True if <paramref name="cursor"/> names an iteration still going on here</summary>
    public bool Knows(ulong cursor) => _live.ContainsKey(cursor);

    /// <summary>Forgets every iteration (a flush: their snapshots would keep the flushed entries alive)</summary>
    public void Clear() => _live.Clear();

    public int Count => _live.Count;
}
