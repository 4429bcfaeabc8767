namespace Stakker.Redis;

/// <summary>The replies of one EXEC, gathered by the connection as they come back</summary>
internal sealed class ExecBatch(int count)
{
    /// <summary>A watched key changed: nothing in the batch runs, EXEC answers a null array</summary>
    public bool Aborted;
    public readonly Reply[] Replies = new Reply[count];
    public int Pending = count;
}

/// <summary>A watched key in one database</summary>
internal readonly record struct WatchedKey(int Db, byte[] Key);

internal sealed class WatchedKeyComparer : IEqualityComparer<WatchedKey>
{
    public static readonly WatchedKeyComparer Instance = new();
    public bool Equals(WatchedKey x, WatchedKey y) => x.Db == y.Db && ByteKeyComparer.Instance.Equals(x.Key, y.Key);
    public int GetHashCode(WatchedKey k) => HashCode.Combine(k.Db, ByteKeyComparer.Instance.GetHashCode(k.Key));
}

// WATCH and the keyspace's side of EXEC (decision 026). A write to a watched key (by a command, an
// expiry, a flush or SWAPDB) marks every client watching it dirty; its next EXEC runs nothing.
internal sealed partial class Keyspace
{
    readonly Dictionary<WatchedKey, List<long>> _watchers = new(WatchedKeyComparer.Instance);
    readonly Dictionary<long, List<WatchedKey>> _watchedBy = [];
    readonly HashSet<long> _dirty = [];

    /// <summary>WATCH key...</summary>
    public void Watch(Cx<Keyspace> cx, long clientId, int db, byte[][] keys, Ret<Reply> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.Watch(cx, p.clientId, p.db, p.keys, p.ret), (clientId, db, keys, ret)); return; }
        if (!_watchedBy.TryGetValue(clientId, out var mine)) _watchedBy[clientId] = mine = [];
        foreach (byte[] key in keys)
        {
            var wk = new WatchedKey(db, key);
            if (!_watchers.TryGetValue(wk, out var ids)) _watchers[wk] = ids = [];
            if (ids.Contains(clientId)) continue;
            ids.Add(clientId);
            mine.Add(wk);
        }
        ret.Answer(Reply.Ok);
    }

    /// <summary>UNWATCH, and what EXEC, DISCARD, RESET and a closed connection do</summary>
    public void Unwatch(long clientId)
    {
        if (_hold is not null) { Park(static (k, cx, id) => k.UnwatchNow(id), clientId); return; }
        UnwatchNow(clientId);
    }

    void UnwatchNow(long clientId)
    {
        _dirty.Remove(clientId);
        if (!_watchedBy.Remove(clientId, out var mine)) return;
        foreach (WatchedKey wk in mine)
        {
            if (!_watchers.TryGetValue(wk, out var ids)) continue;
            ids.Remove(clientId);
            if (ids.Count == 0) _watchers.Remove(wk);
        }
    }

    /// <summary>First step of EXEC: the batch runs only if nothing the client watched changed</summary>
    /// <remarks>Clients blocked on keys the steps fill are served at <see cref="ExecEnd"/>, after the last step.</remarks>
    public void ExecBegin(long clientId, ExecBatch batch, Ret<Reply> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.ExecBegin(p.clientId, p.batch, p.ret), (clientId, batch, ret)); return; }
        batch.Aborted = _dirty.Contains(clientId);
        UnwatchNow(clientId);
        _inExec = true;
        ret.Answer(Reply.Ok);
    }

    /// <summary>One queued command of an EXEC (skipped when the batch was aborted)</summary>
    public void ExecItem(Cx<Keyspace> cx, ExecBatch batch, CommandInfo cmd, byte[][] a, (long Id, int Db) client, Ret<Reply> ret)
    {
        // An EXEC on one shard arrives in one batch: parked, its items stay together and in order.
        if (_hold is not null) { Park(static (k, cx, p) => k.ExecItem(cx, p.batch, p.cmd, p.a, p.client, p.ret), (batch, cmd, a, client, ret)); return; }
        if (batch.Aborted) { ret.Answer(Reply.Nil); return; }
        // Inside a transaction a blocking command does not wait (Block answers as if its time had passed).
        Execute(cx, cmd, a, client.Id, client.Db, ret);
    }

    /// <summary>Last call of an EXEC on one shard: ready keys are served (<see cref="ExecEnd"/>)</summary>
    public void ExecDone(Cx<Keyspace> cx)
    {
        if (_hold is not null) { Park(static (k, cx, _) => k.ExecDone(cx), 0); return; }
        ExecEnd(cx);
    }

    /// <summary>A key of the current database changed: its watchers' next EXEC fails</summary>
    /// <summary>A write to <paramref name="e"/>'s key (its array made only when someone watches)</summary>
    void Touch(Entry e)
    {
        if (_watchers.Count != 0) Touch(e.Key);
    }

    void Touch(byte[] key)
    {
        if (_watchers.Count == 0) return;
        if (_watchers.TryGetValue(new WatchedKey(_dbIndex, key), out var ids))
            foreach (long id in ids) _dirty.Add(id);
    }

    /// <summary>Before a write command runs: every key it names is touched</summary>
    void TouchKeys(CommandInfo cmd, byte[][] a)
    {
        if (_watchers.Count == 0) return;
        bool any = false;
        if (cmd.Spec is { } spec)
        {
            foreach (int i in RedisCommandTable.KeyPositions(spec, a.Length)) { Touch(a[i]); any = true; }
        }
        // Commands whose keys Redis finds by a count argument (ZUNIONSTORE, LMPOP...): every argument.
        if (!any) for (int i = 1; i < a.Length; i++) Touch(a[i]);
    }

    /// <summary>A flush or SWAPDB of <paramref name="db"/>: watched keys that exist there are touched</summary>
    void TouchAllExisting(int db)
    {
        if (_watchers.Count == 0) return;
        KeyTable data = db == _dbIndex ? _data : DbAt(db).Data;
        foreach (var (wk, ids) in _watchers)
            if (wk.Db == db && data.ContainsKey(wk.Key))
                foreach (long id in ids) _dirty.Add(id);
    }
}

// CLIENT UNBLOCK: a client in BLPOP/BRPOP answered now, with a timeout's null or an error.
internal sealed partial class Keyspace
{
    public void UnblockWith(Cx<Keyspace> cx, long clientId, Reply answer, Ret<Reply> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.UnblockWith(cx, p.clientId, p.answer, p.ret), (clientId, answer, ret)); return; }
        if (!_waitingClients.TryGetValue(clientId, out Waiter? w) || w.Done) { ret.Answer(Reply.Zero); return; }
        Use(w.Db);
        cx.TimerDel(w.Timer);
        Finish(w);
        w.Ret.Answer(answer);
        ret.Answer(Reply.One);
    }
}
