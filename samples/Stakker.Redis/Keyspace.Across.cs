namespace Stakker.Redis;

/// <summary>A key's value as it leaves its shard: an object nobody else holds (a copy, or the value taken out),
/// and the time it had left to live in Core ticks (0 for none), since the Cores' clocks need not agree</summary>
internal sealed record KeyValueOut(object Value, long TtlTicks);

// The entry points a command on keys of several shards uses (Client.ShardsAcross.cs, decision 102): look at
// keys without the events a command's own reads emit, lend copies of values, run a command with values of
// other shards lent in for its duration, take a value out and put it in elsewhere.
internal sealed partial class Keyspace
{
    /// <summary>TYPE of each key, with no keymiss event (the checks a write command makes before it writes)</summary>
    public void TypesOf(Cx<Keyspace> cx, int db, byte[][] keys, Ret<string[]> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.TypesOf(cx, p.db, p.keys, p.ret), (db, keys, ret)); return; }
        Use(db);
        _reading = false;
        var types = new string[keys.Length];
        for (int i = 0; i < keys.Length; i++) types[i] = TypeName(Find(cx, keys[i]));
        ret.Answer(types);
    }

    /// <summary>Copies of the keys' values (null where there is none), for a command that reads them on another shard</summary>
    public void Lend(Cx<Keyspace> cx, int db, byte[][] keys, Ret<KeyValueOut?[]> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.Lend(cx, p.db, p.keys, p.ret), (db, keys, ret)); return; }
        Use(db);
        // The shard that runs the command reads them, and emits their keymiss events as that command would.
        _reading = false;
        var values = new KeyValueOut?[keys.Length];
        for (int i = 0; i < keys.Length; i++)
            if (Find(cx, keys[i]) is { } e) values[i] = new KeyValueOut(CloneValue(e.Value)!, TtlTicks(cx, e));
        ret.Answer(values);
    }

    /// <summary>Runs <paramref name="cmd"/> as <see cref="Execute"/> does, with the values of other shards' keys
    /// in this database while it runs: the command's own code reads them, so its replies, errors and events
    /// are those of one shard. The lent keys are gone again afterwards (they belong to other shards).</summary>
    public void ExecuteBorrowing(Cx<Keyspace> cx, CommandInfo cmd, byte[][] a, (long Id, int Db, byte[][] Keys, KeyValueOut?[] Values) lent, Ret<Reply> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.ExecuteBorrowing(cx, p.cmd, p.a, p.lent, p.ret), (cmd, a, lent, ret)); return; }
        Use(lent.Db);
        var placed = new List<Entry>(lent.Keys.Length);
        for (int i = 0; i < lent.Keys.Length; i++)
        {
            if (lent.Values[i] is not { } v || _data.ContainsKey(lent.Keys[i])) continue;
            // Put in directly: not a new key of this shard (no "new" event, no waiter is woken).
            var e = new Entry(lent.Keys[i]) { Value = v.Value };
            _data.Set(e);
            if (v.TtlTicks > 0) SetExpire(cx, e, cx.Now.Ticks + v.TtlTicks);
            placed.Add(e);
        }
        try
        {
            Execute(cx, cmd, a, lent.Id, lent.Db, ret);
        }
        finally
        {
            Use(lent.Db);
            foreach (Entry e in placed)
            {
                if (!_data.TryGetValue(e.KeySpan, out Entry? now) || !ReferenceEquals(now, e)) continue;
                ClearExpire(e);
                _data.Remove(e.KeySpan);
            }
        }
    }

    /// <summary>RENAME's first half: the key's value taken out of this shard (null if there is no key); watchers of
    /// the key see a write. The events wait for the second half (Redis sends the destination's <c>new</c> first).</summary>
    public void TakeOut(Cx<Keyspace> cx, int db, byte[] key, Ret<KeyValueOut?> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.TakeOut(cx, p.db, p.key, p.ret), (db, key, ret)); return; }
        Use(db);
        _reading = false;
        Entry? e = Find(cx, key);
        if (e is null) { ret.Answer(null); return; }
        var taken = new KeyValueOut(e.Value!, TtlTicks(cx, e));
        Remove(cx, e);
        ret.Answer(taken);
    }

    /// <summary>RENAME's second half: the value under <paramref name="key"/>, replacing what is there, or, when
    /// only if absent, false and nothing changed if the key exists. Renamed from another key, with Redis's events in
    /// its order: <c>new</c>, the source's <c>rename_from</c> (sent from here: an event names its key, not its
    /// shard), <c>rename_to</c>; a value given back, with none.</summary>
    public void PutIn(Cx<Keyspace> cx, int db, byte[] key, (KeyValueOut Value, bool OnlyIfAbsent, byte[]? RenamedFrom) put, Ret<bool> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.PutIn(cx, p.db, p.key, p.put, p.ret), (db, key, put, ret)); return; }
        Use(db);
        _reading = false;
        Touch(key);
        if (Find(cx, key) is { } old)
        {
            if (put.OnlyIfAbsent) { ret.Answer(false); return; }
            Remove(cx, old);
        }
        Entry e = Create(key);
        e.Value = put.Value.Value;
        if (put.Value.TtlTicks > 0) SetExpire(cx, e, cx.Now.Ticks + put.Value.TtlTicks);
        if (put.RenamedFrom is { } from)
        {
            Notify(KeyspaceEventTable.RenameFrom, from);
            Notify(KeyspaceEventTable.RenameTo, key);
        }
        ret.Answer(true);
        // A list or sorted set arriving under a key that clients wait on serves them now (Create signalled it).
        if (!_inExec) ServeReady(cx);
    }

    /// <summary>Undoes this shard's part of an MSETNX that another shard refused: each key still holding the value
    /// it was given is deleted (with a <c>del</c> event); a key written since keeps its new value</summary>
    public void Unset(Cx<Keyspace> cx, int db, byte[][] pairs, Ret<bool> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.Unset(cx, p.db, p.pairs, p.ret), (db, pairs, ret)); return; }
        Use(db);
        _reading = false;
        for (int i = 0; i + 1 < pairs.Length; i += 2)
        {
            if (Find(cx, pairs[i]) is not { IsString: true } e || !e.StrSpan.SequenceEqual(pairs[i + 1])) continue;
            Remove(cx, e);
            Notify(KeyspaceEventTable.Del, pairs[i]);
        }
        ret.Answer(true);
    }

    /// <summary>LMOVE's first half across shards: one element popped from the list (the key deleted if emptied), with
    /// no event yet: Redis sends the push's events first, so the destination's shard sends the pop's after them
    /// (<see cref="PushMoved"/>). Nil if there is no list, WRONGTYPE for another type.</summary>
    public void TakeElement(Cx<Keyspace> cx, int db, (byte[] Key, bool Left) take, Ret<(Reply Reply, bool Emptied)> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.TakeElement(cx, p.db, p.take, p.ret), (db, take, ret)); return; }
        Use(db);
        _reading = false;
        ListValue? list = Lookup<ListValue>(cx, take.Key, out bool wrong);
        if (wrong) { ret.Answer((Reply.WrongType, false)); return; }
        if (list is null) { ret.Answer((Reply.Nil, false)); return; }
        Touch(take.Key);
        byte[] element = take.Left ? list.PopLeft() : list.PopRight();
        bool emptied = list.Count == 0;
        if (emptied) Remove(cx, Find(cx, take.Key)!);
        ret.Answer((Reply.Bulk(element), emptied));
    }

    /// <summary>LMOVE's second half: the element pushed (WRONGTYPE, nothing changed, if the key holds another type),
    /// with the push's events, then the source's pop and, if it was emptied, its deletion</summary>
    public void PushMoved(Cx<Keyspace> cx, int db, (byte[] Key, byte[] Element, bool Left) push, (byte[] Key, bool Left, bool Emptied) from, Ret<Reply> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.PushMoved(cx, p.db, p.push, p.from, p.ret), (db, push, from, ret)); return; }
        Use(db);
        _reading = false;
        ListValue? to = LookupOrNew<ListValue>(cx, push.Key, out bool wrong);
        if (wrong || to is null) { ret.Answer(Reply.WrongType); return; }
        Touch(push.Key);
        if (push.Left) to.PushLeft(push.Element);
        else to.PushRight(push.Element);
        Store(cx, push.Key, to, to.Count);
        Notify(push.Left ? KeyspaceEventTable.LPush : KeyspaceEventTable.RPush, push.Key);
        Notify(from.Left ? KeyspaceEventTable.LPop : KeyspaceEventTable.RPop, from.Key);
        if (from.Emptied) Notify(KeyspaceEventTable.Del, from.Key);
        ret.Answer(Reply.Bulk(push.Element));
        // Clients waiting on the destination are served now, as after a command.
        if (!_inExec) ServeReady(cx);
    }

    static long TtlTicks(Cx<Keyspace> cx, Entry e) => e.ExpireAt == 0 ? 0 : Math.Max(1, e.ExpireAt - cx.Now.Ticks);
}
