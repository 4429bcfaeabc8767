namespace Stakker.Redis;

// List commands that read or change elements by position or value: LINDEX, LSET, LTRIM, LREM, LPOS,
// LINSERT, and the moves LMOVE, RPOPLPUSH (BLMOVE when the source has elements).
internal sealed partial class Keyspace
{
    static long ListIndex(long index, int count) => index < 0 ? index + count : index;

    Reply LIndex(Cx<Keyspace> cx, byte[][] a)
    {
        if (!RedisParse.Long(a[2], out long index)) return Reply.NotInteger;
        ListValue? list = Lookup<ListValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (list is null) return Reply.Nil;
        index = ListIndex(index, list.Count);
        return index < 0 || index >= list.Count ? Reply.Nil : Reply.Bulk(list[(int)index]);
    }

    Reply LSet(Cx<Keyspace> cx, byte[][] a)
    {
        if (!RedisParse.Long(a[2], out long index)) return Reply.NotInteger;
        ListValue? list = Lookup<ListValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (list is null) return Reply.Error("ERR no such key");
        index = ListIndex(index, list.Count);
        if (index < 0 || index >= list.Count) return Reply.Error("ERR index out of range");
        list[(int)index] = a[3];
        Notify(a[1]);
        return Reply.Ok;
    }

    Reply LTrim(Cx<Keyspace> cx, byte[][] a)
    {
        if (!RedisParse.Long(a[2], out long start) || !RedisParse.Long(a[3], out long end)) return Reply.NotInteger;
        ListValue? list = Lookup<ListValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (list is null) return Reply.Ok;
        long len = list.Count;
        if (start < 0) start += len;
        if (end < 0) end += len;
        if (start < 0) start = 0;
        if (start > end || start >= len)
        {
            Notify(a[1]);
            DropIfEmpty(cx, a[1], 0);
            return Reply.Ok;
        }
        if (end >= len) end = len - 1;
        list.ReplaceAll(list.ToArray()[(int)start..(int)(end + 1)]);
        Notify(a[1]);
        return Reply.Ok;
    }

    Reply LRem(Cx<Keyspace> cx, byte[][] a)
    {
        if (!RedisParse.Long(a[2], out long count)) return Reply.NotInteger;
        ListValue? list = Lookup<ListValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (list is null) return Reply.Zero;
        byte[][] items = list.ToArray();
        var keep = new List<byte[]>(items.Length);
        long removed = 0, limit = count == 0 ? long.MaxValue : Math.Abs(count);
        if (count >= 0)
        {
            foreach (byte[] v in items)
            {
                if (removed < limit && v.AsSpan().SequenceEqual(a[3])) removed++;
                else keep.Add(v);
            }
        }
        else
        {
            for (int i = items.Length - 1; i >= 0; i--)
            {
                if (removed < limit && items[i].AsSpan().SequenceEqual(a[3])) removed++;
                else keep.Add(items[i]);
            }
            keep.Reverse();
        }
        if (removed > 0)
        {
            list.ReplaceAll(keep);
            Notify(a[1]);
        }
        DropIfEmpty(cx, a[1], list.Count);
        return Reply.Int(removed);
    }

    Reply LPos(Cx<Keyspace> cx, byte[][] a)
    {
        long rank = 1, count = -1, maxLen = 0;
        for (int j = 3; j < a.Length; j++)
        {
            bool hasNext = j + 1 < a.Length;
            if (Commands.Is(a[j], "rank") && hasNext)
            {
                if (!RedisParse.Long(a[++j], out rank)) return Reply.NotInteger;
                if (rank == 0) return Reply.Error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
                if (rank == long.MinValue) return Reply.Error("ERR value is out of range");
            }
            else if (Commands.Is(a[j], "count") && hasNext)
            {
                if (!RedisParse.Long(a[++j], out count)) return Reply.NotInteger;
                if (count < 0) return Reply.Error("ERR COUNT can't be negative");
            }
            else if (Commands.Is(a[j], "maxlen") && hasNext)
            {
                if (!RedisParse.Long(a[++j], out maxLen)) return Reply.NotInteger;
                if (maxLen < 0) return Reply.Error("ERR MAXLEN can't be negative");
            }
            else return Reply.SyntaxError;
        }
        ListValue? list = Lookup<ListValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (list is null) return count >= 0 ? Reply.EmptyArray : Reply.Nil;
        var found = new List<long>();
        long want = count < 0 ? 1 : count == 0 ? long.MaxValue : count;
        long skip = Math.Abs(rank) - 1;
        int n = list.Count;
        for (long step = 0; step < n && (maxLen == 0 || step < maxLen) && found.Count < want; step++)
        {
            int i = (int)(rank > 0 ? step : n - 1 - step);
            if (!list[i].AsSpan().SequenceEqual(a[2])) continue;
            if (skip > 0) { skip--; continue; }
            found.Add(i);
        }
        if (count < 0) return found.Count > 0 ? Reply.Int(found[0]) : Reply.Nil;
        var b = new RespBuilder().Array(found.Count);
        foreach (long i in found) b.Int(i);
        return b.ToReply();
    }

    Reply LInsert(Cx<Keyspace> cx, byte[][] a)
    {
        bool after;
        if (Commands.Is(a[2], "after")) after = true;
        else if (Commands.Is(a[2], "before")) after = false;
        else return Reply.SyntaxError;
        ListValue? list = Lookup<ListValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (list is null) return Reply.Zero;
        var items = new List<byte[]>(list.ToArray());
        int at = items.FindIndex(v => v.AsSpan().SequenceEqual(a[3]));
        if (at < 0) return Reply.Int(-1);
        items.Insert(after ? at + 1 : at, a[4]);
        list.ReplaceAll(items);
        Notify(a[1]);
        return Reply.Int(list.Count);
    }

    static bool ParseEnd(byte[] arg, out bool left)
    {
        left = Commands.Is(arg, "left");
        return left || Commands.Is(arg, "right");
    }

    Reply LMove(Cx<Keyspace> cx, byte[][] a)
    {
        if (!ParseEnd(a[3], out bool fromLeft) || !ParseEnd(a[4], out bool toLeft)) return Reply.SyntaxError;
        return Move(cx, a[1], a[2], fromLeft, toLeft);
    }

    /// <summary>BLMOVE: LMOVE at once if the source has elements, otherwise wait for a push to it (as BLPOP)</summary>
    void BlockingMove(Cx<Keyspace> cx, byte[][] a, long clientId, Ret<Reply> ret)
    {
        if (!ParseEnd(a[3], out bool fromLeft) || !ParseEnd(a[4], out bool toLeft)) { ret.Answer(Reply.SyntaxError); return; }
        if (ParseTimeout(a[5], out double seconds) is { } invalid) { ret.Answer(invalid); return; }
        ListValue? src = Lookup<ListValue>(cx, a[1], out bool wrong);
        if (wrong) { ret.Answer(Reply.WrongType); return; }
        if (src is not null) { ret.Answer(Move(cx, a[1], a[2], fromLeft, toLeft)); return; }
        Block(cx, new Waiter([a[1]], fromLeft, clientId, ret) { Kind = WaitKind.ListMove, MoveTo = a[2], MoveToLeft = toLeft }, seconds);
    }

    /// <summary>LMOVE/RPOPLPUSH: pops from one end of <paramref name="src"/>, pushes on one end of <paramref name="dst"/>
    /// (which may be the same list); clients blocked on the destination are served after the command</summary>
    Reply Move(Cx<Keyspace> cx, byte[] src, byte[] dst, bool fromLeft, bool toLeft)
    {
        ListValue? from = Lookup<ListValue>(cx, src, out bool wrong);
        if (wrong) return Reply.WrongType;
        if (from is null) return Reply.Nil;
        Lookup<ListValue>(cx, dst, out bool wrongDst);
        if (wrongDst) return Reply.WrongType;
        Entry srcEntry = Find(cx, src)!;
        // As Redis orders it: pop, push (the destination may be the source), the push's event, the pop's,
        // then the source deleted if it is left empty.
        byte[] v = fromLeft ? from.PopLeft() : from.PopRight();
        ListValue to = LookupOrNew<ListValue>(cx, dst, out _)!;
        if (toLeft) to.PushLeft(v);
        else to.PushRight(v);
        Store(cx, dst, to, to.Count);
        Notify(toLeft ? KeyspaceEventTable.LPush : KeyspaceEventTable.RPush, dst);
        Popped(cx, srcEntry, fromLeft);
        return Reply.Bulk(v);
    }
}
