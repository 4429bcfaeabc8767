namespace Stakker.Redis;

internal sealed partial class Keyspace
{
    Reply Push(Cx<Keyspace> cx, byte[][] a, bool left)
    {
        Entry? e = Find(cx, a[1]);
        if (e is not null && e.List is null) return Reply.WrongType;
        if (e is null)
        {
            e = Create(a[1]);
            e.Value = new ListValue();
        }
        ListValue list = e.List!;
        for (int i = 2; i < a.Length; i++)
        {
            if (left) list.PushLeft(a[i]);
            else list.PushRight(a[i]);
        }
        var reply = Reply.Int(list.Count);
        Notify(a[1]);
        // As in Redis: the pusher's reply counts the new elements, then blocked clients take theirs.
        ServeWaiters(cx, e);
        return reply;
    }

    Reply Pop(Cx<Keyspace> cx, byte[][] a, bool left)
    {
        long count = 1;
        bool hasCount = a.Length == 3;
        if (a.Length > 3) return Reply.Error(Commands.WrongArity(left ? "lpop" : "rpop"));
        if (hasCount && (!RedisParse.Long(a[2], out count) || count < 0))
            return Reply.Error("ERR value is out of range, must be positive");
        Entry? e = Find(cx, a[1]);
        if (e is null) return hasCount ? Reply.NullArray : Reply.Nil;
        if (e.List is null) return Reply.WrongType;
        ListValue list = e.List;
        if (!hasCount) return Reply.Bulk(PopOne(cx, e, left));
        int n = (int)Math.Min(count, list.Count);
        var items = new byte[]?[n];
        for (int i = 0; i < n; i++) items[i] = left ? list.PopLeft() : list.PopRight();
        if (n > 0) Popped(cx, e, left);
        return Reply.Array(items);
    }

    /// <summary>Pops one element, with its event; deletes the key when the list becomes empty</summary>
    byte[] PopOne(Cx<Keyspace> cx, Entry e, bool left)
    {
        ListValue list = e.List!;
        byte[] v = left ? list.PopLeft() : list.PopRight();
        Popped(cx, e, left);
        return v;
    }

    /// <summary>After elements were popped: one lpop/rpop event, then the key deleted (with del) if the list is empty</summary>
    void Popped(Cx<Keyspace> cx, Entry e, bool left)
    {
        Notify(left ? KeyspaceEventTable.LPop : KeyspaceEventTable.RPop, e.Key);
        if (e.List!.Count == 0) RemoveEmptied(cx, e);
    }

    Reply LRange(Cx<Keyspace> cx, byte[][] a)
    {
        if (!RedisParse.Long(a[2], out long start) || !RedisParse.Long(a[3], out long end)) return Reply.NotInteger;
        Entry? e = Find(cx, a[1]);
        if (e is null) return Reply.EmptyArray;
        if (e.List is null) return Reply.WrongType;
        long len = e.List.Count;
        if (start < 0) start += len;
        if (end < 0) end += len;
        if (start < 0) start = 0;
        if (start > end || start >= len) return Reply.EmptyArray;
        if (end >= len) end = len - 1;
        var items = new byte[]?[end - start + 1];
        for (long i = start; i <= end; i++) items[i - start] = e.List[(int)i];
        return Reply.Array(items);
    }

    Reply LLen(Cx<Keyspace> cx, byte[] key)
    {
        Entry? e = Find(cx, key);
        if (e is null) return Reply.Zero;
        return e.List is null ? Reply.WrongType : Reply.Int(e.List.Count);
    }

    // ---- blocking pops ------------------------------------------------------------------------

    /// <summary>BLPOP/BRPOP: pop at once if a list has elements, otherwise keep the Ret until a push or the timeout</summary>
    void BlockingPop(Cx<Keyspace> cx, CommandInfo cmd, byte[][] a, long clientId, Ret<Reply> ret)
    {
        bool left = cmd.Id == Cmd.BLPop;
        if (!RedisParse.Seconds(a[^1], out double seconds)) { ret.Answer(Reply.Error("ERR timeout is not a float or out of range")); return; }
        if (seconds < 0) { ret.Answer(Reply.Error("ERR timeout is negative")); return; }
        if (seconds * 1000 > long.MaxValue / 2) { ret.Answer(Reply.Error("ERR timeout is out of range")); return; }
        var keys = a[1..^1];
        foreach (byte[] key in keys)
        {
            Entry? e = Find(cx, key);
            if (e is null) continue;
            if (e.List is null) { ret.Answer(Reply.WrongType); return; }
            ret.Answer(Reply.Array([e.Key, PopOne(cx, e, left)]));
            return;
        }
        Block(cx, new Waiter(keys, left, clientId, ret), seconds);
    }

    /// <summary>Keeps a waiter on each of its keys until a push serves it or <paramref name="seconds"/> pass (0: for ever)</summary>
    void Block(Cx<Keyspace> cx, Waiter w, double seconds)
    {
        w.Db = _dbIndex;
        foreach (byte[] key in w.Keys)
        {
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

    void WaiterTimedOut(Waiter w)
    {
        if (w.Done) return;
        Use(w.Db);
        Finish(w);
        w.Ret.Answer(Reply.NullArray);
    }

    /// <summary>The client went away (or was otherwise unblocked): forget its wait</summary>
    public void Unblock(Cx<Keyspace> cx, long clientId)
    {
        if (!_waitingClients.TryGetValue(clientId, out Waiter? w) || w.Done) return;
        Use(w.Db);
        cx.TimerDel(w.Timer);
        Finish(w);
        w.Ret.Dispose();
    }

    /// <summary>Marks a waiter done and unlinks it from every key it waited on</summary>
    void Finish(Waiter w)
    {
        w.Done = true;
        _waitingClients.Remove(w.ClientId);
        foreach (byte[] key in w.Keys)
        {
            if (!_waiters.TryGetValue(key, out var queue)) continue;
            queue.Remove(w);
            if (queue.Count == 0) _waiters.Remove(key);
        }
    }

    /// <summary>After a push: hand elements to the clients blocked on this key, first come first served</summary>
    void ServeWaiters(Cx<Keyspace> cx, Entry e)
    {
        while (e.List is { Count: > 0 } && _waiters.TryGetValue(e.Key, out var queue) && queue.First is { } node)
        {
            Waiter w = node.Value;
            cx.TimerDel(w.Timer);
            Finish(w);
            if (w.MoveTo is not null)
            {
                // BLMOVE: as LMOVE now that the source has an element.
                w.Ret.Answer(Move(cx, e.Key, w.MoveTo, w.Left, w.MoveToLeft));
                continue;
            }
            byte[] value = PopOne(cx, e, w.Left);
            w.Ret.Answer(Reply.Array([e.Key, value]));
        }
    }
}
