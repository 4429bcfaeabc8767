namespace Stakker.Redis;

/// <summary>What a blocked client waits for, and the shape of the answer it gets</summary>
internal enum WaitKind : byte
{
    /// <summary>BLPOP/BRPOP: [key, element]</summary>
    ListPop,
    /// <summary>BLMPOP: [key, [element...]]</summary>
    ListMultiPop,
    /// <summary>BLMOVE/BRPOPLPUSH: the element moved</summary>
    ListMove,
    /// <summary>BZPOPMIN/BZPOPMAX: [key, member, score]</summary>
    ZsetPop,
    /// <summary>BZMPOP: [key, [[member, score]...]]</summary>
    ZsetMultiPop,
    /// <summary>A client blocked on lists of several shards: told when a key has elements, it pops them itself</summary>
    ReadyList,
    /// <summary>The same for sorted sets</summary>
    ReadyZset,
}

// Serving blocked clients as Redis does (blocked.c): a key created while clients wait on it is
// marked ready, and the ready keys are served after the command that filled them ends, or after
// the whole EXEC, so a transaction's pushes are seen by the waiters only as its final state.
// Serving may fill more keys (BLMOVE pushes), which are served in the same pass.
internal sealed partial class Keyspace
{
    /// <summary>Keys created while clients wait on them, in the order they became ready</summary>
    readonly List<WatchedKey> _ready = [];
    readonly HashSet<WatchedKey> _readySet = new(WatchedKeyComparer.Instance);
    /// <summary>Between the first and the last step of an EXEC: blocking commands do not wait, ready keys wait</summary>
    bool _inExec;

    static bool IsZsetWait(WaitKind kind) => kind is WaitKind.ZsetPop or WaitKind.ZsetMultiPop or WaitKind.ReadyZset;

    /// <summary>A key of the current database was (re)created: if clients wait on it, serve them after the command</summary>
    void SignalReady(byte[] key)
    {
        if (_waitingClients.Count == 0 || !_waiters.ContainsKey(key)) return;
        var wk = new WatchedKey(_dbIndex, key);
        if (_readySet.Add(wk)) _ready.Add(wk);
    }

    /// <summary>The last step of an EXEC has run: serve what the transaction filled</summary>
    public void ExecEnd(Cx<Keyspace> cx)
    {
        _inExec = false;
        ServeReady(cx);
    }

    void ServeReady(Cx<Keyspace> cx)
    {
        while (_ready.Count > 0)
        {
            WatchedKey[] keys = [.. _ready];
            _ready.Clear();
            foreach (WatchedKey wk in keys)
            {
                _readySet.Remove(wk);
                Use(wk.Db);
                ServeKey(cx, wk.Key);
            }
        }
    }

    /// <summary>Answers the clients waiting on <paramref name="key"/>, first come first served, while it has elements of their type</summary>
    void ServeKey(Cx<Keyspace> cx, byte[] key)
    {
        if (!_waiters.TryGetValue(key, out var queue) || IsKeyReserved(key)) return;
        foreach (Waiter w in queue.ToArray())
        {
            Entry? e = Find(cx, key);
            if (e is null) return;
            if (w.Done || (IsZsetWait(w.Kind) ? e.Value is not SortedSetValue : e.Value is not ListValue)) continue;
            cx.TimerDel(w.Timer);
            Finish(w);
            if (w.Kind is WaitKind.ReadyList or WaitKind.ReadyZset)
            {
                // Its turn, but it pops from another Core: the waiters behind it wait for that (Keyspace.BlockingAcross.cs).
                ReserveKey(key, w);
                return;
            }
            w.Ret.Answer(Serve(cx, w, e));
        }
    }

    /// <summary>Takes a waiter's elements from <paramref name="e"/> (which has some) and makes its answer</summary>
    Reply Serve(Cx<Keyspace> cx, Waiter w, Entry e)
    {
        Touch(e);
        switch (w.Kind)
        {
            case WaitKind.ListPop:
                return Reply.Array([e.Key, PopOne(cx, e, w.Left)]);
            case WaitKind.ListMultiPop:
                return ListPopReply(cx, e, w.Left, w.Count);
            case WaitKind.ListMove:
                // A destination of another type fails this client only; the element stays for the next one.
                Lookup<ListValue>(cx, w.MoveTo!, out bool wrong);
                if (wrong) return Reply.WrongType;
                Touch(w.MoveTo!);
                return Move(cx, e.Key, w.MoveTo!, w.Left, w.MoveToLeft);
            case WaitKind.ZsetPop:
                return ZsetPopReply(cx, e, !w.Left, 1, nested: false);
            default:
                return ZsetPopReply(cx, e, !w.Left, w.Count, nested: true);
        }
    }

    /// <summary>Keeps a waiter on each of its keys until a push serves it or <paramref name="seconds"/> pass (0: for ever);
    /// inside EXEC it is answered at once as if the time had passed</summary>
    void Block(Cx<Keyspace> cx, Waiter w, double seconds)
    {
        if (_inExec)
        {
            w.Ret.Answer(w.Kind == WaitKind.ListMove ? Reply.Nil : Reply.NullArray);
            return;
        }
        w.Db = _dbIndex;
        var seen = new HashSet<byte[]>(ByteKeyComparer.Instance);
        foreach (byte[] key in w.Keys)
        {
            // BLPOP k k: one place in the queue, as Redis keeps one.
            if (!seen.Add(key)) continue;
            if (!_waiters.TryGetValue(key, out var queue)) _waiters[key] = queue = new LinkedList<Waiter>();
            queue.AddLast(w);
        }
        _waitingClients[w.ClientId] = w;
        if (seconds > 0)
        {
            var delay = TimeSpan.FromTicks((long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond));
            w.Timer = cx.After(delay, static (k, cx, w) => k.WaiterTimedOut(w), w);
        }
    }

    /// <summary>A blocking command's timeout in seconds (Redis's getTimeoutFromObjectOrReply); 0 waits for ever</summary>
    /// <remarks>Bounded: past about 292 years (long milliseconds halved) it is refused, so the timer always fits.</remarks>
    internal static Reply? ParseTimeout(byte[] arg, out double seconds)
    {
        if (!RedisParse.Seconds(arg, out seconds) || double.IsInfinity(seconds)) return Reply.Error("ERR timeout is not a float or out of range");
        if (Math.Ceiling(seconds * 1000) < 0) return Reply.Error("ERR timeout is negative");
        if (seconds * 1000 > long.MaxValue / 2) return Reply.Error("ERR timeout is out of range");
        return null;
    }

    void BlockingCommand(Cx<Keyspace> cx, CommandInfo cmd, byte[][] a, long clientId, Ret<Reply> ret)
    {
        Reply? error;
        switch (cmd.Id)
        {
            case Cmd.BRPopLPush:
            {
                if ((error = ParseTimeout(a[3], out double seconds)) is not null) { ret.Answer(error.Value); return; }
                ListValue? src = Lookup<ListValue>(cx, a[1], out bool wrong);
                if (wrong) { ret.Answer(Reply.WrongType); return; }
                if (src is not null) { ret.Answer(Move(cx, a[1], a[2], fromLeft: false, toLeft: true)); return; }
                Block(cx, new Waiter([a[1]], false, clientId, ret) { Kind = WaitKind.ListMove, MoveTo = a[2], MoveToLeft = true }, seconds);
                return;
            }
            case Cmd.BLMPop:
            case Cmd.BZMPop:
            {
                bool zset = cmd.Id == Cmd.BZMPop;
                if ((error = ParseMultiPop(a, 2, zset, out byte[][] keys, out bool left, out long count)) is not null) { ret.Answer(error.Value); return; }
                if ((error = ParseTimeout(a[1], out double seconds)) is not null) { ret.Answer(error.Value); return; }
                Reply? now = zset ? ZsetMultiPop(cx, keys, left, count, nested: true) : ListMultiPop(cx, keys, left, count);
                if (now is not null) { ret.Answer(now.Value); return; }
                Block(cx, new Waiter(keys, left, clientId, ret) { Kind = zset ? WaitKind.ZsetMultiPop : WaitKind.ListMultiPop, Count = count }, seconds);
                return;
            }
            default:
            {
                // BZPOPMIN/BZPOPMAX key... timeout
                bool min = cmd.Id == Cmd.BZPopMin;
                if ((error = ParseTimeout(a[^1], out double seconds)) is not null) { ret.Answer(error.Value); return; }
                byte[][] keys = a[1..^1];
                Reply? now = ZsetMultiPop(cx, keys, min, 1, nested: false);
                if (now is not null) { ret.Answer(now.Value); return; }
                Block(cx, new Waiter(keys, min, clientId, ret) { Kind = WaitKind.ZsetPop }, seconds);
                return;
            }
        }
    }

    /// <summary>LMPOP/BLMPOP/ZMPOP/BZMPOP's <c>numkeys key... LEFT|RIGHT|MIN|MAX [COUNT n]</c> from <paramref name="numKeysAt"/></summary>
    internal static Reply? ParseMultiPop(byte[][] a, int numKeysAt, bool zset, out byte[][] keys, out bool left, out long count)
    {
        keys = [];
        left = false;
        count = 1;
        // Redis gives the range's message also for what is not a number.
        if (!RedisParse.Long(a[numKeysAt], out long numKeys) || numKeys < 1) return Reply.Error("ERR numkeys should be greater than 0");
        // Compared before adding, so a huge numkeys cannot overflow the index.
        if (numKeys >= a.Length - numKeysAt - 1) return Reply.SyntaxError;
        int whereAt = numKeysAt + (int)numKeys + 1;
        if (zset ? Commands.Is(a[whereAt], "min") : Commands.Is(a[whereAt], "left")) left = true;
        else if (!(zset ? Commands.Is(a[whereAt], "max") : Commands.Is(a[whereAt], "right"))) return Reply.SyntaxError;
        bool counted = false;
        for (int j = whereAt + 1; j < a.Length; j++)
        {
            if (!counted && Commands.Is(a[j], "count") && j + 1 < a.Length)
            {
                if (!RedisParse.Long(a[++j], out count) || count < 1) return Reply.Error("ERR count should be greater than 0");
                counted = true;
            }
            else return Reply.SyntaxError;
        }
        keys = a[(numKeysAt + 1)..whereAt];
        return null;
    }

    Reply LMPop(Cx<Keyspace> cx, byte[][] a)
    {
        if (ParseMultiPop(a, 1, zset: false, out byte[][] keys, out bool left, out long count) is { } error) return error;
        return ListMultiPop(cx, keys, left, count) ?? Reply.NullArray;
    }

    Reply ZMPop(Cx<Keyspace> cx, byte[][] a)
    {
        if (ParseMultiPop(a, 1, zset: true, out byte[][] keys, out bool min, out long count) is { } error) return error;
        return ZsetMultiPop(cx, keys, min, count, nested: true) ?? Reply.NullArray;
    }

    /// <summary>Pops from the first of <paramref name="keys"/> that has a list; null when none has (WRONGTYPE stops the search)</summary>
    Reply? ListMultiPop(Cx<Keyspace> cx, byte[][] keys, bool left, long count)
    {
        foreach (byte[] key in keys)
        {
            Entry? e = Find(cx, key);
            if (e is null) continue;
            if (e.List is null) return Reply.WrongType;
            Touch(key);
            return ListPopReply(cx, e, left, count);
        }
        return null;
    }

    /// <summary>[key, [element...]]: up to <paramref name="count"/> elements (never more than the list has, so COUNT 2^62 costs nothing extra)</summary>
    Reply ListPopReply(Cx<Keyspace> cx, Entry e, bool left, long count)
    {
        ListValue list = e.List!;
        int n = (int)Math.Min(count, list.Count);
        var b = new RespBuilder().Array(2).Bulk(e.Key).Array(n);
        for (int i = 0; i < n; i++) b.Bulk(left ? list.PopLeft() : list.PopRight());
        // One lpop/rpop event for the whole pop, as Redis's LMPOP, then del if emptied.
        Popped(cx, e, left);
        return b.ToReply();
    }

    /// <summary>Pops from the first of <paramref name="keys"/> that has a sorted set; null when none has</summary>
    Reply? ZsetMultiPop(Cx<Keyspace> cx, byte[][] keys, bool min, long count, bool nested)
    {
        foreach (byte[] key in keys)
        {
            Entry? e = Find(cx, key);
            if (e is null) continue;
            if (e.Value is not SortedSetValue) return Reply.WrongType;
            Touch(key);
            return ZsetPopReply(cx, e, !min, count, nested);
        }
        return null;
    }

    /// <summary>BZPOPMIN's [key, member, score] or ZMPOP's [key, [[member, score]...]]; deletes the key when emptied</summary>
    Reply ZsetPopReply(Cx<Keyspace> cx, Entry e, bool max, long count, bool nested)
    {
        var z = (SortedSetValue)e.Value!;
        int n = (int)Math.Min(count, z.Count);
        var b = new RespBuilder();
        if (nested) b.Array(2).Bulk(e.Key).Array(n);
        else b.Array(3).Bulk(e.Key);
        for (int i = 0; i < n; i++)
        {
            SkipNode node = (max ? z.Order.Last : z.Order.First)!;
            if (nested) b.Array(2);
            b.Bulk(node.Member).Score(node.Score);
            z.Remove(node.Member);
        }
        Notify(max ? KeyspaceEventTable.ZPopMax : KeyspaceEventTable.ZPopMin, e.Key);
        if (z.Count == 0) RemoveEmptied(cx, e);
        return b.ToReply();
    }
}
