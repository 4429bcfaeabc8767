namespace Stakker.Redis;

// COPY source destination [DB n] [REPLACE]: a deep copy, with the source's expiry.
internal sealed partial class Keyspace
{
    Reply Copy(Cx<Keyspace> cx, byte[][] a)
    {
        bool replace = false;
        int target = _dbIndex;
        for (int j = 3; j < a.Length; j++)
        {
            if (Commands.Is(a[j], "replace")) replace = true;
            else if (Commands.Is(a[j], "db") && j + 1 < a.Length)
            {
                if (!RedisParse.Long(a[++j], out long db) || db is < int.MinValue or > int.MaxValue) return Reply.NotInteger;
                if (db < 0 || db >= Databases) return Reply.Error("ERR DB index is out of range");
                target = (int)db;
            }
            else return Reply.SyntaxError;
        }
        int source = _dbIndex;
        if (target == source && a[1].AsSpan().SequenceEqual(a[2])) return Reply.Error("ERR source and destination objects are the same");
        Entry? e = FindSource(cx, a[1]);
        if (e is null) return Reply.Zero;
        object? value = CloneValue(e.Value);
        long at = e.ExpireAt;
        Use(target);
        try
        {
            if (Find(cx, a[2]) is { } old)
            {
                if (!replace) return Reply.Zero;
                Remove(cx, old);
            }
            Entry copy = Create(a[2]);
            copy.Value = value;
            if (at != 0) SetExpire(cx, copy, at);
            Touch(a[2]);
            Notify(a[2]);   // in the target database, as Redis's copy_to
            return Reply.One;
        }
        finally
        {
            Use(source);
        }
    }

    /// <summary>A copy of a stored value that shares nothing a later write could change</summary>
    static object? CloneValue(object? value)
    {
        switch (value)
        {
            case byte[] b:
                return b;   // never changed in place
            case GrownString g:
                return new GrownString(g.ToArray(), g.Length);
            case HashValue h:
                return h.Clone();
            case SetValue s:
                return s.Clone();
            case ListValue l:
                var list = new ListValue();
                list.ReplaceAll(l.ToArray());
                return list;
            case SortedSetValue z:
                return z.Clone();
            default:
                throw new InvalidOperationException("COPY of an unknown value kind: " + value?.GetType().Name);
        }
    }
}
