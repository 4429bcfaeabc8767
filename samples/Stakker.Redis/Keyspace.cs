using System.Globalization;
using System.Text;

namespace Stakker.Redis;

/// <summary>A string that APPEND grows: spare room after <see cref="Length"/>, doubled as it fills (as Redis's sds),
/// so repeated appends cost amortised O(appended bytes)</summary>
/// <remarks>Bytes before <see cref="Length"/> are never changed: a reply still holding the buffer keeps
/// seeing the value it was made from, while appends fill the room after it.</remarks>
internal sealed class GrownString(byte[] buffer, int length)
{
    /// <summary>Past this size the room grows by this much rather than doubling</summary>
    const int MaxDoubling = 1024 * 1024;

    public byte[] Buffer = buffer;
    public int Length = length;

    public ReadOnlySpan<byte> Bytes => new(Buffer, 0, Length);

    /// <summary>Starts from a plain value about to be appended to</summary>
    public static GrownString From(ReadOnlySpan<byte> value, int extra)
    {
        var g = new GrownString([], 0);
        g.Append(value, extra);
        return g;
    }

    public void Append(ReadOnlySpan<byte> more, int reserve = 0)
    {
        long need = (long)Length + more.Length + reserve;
        if (need > Array.MaxLength) throw new InvalidOperationException("A string cannot grow past " + Array.MaxLength + " bytes.");
        if (need > Buffer.Length)
        {
            long size = need < MaxDoubling ? need * 2 : need + MaxDoubling;
            var bigger = GC.AllocateUninitializedArray<byte>((int)Math.Min(size, Array.MaxLength));
            Bytes.CopyTo(bigger);
            Buffer = bigger;
        }
        more.CopyTo(Buffer.AsSpan(Length));
        Length += more.Length;
    }

    /// <summary>Exactly the string's bytes, for replies that need an array of their own</summary>
    public byte[] ToArray() => Bytes.ToArray();
}

/// <summary>A client waiting in BLPOP/BRPOP: its Ret is answered by a push or by its timer</summary>
internal sealed class Waiter(byte[][] keys, bool left, long clientId, Ret<Reply> ret)
{
    public readonly byte[][] Keys = keys;
    public readonly bool Left = left;
    public readonly long ClientId = clientId;
    public Ret<Reply> Ret = ret;
    public FixedTimerKey Timer;
    public bool Done;
    /// <summary>BLMOVE's destination (null for BLPOP/BRPOP), and its end</summary>
    public byte[]? MoveTo;
    public bool MoveToLeft;
    /// <summary>What the client waits for and how it is answered</summary>
    public WaitKind Kind;
    /// <summary>BLMPOP/BZMPOP's COUNT: most elements one answer takes</summary>
    public long Count = 1;
    /// <summary>The database the keys are in</summary>
    public int Db;
    /// <summary>Counted in INFO's blocked_clients (a client blocked across shards is counted by one of them only)</summary>
    public bool Counted = true;
}

/// <summary>The database (db 0): every key lives in this actor, and every data command is a call on it</summary>
/// <remarks>
/// <para>Connection actors send <see cref="Execute"/> with a <see cref="Ret{T}"/> for the reply;
/// the Core's queue is FIFO, so replies to one connection come back in the order asked.</para>
/// <para>Expiry: the keys with a TTL of each database are in an <see cref="ExpiryHeap"/>, and one runtime
/// timer for the earliest deletes them at their time; a read also treats a key past its time as gone
/// (a timer fires at the earliest at its time).</para>
/// <para>BLPOP/BRPOP never block the actor: when every list is empty, the Ret is kept in a
/// <see cref="Waiter"/>, answered by the next push to one of its keys, or with a null array by a
/// timer when the timeout passes.</para>
/// </remarks>
internal sealed partial class Keyspace
{
    /// <summary>Every key; replaced (not cleared) by FLUSHALL, so its memory can go back</summary>
    KeyTable _data = new();
    /// <summary>Keys with an expiry, earliest first</summary>
    ExpiryHeap _expiries = new();
    /// <summary>Keys deleted because their time passed (INFO's expired_keys)</summary>
    long _expiredKeys;
    /// <summary>Clients in BLPOP/BRPOP by key, of the current database</summary>
    Dictionary<byte[], LinkedList<Waiter>> _waiters = new(ByteKeyComparer.Instance);
    readonly Dictionary<long, Waiter> _waitingClients = [];
    readonly Share<ServerInfo> _info;

    /// <summary>Longest string value, as Redis's proto-max-bulk-len</summary>
    const long MaxString = 512L * 1024 * 1024;
    static readonly Reply StringTooLong = Reply.Error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");

    /// <summary>The server's settings (CONFIG SET changes them; the connections share the Core with this actor)</summary>
    readonly Settings _settings;
    /// <summary>When hashes and sets leave their compact forms</summary>
    readonly EncodingThresholds _thresholds;

    /// <summary>Gives the memory of a burst back once the server is idle</summary>
    readonly HeapTrim _trim;

    public Keyspace(Cx<Keyspace> cx, Share<ServerInfo> info, Settings settings, HeapTrim? trim = null)
    {
        _trim = trim ?? new HeapTrim();
        _info = info;
        _settings = settings;
        _thresholds = settings.Thresholds;
    }

    public int Count => _data.Count;

    /// <summary>Commands that threw inside the keyspace (each answered with an error, the server kept running)</summary>
    public long Faults { get; private set; }

    /// <summary>The last such fault, for INFO and logs</summary>
    public string? LastFault { get; private set; }

    public void Execute(Cx<Keyspace> cx, CommandInfo cmd, byte[][] a, long clientId, int db, Ret<Reply> ret)
    {
        // A shard held for a transaction across shards runs only its steps; anything else runs after it (Keyspace.Hold.cs).
        if (_hold is not null && !_runningHeld)
        {
            Park(static (k, cx, p) => k.Execute(cx, p.cmd, p.a, p.clientId, p.db, p.ret), (cmd, a, clientId, db, ret));
            return;
        }
        if (_trim.Busy()) ArmTrim(cx);
        try
        {
            Run(cx, cmd, a, clientId, db, ret);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A fault in one command is that client's error, not the end of the keyspace actor (and of
            // the server, for every client). What the command changed before it threw stays, as a
            // partial write would in Redis; the fault is counted and shown in INFO stats.
            Faults++;
            LastFault = cmd.Name + ": " + ex.GetType().Name + ": " + ex.Message;
            if (ret.IsPending) ret.Answer(Reply.Error("ERR internal error in '" + cmd.Name + "' (" + ex.GetType().Name + "); the server goes on"));
            else ret.Dispose();   // answered before the fault: nothing left to say
        }
        // As Redis: clients blocked on keys this command filled are served after it (after EXEC for a transaction).
        if (!_inExec) ServeReady(cx);
    }

    void ArmTrim(Cx<Keyspace> cx) =>
        _trim.Timer = cx.After(HeapTrim.IdleAfter, static (k, cx) => { if (k._trim.Check()) k.ArmTrim(cx); });

    /// <summary>Collections run when the server was idle after a burst (decision 097)</summary>
    public long HeapTrims => _trim.Trims;

    void Run(Cx<Keyspace> cx, CommandInfo cmd, byte[][] a, long clientId, int db, Ret<Reply> ret)
    {
        Use(db);
        _running = cmd.Id;
        // GETEX and GETDEL read their key as Redis's read commands do (a miss is a keymiss event).
        _reading = !cmd.Write || cmd.Id is Cmd.GetEx or Cmd.GetDel;
        if (cmd.Write) TouchKeys(cmd, a);
        switch (cmd.Id)
        {
            case Cmd.BLPop:
            case Cmd.BRPop:
                BlockingPop(cx, cmd, a, clientId, ret);
                return;
            case Cmd.BLMove:
                BlockingMove(cx, a, clientId, ret);
                return;
            case Cmd.BRPopLPush:
            case Cmd.BLMPop:
            case Cmd.BZPopMin:
            case Cmd.BZPopMax:
            case Cmd.BZMPop:
                BlockingCommand(cx, cmd, a, clientId, ret);
                return;
            case Cmd.Keys:
                Keys(cx, a[1], ret);
                return;
        }
        ret.Answer(cmd.Id switch
        {
            Cmd.Get => Get(cx, a[1]),
            Cmd.Set => Set(cx, a),
            Cmd.GetSet => GetSet(cx, a),
            Cmd.Del => Del(cx, a),
            Cmd.Exists => Exists(cx, a),
            Cmd.Incr => IncrBy(cx, a[1], 1),
            Cmd.Decr => IncrBy(cx, a[1], -1),
            Cmd.IncrBy => RedisParse.Long(a[2], out long by) ? IncrBy(cx, a[1], by) : Reply.NotInteger,
            Cmd.DecrBy => DecrBy(cx, a),
            Cmd.Append => Append(cx, a),
            Cmd.SetEx => SetEx(cx, a, 1000, "setex"),
            Cmd.PSetEx => SetEx(cx, a, 1, "psetex"),
            Cmd.SetNx => SetNx(cx, a),
            Cmd.GetDel => GetDel(cx, a[1]),
            Cmd.GetEx => GetEx(cx, a),
            Cmd.StrLen => StrLen(cx, a[1]),
            Cmd.MGet => MGet(cx, a),
            Cmd.MSet => MSet(cx, a),
            Cmd.Expire => Expire(cx, a, 1000, "expire"),
            Cmd.PExpire => Expire(cx, a, 1, "pexpire"),
            Cmd.Ttl => Ttl(cx, a[1], ms: false),
            Cmd.PTtl => Ttl(cx, a[1], ms: true),
            Cmd.Persist => Persist(cx, a[1]),
            Cmd.DbSize => Reply.Int(_data.Count),
            Cmd.FlushDb => FlushDb(cx, a),
            Cmd.FlushAll => FlushAll(cx, a),
            Cmd.Move => Move(cx, a),
            Cmd.SwapDb => SwapDb(a),
            Cmd.Object => ObjectCommand(cx, a),
            Cmd.LPush => Push(cx, a, left: true),
            Cmd.RPush => Push(cx, a, left: false),
            Cmd.LPop => Pop(cx, a, left: true),
            Cmd.RPop => Pop(cx, a, left: false),
            Cmd.LRange => LRange(cx, a),
            Cmd.LLen => LLen(cx, a[1]),
            Cmd.Info => Info(_info.Ro(cx), a),
            _ => ExecuteTyped(cx, cmd, a),
        });
    }

    // ---- lookup and expiry --------------------------------------------------------------------

    /// <summary>The live entry for <paramref name="key"/>, deleting it first if its time has passed</summary>
    Entry? Find(Cx<Keyspace> cx, byte[] key)
    {
        if (!_data.TryGetValue(key, out Entry? e))
        {
            if (_reading) Notify(KeyspaceEventTable.KeyMiss, key);
            return null;
        }
        if (e.ExpireAt != 0 && e.ExpireAt <= cx.Now.Ticks)
        {
            Remove(cx, e);
            _expiredKeys++;
            Notify(KeyspaceEventTable.Expired, key);
            if (_reading) Notify(KeyspaceEventTable.KeyMiss, key);
            return null;
        }
        return e;
    }

    void Remove(Cx<Keyspace> cx, Entry e)
    {
        Touch(e);
        _data.Remove(e.KeySpan);
        ClearExpire(e);
    }

    Entry Create(byte[] key)
    {
        var e = new Entry(key);
        _data.Set(e);
        SignalReady(key);
        Notify(KeyspaceEventTable.New, key);
        return e;
    }

    void SetExpire(Cx<Keyspace> cx, Entry e, long at)
    {
        bool had = e.ExpireAt != 0;
        e.ExpireAt = at;
        if (had) _expiries.Changed(e);
        else _expiries.Add(e);
        ArmExpiry(cx, _expiries);
    }

    void ClearExpire(Entry e)
    {
        if (e.ExpireAt == 0) return;
        _expiries.Remove(e);
        e.ExpireAt = 0;
        // The database's timer stays: when it fires early it finds nothing due and re-arms for the next key.
    }

    /// <summary>Keeps the heap's one runtime timer at or before its earliest expiry</summary>
    static void ArmExpiry(Cx<Keyspace> cx, ExpiryHeap heap)
    {
        if (heap.First is not { } first) return;
        if (heap.Timer.IsSet)
        {
            if (heap.TimerAt <= first.ExpireAt) return;
            cx.TimerDel(heap.Timer);
        }
        heap.TimerAt = first.ExpireAt;
        heap.Timer = cx.At(new Instant(first.ExpireAt), static (k, cx, h) => k.ExpireDue(cx, h), heap);
    }

    /// <summary>Most keys one turn of the expiry timer deletes before letting other work in</summary>
    const int ExpiriesPerTurn = 1000;

    /// <summary>The heap's timer fired: deletes its keys that are due, a bounded number per turn</summary>
    void ExpireDue(Cx<Keyspace> cx, ExpiryHeap heap)
    {
        heap.Timer = default;
        // While a transaction holds the shard its keys stay as they are; they expire at the release.
        if (_hold is not null) { Park(static (k, cx, h) => k.ExpireDue(cx, h), heap); return; }
        // SWAPDB moves heaps between database numbers, and a flush drops them: find its database now.
        Save();
        int db = Array.FindIndex(_dbs, d => ReferenceEquals(d?.Expiries, heap));
        if (db < 0) return;
        Use(db);
        long now = cx.Now.Ticks;
        for (int n = 0; heap.First is { } e && e.ExpireAt <= now; n++)
        {
            if (n == ExpiriesPerTurn)
            {
                // The rest on a later turn, after the socket events and calls that arrived meanwhile.
                heap.TimerAt = now;
                heap.Timer = cx.At(new Instant(now), static (k, cx, h) => k.ExpireDue(cx, h), heap);
                return;
            }
            heap.Remove(e);
            e.ExpireAt = 0;
            _expiredKeys++;
            Touch(e);
            _data.Remove(e.KeySpan);
            Notify(KeyspaceEventTable.Expired, e);
        }
        ArmExpiry(cx, heap);
    }

    /// <summary>Milliseconds from now to Core ticks at that time; false if it does not fit</summary>
    static bool TicksAfter(Cx<Keyspace> cx, long ms, out long at)
    {
        long now = cx.Now.Ticks;
        at = 0;
        if (ms > (long.MaxValue - now) / TimeSpan.TicksPerMillisecond) return false;
        at = now + ms * TimeSpan.TicksPerMillisecond;
        return true;
    }

    // ---- strings ------------------------------------------------------------------------------

    Reply Get(Cx<Keyspace> cx, byte[] key)
    {
        Entry? e = Find(cx, key);
        if (e is null) return Reply.Nil;
        return e.IsString ? e.StrReply : Reply.WrongType;
    }

    Reply Set(Cx<Keyspace> cx, byte[][] a)
    {
        bool nx = false, xx = false, get = false, keepTtl = false, absolute = false;
        byte[]? expireArg = null;
        long unitMs = 0;
        for (int j = 3; j < a.Length; j++)
        {
            byte[] opt = a[j];
            bool hasNext = j + 1 < a.Length;
            if (Commands.Is(opt, "nx") && !xx) nx = true;
            else if (Commands.Is(opt, "xx") && !nx) xx = true;
            else if (Commands.Is(opt, "get")) get = true;
            else if (Commands.Is(opt, "keepttl") && unitMs == 0) keepTtl = true;
            // One kind of expiry (the same one may repeat), as Redis parses them.
            else if (ExpiryOption(opt) is { } kind && !keepTtl && (unitMs == 0 || (kind.UnitMs == unitMs && kind.Absolute == absolute)) && hasNext)
            {
                (unitMs, absolute) = kind;
                expireArg = a[++j];
            }
            else return Reply.SyntaxError;
        }
        long at = 0;
        if (expireArg is not null && (absolute ? AbsoluteExpiry(cx, expireArg, unitMs, "set", out at) : RelativeExpiry(cx, expireArg, unitMs, "set", out at)) is { } invalid) return invalid;
        Entry? e = Find(cx, a[1]);
        Reply old = Reply.Nil;
        if (get)
        {
            if (e is not null && !e.IsString) return Reply.WrongType;
            old = e?.StrReply ?? Reply.Nil;
        }
        if ((nx && e is not null) || (xx && e is null)) return get ? old : Reply.Nil;
        if (e is null) e = Create(a[1]);
        e.Value = a[2];
        if (expireArg is not null) SetExpire(cx, e, at);
        else if (!keepTtl) ClearExpire(e);
        Notify(a[1]);
        if (expireArg is not null) Notify(KeyspaceEventTable.Expire, a[1]);
        return get ? old : Reply.Ok;
    }

    /// <summary>SET's EX, PX, EXAT, PXAT: the unit and whether the time is absolute</summary>
    static (long UnitMs, bool Absolute)? ExpiryOption(byte[] opt) =>
        Commands.Is(opt, "ex") ? (1000, false) : Commands.Is(opt, "px") ? (1, false)
        : Commands.Is(opt, "exat") ? (1000, true) : Commands.Is(opt, "pxat") ? (1, true) : null;

    Reply GetSet(Cx<Keyspace> cx, byte[][] a)
    {
        Entry? e = Find(cx, a[1]);
        if (e is not null && !e.IsString) return Reply.WrongType;
        Reply old = e?.StrReply ?? Reply.Nil;
        e ??= Create(a[1]);
        e.Value = a[2];
        ClearExpire(e);
        Notify(a[1]);
        return old;
    }

    Reply Del(Cx<Keyspace> cx, byte[][] a)
    {
        long n = 0;
        for (int i = 1; i < a.Length; i++)
        {
            if (Find(cx, a[i]) is { } e)
            {
                Remove(cx, e);
                Notify(a[i]);
                n++;
            }
        }
        return Reply.Int(n);
    }

    Reply Exists(Cx<Keyspace> cx, byte[][] a)
    {
        long n = 0;
        for (int i = 1; i < a.Length; i++) if (Find(cx, a[i]) is not null) n++;
        return Reply.Int(n);
    }

    Reply IncrBy(Cx<Keyspace> cx, byte[] key, long by)
    {
        Entry? e = Find(cx, key);
        long value = 0;
        if (e is not null)
        {
            if (!e.IsString) return Reply.WrongType;
            if (!RespParser.TryParseLong(e.StrSpan, out value)) return Reply.NotInteger;
        }
        if ((by < 0 && value < 0 && by < long.MinValue - value) || (by > 0 && value > 0 && by > long.MaxValue - value))
            return Reply.Error("ERR increment or decrement would overflow");
        value += by;
        e ??= Create(key);
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out int written, provider: CultureInfo.InvariantCulture);
        e.SetString(digits[..written]);
        Notify(key);
        return Reply.Int(value);
    }

    Reply DecrBy(Cx<Keyspace> cx, byte[][] a)
    {
        if (!RedisParse.Long(a[2], out long by)) return Reply.NotInteger;
        if (by == long.MinValue) return Reply.Error("ERR decrement would overflow");
        return IncrBy(cx, a[1], -by);
    }

    Reply Append(Cx<Keyspace> cx, byte[][] a)
    {
        Entry? e = Find(cx, a[1]);
        if (e is null)
        {
            e = Create(a[1]);
            e.Value = a[2];
            Notify(a[1]);
            return Reply.Int(a[2].Length);
        }
        switch (e.Value)
        {
            case GrownString g:
                if ((long)g.Length + a[2].Length > MaxString) return StringTooLong;
                g.Append(a[2]);
                Notify(a[1]);
                return Reply.Int(g.Length);
            case byte[] b:
                if ((long)b.Length + a[2].Length > MaxString) return StringTooLong;
                // The stored array may be shared with a reply in flight: grow into a new buffer.
                var grown = GrownString.From(b, a[2].Length);
                grown.Append(a[2]);
                e.Value = grown;
                Notify(a[1]);
                return Reply.Int(grown.Length);
            default:
                return Reply.WrongType;
        }
    }

    Reply StrLen(Cx<Keyspace> cx, byte[] key)
    {
        Entry? e = Find(cx, key);
        if (e is null) return Reply.Zero;
        return e.IsString ? Reply.Int(e.StrSpan.Length) : Reply.WrongType;
    }

    Reply MGet(Cx<Keyspace> cx, byte[][] a)
    {
        var values = new byte[]?[a.Length - 1];
        for (int i = 1; i < a.Length; i++)
        {
            values[i - 1] = Find(cx, a[i])?.Value switch
            {
                byte[] b => b,
                GrownString g => g.ToArray(),
                _ => null,
            };
        }
        return Reply.Array(values);
    }

    Reply MSet(Cx<Keyspace> cx, byte[][] a)
    {
        if (a.Length % 2 == 0) return Reply.Error(Commands.WrongArity("mset"));
        for (int i = 1; i < a.Length; i += 2)
        {
            Entry e = Find(cx, a[i]) ?? Create(a[i]);
            e.Value = a[i + 1];
            ClearExpire(e);
            Notify(a[i]);
        }
        return Reply.Ok;
    }

    // ---- expiry commands ----------------------------------------------------------------------

    Reply Expire(Cx<Keyspace> cx, byte[][] a, long unitMs, string name)
    {
        bool nx = false, xx = false, gt = false, lt = false;
        for (int j = 3; j < a.Length; j++)
        {
            if (Commands.Is(a[j], "nx")) nx = true;
            else if (Commands.Is(a[j], "xx")) xx = true;
            else if (Commands.Is(a[j], "gt")) gt = true;
            else if (Commands.Is(a[j], "lt")) lt = true;
            else return Reply.Error("ERR Unsupported option " + Encoding.UTF8.GetString(a[j]));
        }
        if (nx && (xx || gt || lt)) return Reply.Error("ERR NX and XX, GT or LT options at the same time are not compatible");
        if (gt && lt) return Reply.Error("ERR GT and LT options at the same time are not compatible");
        if (!RedisParse.Long(a[2], out long when)) return Reply.NotInteger;
        string invalid = "ERR invalid expire time in '" + name + "' command";
        if (unitMs == 1000 && (when > long.MaxValue / 1000 || when < long.MinValue / 1000)) return Reply.Error(invalid);
        long ms = when * unitMs;
        Entry? e = Find(cx, a[1]);
        if (e is null) return Reply.Zero;
        long at = 0;
        if (ms > 0 && !TicksAfter(cx, ms, out at)) return Reply.Error(invalid);
        if (nx && e.ExpireAt != 0) return Reply.Zero;
        if (xx && e.ExpireAt == 0) return Reply.Zero;
        long newAt = ms > 0 ? at : cx.Now.Ticks;
        if (gt && (e.ExpireAt == 0 || newAt <= e.ExpireAt)) return Reply.Zero;
        if (lt && e.ExpireAt != 0 && newAt >= e.ExpireAt) return Reply.Zero;
        if (ms <= 0)
        {
            Remove(cx, e);
            Notify(KeyspaceEventTable.Del, a[1]);
        }
        else
        {
            SetExpire(cx, e, at);
            Notify(a[1]);
        }
        return Reply.One;
    }

    Reply Ttl(Cx<Keyspace> cx, byte[] key, bool ms)
    {
        Entry? e = Find(cx, key);
        if (e is null) return Reply.Int(-2);
        if (e.ExpireAt == 0) return Reply.Int(-1);
        // Rounded up to whole milliseconds, as Redis counts in whole milliseconds: PSETEX 1500 read back
        // within the same millisecond has 1500 ms left (TTL 2), not 1499.9 truncated to 1499 (TTL 1).
        long left = Math.Max(0, (e.ExpireAt - cx.Now.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);
        return Reply.Int(ms ? left : (left + 500) / 1000);
    }

    Reply Persist(Cx<Keyspace> cx, byte[] key)
    {
        Entry? e = Find(cx, key);
        if (e is null || e.ExpireAt == 0) return Reply.Zero;
        ClearExpire(e);
        Notify(key);
        return Reply.One;
    }

}

/// <summary>Number parsing with Redis's rules</summary>
internal static class RedisParse
{
    public static bool Long(byte[] s, out long value) => RespParser.TryParseLong(s, out value);

    /// <summary>A timeout in seconds as BLPOP takes it: a non-negative float</summary>
    public static bool Seconds(byte[] s, out double seconds)
    {
        seconds = 0;
        if (s.Length == 0 || s[0] is (byte)' ' or (byte)'\t') return false;
        return double.TryParse(Encoding.ASCII.GetString(s), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds)
            && !double.IsNaN(seconds);
    }
}
