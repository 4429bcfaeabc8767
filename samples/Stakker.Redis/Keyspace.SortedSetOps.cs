namespace Stakker.Redis;

// Sorted-set commands across keys and by chance: ZUNION/ZINTER/ZDIFF and their STORE forms,
// ZINTERCARD, ZRANGESTORE, ZRANDMEMBER (Redis 7.0's t_zset.c semantics, its error texts).
internal sealed partial class Keyspace
{
    /// <summary>Most draws ZRANDMEMBER with a negative count answers at once (decision 072): the reply is built
    /// in memory, so an unbounded count could take the server's memory; Redis streams it instead</summary>
    internal const long MaxRandomDraws = 1L << 24;

    enum ZAggregate : byte { Sum, Min, Max }

    /// <summary>Member → score of a sorted set, or of a plain set (every score 1), as the set operations read them</summary>
    static IEnumerable<(byte[] Member, double Score)> ZMembers(object? value)
    {
        switch (value)
        {
            case SortedSetValue z:
                for (SkipNode? n = z.Order.First; n is not null; n = n.Next) yield return (n.Member, n.Score);
                break;
            case SetValue s:
                foreach (byte[] m in s.Members) yield return (m, 1.0);
                break;
        }
    }

    static int ZCardinality(object? value) => value switch { SortedSetValue z => z.Count, SetValue s => s.Count, _ => 0 };

    static bool ZTryScore(object? value, byte[] member, out double score)
    {
        score = 1.0;
        return value switch
        {
            SortedSetValue z => z.TryGetScore(member, out score),
            SetValue s => s.Contains(member),
            _ => false,
        };
    }

    static void Aggregate(ref double target, double value, ZAggregate how)
    {
        switch (how)
        {
            case ZAggregate.Sum:
                target += value;
                // inf + -inf is taken as 0, as Redis does.
                if (double.IsNaN(target)) target = 0;
                break;
            case ZAggregate.Min: if (value < target) target = value; break;
            default: if (value > target) target = value; break;
        }
    }

    /// <summary>ZUNION/ZINTER/ZDIFF (<paramref name="dst"/> null), their STORE forms, and ZINTERCARD (<paramref name="cardOnly"/>)</summary>
    Reply ZSetOperation(Cx<Keyspace> cx, byte[][] a, int numKeysAt, SetOp op, byte[]? dst, bool cardOnly)
    {
        string name = System.Text.Encoding.ASCII.GetString(a[0]).ToLowerInvariant();
        if (!RedisParse.Long(a[numKeysAt], out long numKeys)) return Reply.NotInteger;
        if (numKeys < 1) return Reply.Error("ERR at least 1 input key is needed for '" + name + "' command");
        if (numKeys > a.Length - numKeysAt - 1) return Reply.SyntaxError;
        int n = (int)numKeys;
        var inputs = new object?[n];
        var weights = new double[n];
        for (int i = 0; i < n; i++)
        {
            Entry? e = FindSource(cx, a[numKeysAt + 1 + i]);
            if (e is not null && e.Value is not (SortedSetValue or SetValue)) return Reply.WrongType;
            inputs[i] = e?.Value;
            weights[i] = 1.0;
        }
        var how = ZAggregate.Sum;
        bool withScores = false;
        long limit = 0;
        for (int j = numKeysAt + 1 + n; j < a.Length;)
        {
            int remaining = a.Length - j;
            if (op != SetOp.Diff && !cardOnly && remaining >= n + 1 && Commands.Is(a[j], "weights"))
            {
                j++;
                for (int i = 0; i < n; i++, j++)
                    if (!Scores.TryParse(a[j], out weights[i])) return Reply.Error("ERR weight value is not a float");
            }
            else if (op != SetOp.Diff && !cardOnly && remaining >= 2 && Commands.Is(a[j], "aggregate"))
            {
                if (Commands.Is(a[j + 1], "sum")) how = ZAggregate.Sum;
                else if (Commands.Is(a[j + 1], "min")) how = ZAggregate.Min;
                else if (Commands.Is(a[j + 1], "max")) how = ZAggregate.Max;
                else return Reply.SyntaxError;
                j += 2;
            }
            else if (dst is null && !cardOnly && Commands.Is(a[j], "withscores")) { withScores = true; j++; }
            else if (cardOnly && remaining >= 2 && Commands.Is(a[j], "limit"))
            {
                if (!RedisParse.Long(a[j + 1], out limit) || limit < 0) return Reply.Error("ERR LIMIT can't be negative");
                j += 2;
            }
            else return Reply.SyntaxError;
        }

        var result = new Dictionary<byte[], double>(ByteKeyComparer.Instance);
        switch (op)
        {
            case SetOp.Union:
                for (int i = 0; i < n; i++)
                {
                    foreach (var (m, s) in ZMembers(inputs[i]))
                    {
                        double score = weights[i] * s;
                        if (double.IsNaN(score)) score = 0;
                        if (result.TryGetValue(m, out double cur)) { Aggregate(ref cur, score, how); result[m] = cur; }
                        else result[m] = score;
                    }
                }
                break;
            case SetOp.Inter:
            {
                // Walk the smallest input, probing the others (as Redis orders them by size).
                int[] order = [.. Enumerable.Range(0, n).OrderBy(i => ZCardinality(inputs[i]))];
                long found = 0;
                foreach (var (m, s) in ZMembers(inputs[order[0]]))
                {
                    double score = weights[order[0]] * s;
                    if (double.IsNaN(score)) score = 0;
                    bool inAll = true;
                    for (int k = 1; k < n && inAll; k++)
                    {
                        int i = order[k];
                        if (ZTryScore(inputs[i], m, out double other)) Aggregate(ref score, weights[i] * other, how);
                        else inAll = false;
                    }
                    if (!inAll) continue;
                    if (cardOnly)
                    {
                        if (++found == limit) break;
                        continue;
                    }
                    result[m] = score;
                }
                if (cardOnly) return Reply.Int(found);
                break;
            }
            default:
                foreach (var (m, s) in ZMembers(inputs[0]))
                {
                    bool elsewhere = false;
                    for (int i = 1; i < n && !elsewhere; i++) elsewhere = ZTryScore(inputs[i], m, out _);
                    if (!elsewhere) result[m] = s;
                }
                break;
        }

        var z = new SortedSetValue();
        foreach (var (m, s) in result)
        {
            z.Set(m, s);
            ZsetAdded(cx, z, m);
        }
        if (dst is null) return ZNodesReply(z, withScores);
        if (z.Count == 0)
        {
            if (Find(cx, dst) is { } old) RemoveEmptied(cx, old);
            return Reply.Zero;
        }
        StoreReplacing(cx, dst, z);
        Notify(dst);
        return Reply.Int(z.Count);
    }

    /// <summary>Every member in order, with scores if asked (RESP2's flat form)</summary>
    static Reply ZNodesReply(SortedSetValue z, bool withScores)
    {
        var nodes = new List<SkipNode>(z.Count);
        for (SkipNode? n = z.Order.First; n is not null; n = n.Next) nodes.Add(n);
        return NodesReply(nodes, withScores);
    }

    /// <summary>Puts a new value at a key whatever it held (the old value and its expiry go), as Redis's setKey</summary>
    void StoreReplacing(Cx<Keyspace> cx, byte[] key, object value)
    {
        Entry? e = Find(cx, key);
        if (e is null) e = Create(key);
        else
        {
            ClearExpire(e);
            Touch(key);
        }
        e.Value = value;
    }

    /// <summary>After a member was added: past Redis's listpack thresholds the set is a skiplist for good</summary>
    void ZsetAdded(Cx<Keyspace> cx, SortedSetValue z, byte[] member)
    {
        if (z.IsSkiplist) return;
        z.Grew(member.Length, _thresholds.ZsetMaxEntries, _thresholds.ZsetMaxValue);
    }

    /// <summary>ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]: ZRANGE's members stored with their scores</summary>
    Reply ZRangeStore(Cx<Keyspace> cx, byte[][] a)
    {
        // The range is ZRANGE's own, run on the source with WITHSCORES-free arguments shifted by one.
        byte[][] range = [a[0], a[2], .. a[3..]];
        foreach (byte[] opt in a[5..])
            if (Commands.Is(opt, "withscores")) return Reply.SyntaxError;
        List<SkipNode>? nodes = null;
        Reply r = ZRangeNodes(cx, range, ZBy.Rank, rev: false, generic: true, ref nodes);
        if (nodes is null) return r;
        if (nodes.Count == 0)
        {
            if (Find(cx, a[1]) is { } old) RemoveEmptied(cx, old);
            return Reply.Zero;
        }
        var z = new SortedSetValue();
        foreach (SkipNode n in nodes)
        {
            z.Set(n.Member, n.Score);
            ZsetAdded(cx, z, n.Member);
        }
        StoreReplacing(cx, a[1], z);
        Notify(a[1]);
        return Reply.Int(z.Count);
    }

    Reply ZRandMember(Cx<Keyspace> cx, byte[][] a)
    {
        long count = 0;
        bool withScores = false;
        if (a.Length > 2)
        {
            if (!RedisParse.Long(a[2], out count)) return Reply.NotInteger;
            if (count == long.MinValue) return Reply.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
            if (a.Length > 4 || (a.Length == 4 && !Commands.Is(a[3], "withscores"))) return Reply.SyntaxError;
            if (a.Length == 4)
            {
                withScores = true;
                if (count < -long.MaxValue / 2 || count > long.MaxValue / 2) return Reply.Error("ERR value is out of range");
            }
        }
        SortedSetValue? z = Lookup<SortedSetValue>(cx, a[1], out bool wrong);
        if (a.Length == 2)
        {
            if (wrong) return Reply.WrongType;
            if (z is null) return Reply.Nil;
        }
        else
        {
            if (z is null && !wrong) return Reply.EmptyArray;
            if (wrong) return Reply.WrongType;
        }
        var members = new SkipNode[z!.Count];
        int k = 0;
        for (SkipNode? n = z.Order.First; n is not null; n = n.Next) members[k++] = n;
        if (a.Length == 2) return Reply.Bulk(members[Random.Shared.Next(members.Length)].Member);
        if (count == 0) return Reply.EmptyArray;
        if (count < -MaxRandomDraws) return Reply.Error("ERR value is out of range");
        List<SkipNode> picked;
        if (count < 0)
        {
            picked = new List<SkipNode>((int)-count);
            for (long i = 0; i < -count; i++) picked.Add(members[Random.Shared.Next(members.Length)]);
        }
        else
        {
            // Asked for all of them, Redis answers the whole set as it iterates it (highest score first); fewer come in random order.
            if (count < members.Length) Random.Shared.Shuffle(members);
            else Array.Reverse(members);
            picked = [.. members.AsSpan(0, (int)Math.Min(count, members.Length))];
        }
        return NodesReply(picked, withScores);
    }
}
