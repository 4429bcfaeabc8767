namespace Stakker.Redis;

// A client blocked on keys of several shards (decision 105): only one shard may pop for it, so no shard pops
// while it waits. Each shard keeps a waiter of kind Ready* in the key's queue among the others; when that
// waiter's turn comes, the shard answers "ready" and reserves the key (the waiters behind it wait) until the
// client has tried it (TryServe) or let it go (StopAwaiting, AwaitReady again, or Unblock when it closes).
// A reserved key is not a held shard: a transaction's hold of a whole shard is Keyspace.Hold.cs.
internal sealed partial class Keyspace
{
    /// <summary>What a Ready waiter is answered when one of its keys has elements (an unblock answers a null or an error)</summary>
    internal static readonly Reply KeyReady = Reply.Ok;

    /// <summary>Keys whose turn is with a client blocked across shards, and that client</summary>
    readonly Dictionary<WatchedKey, long> _reservedFor = new(WatchedKeyComparer.Instance);

    /// <summary>Blocked clients, each once (INFO): a client blocked across shards waits on each of them</summary>
    int BlockedClients
    {
        get
        {
            int n = 0;
            foreach (Waiter w in _waitingClients.Values) if (w.Counted) n++;
            return n;
        }
    }

    bool IsKeyReserved(byte[] key) => _reservedFor.Count > 0 && _reservedFor.ContainsKey(new WatchedKey(_dbIndex, key));

    void ReserveKey(byte[] key, Waiter w)
    {
        _reservedFor[new WatchedKey(_dbIndex, key)] = w.ClientId;
        w.Ret.Answer(KeyReady);
    }

    /// <summary>Waits, for a client blocked across shards, until one of <paramref name="keys"/> has elements of its
    /// type; answered at once if one has. What was reserved for it here before is let go first. No timer: the client owns it.</summary>
    public void AwaitReady(Cx<Keyspace> cx, int db, (long Client, bool Zset, bool Counted) who, byte[][] keys, Ret<Reply> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.AwaitReady(cx, p.db, p.who, p.keys, p.ret), (db, who, keys, ret)); return; }
        Release(cx, who.Client, null);
        Use(db);
        _reading = false;
        foreach (byte[] key in keys)
        {
            if (Find(cx, key) is not { } e) continue;
            if (who.Zset ? e.Value is SortedSetValue : e.Value is ListValue) { ret.Answer(KeyReady); return; }
        }
        Block(cx, new Waiter(keys, false, who.Client, ret) { Kind = who.Zset ? WaitKind.ReadyZset : WaitKind.ReadyList, Counted = who.Counted }, 0);
    }

    /// <summary>One key tried by a client blocked across shards: served exactly as its waiter would be here
    /// (same reply, same events); Nil when the key has nothing, WRONGTYPE when it holds another type.
    /// The key, if reserved for this client, is let go afterwards.</summary>
    public void TryServe(Cx<Keyspace> cx, int db, (long Client, WaitKind Kind, bool Left, long Count) who, byte[] key, Ret<Reply> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.TryServe(cx, p.db, p.who, p.key, p.ret), (db, who, key, ret)); return; }
        Use(db);
        _reading = false;
        Reply reply;
        if (Find(cx, key) is not { } e) reply = Reply.Nil;
        else if (IsZsetWait(who.Kind) ? e.Value is not SortedSetValue : e.Value is not ListValue) reply = Reply.WrongType;
        else reply = Serve(cx, new Waiter([key], who.Left, who.Client, default) { Kind = who.Kind, Count = who.Count }, e);
        ret.Answer(reply);
        Release(cx, who.Client, key);
    }

    /// <summary>The client blocked across shards is served, gave up, or is trying again: its waiter here goes,
    /// and what was reserved for it is served to the next waiters</summary>
    public void StopAwaiting(Cx<Keyspace> cx, long clientId)
    {
        // After the client's calls parked before it, as Unblock.
        if (_hold is not null) { Park(static (k, cx, id) => k.StopAwaiting(cx, id), clientId); return; }
        if (_waitingClients.TryGetValue(clientId, out Waiter? w) && !w.Done && w.Kind is WaitKind.ReadyList or WaitKind.ReadyZset)
        {
            Use(w.Db);
            Finish(w);
            w.Ret.Dispose();
        }
        Release(cx, clientId, null);
    }

    /// <summary>Lets go of the keys reserved for <paramref name="clientId"/> (only <paramref name="key"/> of the current
    /// database if given), and serves their waiters</summary>
    void Release(Cx<Keyspace> cx, long clientId, byte[]? key)
    {
        if (_reservedFor.Count == 0) return;
        List<WatchedKey>? freed = null;
        foreach (var (wk, id) in _reservedFor)
            if (id == clientId && (key is null || (wk.Db == _dbIndex && wk.Key.AsSpan().SequenceEqual(key)))) (freed ??= []).Add(wk);
        if (freed is null) return;
        foreach (WatchedKey wk in freed)
        {
            _reservedFor.Remove(wk);
            if (_readySet.Add(wk)) _ready.Add(wk);
        }
        if (!_inExec) ServeReady(cx);
    }
}
