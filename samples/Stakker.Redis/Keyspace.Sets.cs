namespace Stakker.Redis;

/// <summary>How SINTER/SUNION/SDIFF combine their sets</summary>
internal enum SetOp : byte { Inter, Union, Diff }

// Sets: SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SPOP, SRANDMEMBER, SMOVE, SINTER, SINTERCARD,
// SUNION, SDIFF and the STORE forms (SSCAN is with the other scans).
internal sealed partial class Keyspace
{
    Reply SAdd(Cx<Keyspace> cx, byte[][] a)
    {
        SetValue? s = LookupOrNew<SetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        long added = 0;
        for (int i = 2; i < a.Length; i++) if (s!.Add(a[i], _thresholds)) added++;
        Store(cx, a[1], s!, s!.Count);
        if (added > 0) Notify(a[1]);
        return Reply.Int(added);
    }

    Reply SRem(Cx<Keyspace> cx, byte[][] a)
    {
        SetValue? s = Lookup<SetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (s is null) return Reply.Zero;
        long n = 0;
        for (int i = 2; i < a.Length; i++) if (s.Remove(a[i])) n++;
        if (n > 0) Notify(a[1]);
        DropIfEmpty(cx, a[1], s.Count);
        return Reply.Int(n);
    }

    Reply SIsMember(Cx<Keyspace> cx, byte[][] a)
    {
        SetValue? s = Lookup<SetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        return s is not null && s.Contains(a[2]) ? Reply.One : Reply.Zero;
    }

    Reply SMIsMember(Cx<Keyspace> cx, byte[][] a)
    {
        SetValue? s = Lookup<SetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        var b = new RespBuilder().Array(a.Length - 2);
        for (int i = 2; i < a.Length; i++) b.Int(s is not null && s.Contains(a[i]) ? 1 : 0);
        return b.ToReply();
    }

    Reply SCard(Cx<Keyspace> cx, byte[] key)
    {
        SetValue? s = Lookup<SetValue>(cx, key, out bool wrong);
        return wrong ? Reply.WrongType : Reply.Int(s?.Count ?? 0);
    }

    Reply SPop(Cx<Keyspace> cx, byte[][] a)
    {
        if (a.Length > 3) return Reply.SyntaxError;
        long count = 1;
        if (a.Length == 3 && (!RedisParse.Long(a[2], out count) || count < 0))
            return Reply.Error("ERR value is out of range, must be positive");
        SetValue? s = Lookup<SetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (s is null) return a.Length == 3 ? Reply.Set([]) : Reply.Nil;
        if (a.Length == 2)
        {
            byte[] m = s.Random();
            s.Remove(m);
            Notify(a[1]);
            DropIfEmpty(cx, a[1], s.Count);
            return Reply.Bulk(m);
        }
        if (count == 0) return Reply.Set([]);
        if (count >= s.Count)
        {
            byte[][] all = s.ToArray();
            Notify(a[1]);
            DropIfEmpty(cx, a[1], 0);
            return Reply.Set(all);
        }
        var popped = new byte[count][];
        if (count * 5 <= s.Count)
        {
            for (int i = 0; i < popped.Length; i++)
            {
                popped[i] = s.Random();
                s.Remove(popped[i]);
            }
            Notify(a[1]);
            return Reply.Set(popped);
        }
        // Most of the set goes: Redis builds a new set of the members that stay (so an integer set may
        // become an intset again), and so does this.
        int[] picked = RandomPicks.Distinct(s.Count, s.Count);
        var rest = new SetValue();
        for (int i = 0; i < picked.Length; i++)
        {
            byte[] m = s.At(picked[i]);
            if (i < popped.Length) popped[i] = m;
            else rest.Add(m, _thresholds);
        }
        Store(cx, a[1], rest, rest.Count);
        Notify(a[1]);
        return Reply.Set(popped);
    }

    Reply SRandMember(Cx<Keyspace> cx, byte[][] a)
    {
        if (a.Length > 3) return Reply.SyntaxError;
        long count = 1;
        if (a.Length == 3)
        {
            if (!RedisParse.Long(a[2], out count)) return Reply.NotInteger;
            if (count < -long.MaxValue) return CountOutOfRange;
            if (count < -RandomPicks.MaxDraws) return RandomPicks.TooManyDraws;
        }
        SetValue? s = Lookup<SetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (s is null) return a.Length == 3 ? Reply.EmptyArray : Reply.Nil;
        if (a.Length == 2) return Reply.Bulk(s.Random());
        int[] picked = count < 0 ? RandomPicks.Repeated(s.Count, -count) : RandomPicks.Distinct(s.Count, count);
        var items = new byte[picked.Length][];
        for (int i = 0; i < items.Length; i++) items[i] = s.At(picked[i]);
        return Reply.Array(items);
    }

    Reply SMove(Cx<Keyspace> cx, byte[][] a)
    {
        SetValue? src = Lookup<SetValue>(cx, a[1], out bool wrongSrc);
        SetValue? dst = LookupOrNew<SetValue>(cx, a[2], out bool wrongDst);
        if (wrongSrc || wrongDst) return Reply.WrongType;
        if (src is null) return Reply.Zero;
        if (ReferenceEquals(src, Lookup<SetValue>(cx, a[2], out _))) return src.Contains(a[3]) ? Reply.One : Reply.Zero;
        if (!src.Remove(a[3])) return Reply.Zero;
        Notify(KeyspaceEventTable.SRem, a[1]);
        DropIfEmpty(cx, a[1], src.Count);
        bool added = dst!.Add(a[3], _thresholds);
        Store(cx, a[2], dst, dst.Count);
        if (added) Notify(KeyspaceEventTable.SAdd, a[2]);
        return Reply.One;
    }

    /// <summary>SINTER/SUNION/SDIFF (SMEMBERS is the union of one set) of the keys from <paramref name="first"/>;
    /// with <paramref name="store"/>, the result replaces that key and the reply is its size</summary>
    Reply SCombine(Cx<Keyspace> cx, byte[][] a, int first, SetOp op, byte[]? store)
    {
        if (op == SetOp.Union && store is null && a.Length == first + 1)
        {
            SetValue? only = Lookup<SetValue>(cx, a[first], out bool wrongType);
            return wrongType ? Reply.WrongType : only is null ? Reply.Set([]) : Reply.Set(only.ToArray());
        }
        var sets = new List<SetValue?>();
        for (int i = first; i < a.Length; i++)
        {
            // The sources are read as a read command reads them (a missing one is a keymiss), also by the STORE forms.
            bool writing = !_reading;
            _reading = true;
            SetValue? s = Lookup<SetValue>(cx, a[i], out bool wrong);
            _reading = !writing;
            if (wrong) return Reply.WrongType;
            sets.Add(s);
        }
        // An intersection with a missing set is empty (every key is type-checked first, as in Redis).
        if (op == SetOp.Inter && sets.Contains(null))
        {
            if (store is null) return Reply.Set([]);
            if (Find(cx, store) is { } old) RemoveEmptied(cx, old);
            return Reply.Zero;
        }
        var result = new SetValue();
        if (op == SetOp.Inter)
        {
            // Smallest set first: each member is checked against the others.
            sets.Sort((x, y) => x!.Count.CompareTo(y!.Count));
            foreach (byte[] m in sets[0]!.Members)
            {
                bool all = true;
                for (int i = 1; i < sets.Count && all; i++) all = sets[i]!.Contains(m);
                if (all) result.Add(m, _thresholds);
            }
        }
        else if (op == SetOp.Union)
        {
            foreach (SetValue? s in sets) if (s is not null) foreach (byte[] m in s.Members) result.Add(m, _thresholds);
        }
        else
        {
            if (sets[0] is { } baseSet)
            {
                foreach (byte[] m in baseSet.Members)
                {
                    bool elsewhere = false;
                    for (int i = 1; i < sets.Count && !elsewhere; i++) elsewhere = sets[i]?.Contains(m) == true;
                    if (!elsewhere) result.Add(m, _thresholds);
                }
            }
        }
        if (store is not null)
        {
            Store(cx, store, result, result.Count);
            if (result.Count > 0) Notify(store);
            return Reply.Int(result.Count);
        }
        return Reply.Set(result.ToArray());
    }

    Reply SInterCard(Cx<Keyspace> cx, byte[][] a)
    {
        if (!RedisParse.Long(a[1], out long numKeys) || numKeys < 1) return Reply.Error("ERR numkeys should be greater than 0");
        if (numKeys > a.Length - 2) return Reply.Error("ERR Number of keys can't be greater than number of args");
        long limit = 0;
        for (int j = 2 + (int)numKeys; j < a.Length; j++)
        {
            if (Commands.Is(a[j], "limit") && j + 1 < a.Length)
            {
                if (!RedisParse.Long(a[++j], out limit) || limit < 0) return Reply.Error("ERR LIMIT can't be negative");
            }
            else return Reply.SyntaxError;
        }
        var sets = new List<SetValue>();
        bool empty = false;
        for (int i = 2; i < 2 + numKeys; i++)
        {
            SetValue? s = Lookup<SetValue>(cx, a[i], out bool wrong);
            if (wrong) return Reply.WrongType;
            if (s is null) empty = true;
            else sets.Add(s);
        }
        if (empty) return Reply.Zero;
        sets.Sort((x, y) => x.Count.CompareTo(y.Count));
        long n = 0;
        foreach (byte[] m in sets[0].Members)
        {
            bool all = true;
            for (int i = 1; i < sets.Count && all; i++) all = sets[i].Contains(m);
            if (all && ++n == limit) break;
        }
        return Reply.Int(n);
    }
}
