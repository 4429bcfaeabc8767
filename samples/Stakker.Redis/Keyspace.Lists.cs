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
        Notify(a[1]);
        // As in Redis: the pusher's reply counts the new elements; blocked clients take theirs after the command.
        return Reply.Int(list.Count);
    }

    /// <summary>LPUSHX/RPUSHX: push only onto a list that exists</summary>
    Reply PushExisting(Cx<Keyspace> cx, byte[][] a, bool left)
    {
        ListValue? list = Lookup<ListValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (list is null) return Reply.Zero;
        for (int i = 2; i < a.Length; i++)
        {
            if (left) list.PushLeft(a[i]);
            else list.PushRight(a[i]);
        }
        Notify(a[1]);
        return Reply.Int(list.Count);
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
        if (ParseTimeout(a[^1], out double seconds) is { } invalid) { ret.Answer(invalid); return; }
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
        // After the client's own calls parked before it (a parked BLPOP must not wait for a client gone).
        if (_hold is not null) { Park(static (k, cx, id) => k.Unblock(cx, id), clientId); return; }
        Release(cx, clientId, null);
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
}
