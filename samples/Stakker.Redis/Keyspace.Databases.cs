using System.Text;

namespace Stakker.Redis;

/// <summary>One of the numbered databases: its keys, expiry count and BLPOP waiters</summary>
internal sealed class Db
{
    public KeyTable Data = new();
    public ExpiryHeap Expiries = new();
    public Dictionary<byte[], LinkedList<Waiter>> Waiters = new(ByteKeyComparer.Instance);
}

// The 16 databases: the command code works on the fields _data, _expiries and _waiters, which hold
// the database of the command being run; Use swaps them (decision 025).
internal sealed partial class Keyspace
{
    /// <summary>How many databases SELECT can reach, as Redis's default <c>databases 16</c></summary>
    public const int Databases = 16;

    readonly Db?[] _dbs = new Db?[Databases];
    int _dbIndex;

    /// <summary>Makes database <paramref name="db"/> the one the fields refer to</summary>
    void Use(int db)
    {
        if (db == _dbIndex) return;
        Save();
        Db next = _dbs[db] ??= new Db();
        _dbIndex = db;
        _data = next.Data;
        _expiries = next.Expiries;
        _waiters = next.Waiters;
    }

    /// <summary>Writes the fields back to the current database's record (before reading other databases)</summary>
    void Save()
    {
        Db cur = _dbs[_dbIndex] ??= new Db();
        cur.Data = _data;
        cur.Expiries = _expiries;
        cur.Waiters = _waiters;
    }

    Db DbAt(int db)
    {
        if (db == _dbIndex) Save();
        return _dbs[db] ??= new Db();
    }

    /// <summary>FLUSHDB: the current database emptied</summary>
    Reply FlushDb(Cx<Keyspace> cx, byte[][] a)
    {
        TouchAllExisting(_dbIndex);
        return Flush(cx, a);
    }

    /// <summary>FLUSHALL: every database flushed</summary>
    Reply FlushAll(Cx<Keyspace> cx, byte[][] a)
    {
        int was = _dbIndex;
        Reply r = Reply.Ok;
        for (int db = 0; db < Databases; db++)
        {
            Use(db);
            TouchAllExisting(db);
            r = Flush(cx, a);
            if (r.Kind == ReplyKind.Error) break;
        }
        Use(was);
        return r;
    }

    /// <summary>MOVE key db: 1 if moved, 0 if the key is missing here or exists there</summary>
    Reply Move(Cx<Keyspace> cx, byte[][] a)
    {
        if (!RedisParse.Long(a[2], out long target)) return Reply.NotInteger;
        if (target < 0 || target >= Databases) return Reply.Error("ERR DB index is out of range");
        if (target == _dbIndex) return Reply.Error("ERR source and destination objects are the same");
        int src = _dbIndex;
        Entry? e = Find(cx, a[1]);
        if (e is null) return Reply.Zero;
        Use((int)target);
        if (Find(cx, a[1]) is not null) { Use(src); return Reply.Zero; }
        Use(src);
        long at = e.ExpireAt;
        object? value = e.Value;
        Remove(cx, e);
        Use((int)target);
        Entry moved = Create(a[1]);
        moved.Value = value;
        if (at != 0) SetExpire(cx, moved, at);
        Touch(a[1]);
        Use(src);
        Notify(KeyspaceEventTable.MoveFrom, a[1]);
        Use((int)target);
        Notify(KeyspaceEventTable.MoveTo, a[1]);
        Use(src);
        return Reply.One;
    }

    /// <summary>SWAPDB a b: the two databases trade contents; clients keep their numbers</summary>
    Reply SwapDb(byte[][] a)
    {
        if (!RedisParse.Long(a[1], out long x)) return Reply.Error("ERR invalid first DB index");
        if (!RedisParse.Long(a[2], out long y)) return Reply.Error("ERR invalid second DB index");
        if (x < 0 || x >= Databases || y < 0 || y >= Databases) return Reply.Error("ERR DB index is out of range");
        int was = _dbIndex;
        Save();
        TouchAllExisting((int)x);
        TouchAllExisting((int)y);
        Db dx = DbAt((int)x), dy = DbAt((int)y);
        // Waiters stay with their database number: they wait on a key of the db they selected.
        (dx.Data, dy.Data) = (dy.Data, dx.Data);
        (dx.Expiries, dy.Expiries) = (dy.Expiries, dx.Expiries);
        TouchAllExisting((int)x);
        TouchAllExisting((int)y);
        Db cur = _dbs[was]!;
        _data = cur.Data;
        _expiries = cur.Expiries;
        return Reply.Ok;
    }

    /// <summary>The "# Keyspace" lines of INFO: one per database that has keys</summary>
    void KeyspaceInfo(StringBuilder sb)
    {
        Save();
        for (int db = 0; db < Databases; db++)
        {
            if (_dbs[db] is not { Data.Count: > 0 } d) continue;
            sb.Append("db").Append(db).Append(":keys=").Append(d.Data.Count).Append(",expires=").Append(d.Expiries.Count).Append(",avg_ttl=0\r\n");
        }
    }
}
