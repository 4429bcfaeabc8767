using System.Text;

namespace Stakker.Redis;

/// <summary>What a ZRANGE-family command ranges over</summary>
internal enum ZBy : byte { Rank, Score, Lex }

// Sorted sets on SortedSetValue (a skip list with a member index, decision 022): ZADD, ZINCRBY, ZREM,
// ZSCORE, ZMSCORE, ZCARD, ZRANK, ZREVRANK, the ZRANGE family, ZCOUNT, ZLEXCOUNT, ZPOPMIN/MAX, ZREMRANGEBY*.
internal sealed partial class Keyspace
{
    static readonly Reply NotFloatRange = Reply.Error("ERR min or max is not a float");
    static readonly KeyEvent s_zincr = KeyspaceEventTable.Of(Cmd.ZIncrBy);
    static readonly Reply NotLexRange = Reply.Error("ERR min or max not valid string range item");

    Reply ZAdd(Cx<Keyspace> cx, byte[][] a, bool incrOnly)
    {
        bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = incrOnly;
        int j = 2;
        for (; !incrOnly && j < a.Length; j++)
        {
            if (Commands.Is(a[j], "nx")) nx = true;
            else if (Commands.Is(a[j], "xx")) xx = true;
            else if (Commands.Is(a[j], "gt")) gt = true;
            else if (Commands.Is(a[j], "lt")) lt = true;
            else if (Commands.Is(a[j], "ch")) ch = true;
            else if (Commands.Is(a[j], "incr")) incr = true;
            else break;
        }
        int elements = a.Length - j;
        if (elements % 2 != 0 || elements == 0) return Reply.SyntaxError;
        if (nx && xx) return Reply.Error("ERR XX and NX options at the same time are not compatible");
        if ((gt && nx) || (lt && nx) || (gt && lt)) return Reply.Error("ERR GT, LT, and/or NX options at the same time are not compatible");
        if (incr && elements > 2) return Reply.Error("ERR INCR option supports a single increment-element pair");
        var scores = new double[elements / 2];
        for (int i = 0; i < scores.Length; i++) if (!Scores.TryParse(a[j + 2 * i], out scores[i])) return NotFloat;
        SortedSetValue? z = LookupOrNew<SortedSetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        long added = 0, changed = 0;
        double result = 0;
        bool aborted = false;
        for (int i = 0; i < scores.Length; i++)
        {
            byte[] member = a[j + 2 * i + 1];
            double score = scores[i];
            if (z!.TryGetScore(member, out double old))
            {
                if (nx) { aborted = true; continue; }
                if (incr)
                {
                    score = old + score;
                    if (double.IsNaN(score)) return Reply.Error("ERR resulting score is not a number (NaN)");
                }
                if ((gt && score <= old) || (lt && score >= old)) { aborted = true; continue; }
                result = score;
                if (score != old) { z.Set(member, score); changed++; }
            }
            else
            {
                if (xx) { aborted = true; continue; }
                z.Set(member, score);
                ZsetAdded(cx, z, member);
                result = score;
                added++;
            }
        }
        Store(cx, a[1], z!, z!.Count);
        if (added + changed > 0) Notify(incr ? s_zincr : KeyspaceEventTable.Of(Cmd.ZAdd), a[1]);
        if (incr) return aborted ? Reply.Nil : Reply.Double(result);
        return Reply.Int(ch ? added + changed : added);
    }

    Reply ZRem(Cx<Keyspace> cx, byte[][] a)
    {
        SortedSetValue? z = Lookup<SortedSetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (z is null) return Reply.Zero;
        long n = 0;
        for (int i = 2; i < a.Length; i++) if (z.Remove(a[i])) n++;
        if (n > 0) Notify(a[1]);
        DropIfEmpty(cx, a[1], z.Count);
        return Reply.Int(n);
    }

    Reply ZScore(Cx<Keyspace> cx, byte[][] a)
    {
        SortedSetValue? z = Lookup<SortedSetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        return z is not null && z.TryGetScore(a[2], out double s) ? Reply.Double(s) : Reply.Nil;
    }

    Reply ZMScore(Cx<Keyspace> cx, byte[][] a)
    {
        SortedSetValue? z = Lookup<SortedSetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        var b = new RespBuilder().Array(a.Length - 2);
        for (int i = 2; i < a.Length; i++)
        {
            if (z is not null && z.TryGetScore(a[i], out double s)) b.Score(s);
            else b.Nil();
        }
        return b.ToReply();
    }

    Reply ZCard(Cx<Keyspace> cx, byte[] key)
    {
        SortedSetValue? z = Lookup<SortedSetValue>(cx, key, out bool wrong);
        return wrong ? Reply.WrongType : Reply.Int(z?.Count ?? 0);
    }

    Reply ZRank(Cx<Keyspace> cx, byte[][] a, bool rev)
    {
        SortedSetValue? z = Lookup<SortedSetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (z is null) return Reply.Nil;
        long rank = z.Rank(a[2]);
        if (rank < 0) return Reply.Nil;
        return Reply.Int(rev ? z.Count - 1 - rank : rank);
    }

    /// <summary>ZRANGE (generic: BYSCORE/BYLEX/REV allowed) and its older forms</summary>
    Reply ZRange(Cx<Keyspace> cx, byte[][] a, ZBy by, bool rev, bool generic)
    {
        List<SkipNode>? nodes = null;
        Reply r = ZRangeNodes(cx, a, by, rev, generic, ref nodes);
        return nodes is null ? r : NodesReply(nodes, r.Integer == 1);
    }

    /// <summary>The nodes a ZRANGE-family command selects, in reply order: sets <paramref name="nodes"/> and answers
    /// 1 if WITHSCORES was asked (0 if not), or leaves it null and answers the error</summary>
    Reply ZRangeNodes(Cx<Keyspace> cx, byte[][] a, ZBy by, bool rev, bool generic, ref List<SkipNode>? nodes)
    {
        bool withScores = false, limit = false;
        long offset = 0, count = -1;
        for (int j = 4; j < a.Length; j++)
        {
            if (Commands.Is(a[j], "withscores")) withScores = true;
            else if (Commands.Is(a[j], "limit") && j + 2 < a.Length)
            {
                if (!RedisParse.Long(a[j + 1], out offset) || !RedisParse.Long(a[j + 2], out count)) return Reply.NotInteger;
                limit = true;
                j += 2;
            }
            else if (generic && Commands.Is(a[j], "byscore")) by = ZBy.Score;
            else if (generic && Commands.Is(a[j], "bylex")) by = ZBy.Lex;
            else if (generic && Commands.Is(a[j], "rev")) rev = true;
            else return Reply.SyntaxError;
        }
        if (limit && by == ZBy.Rank) return Reply.Error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        if (withScores && by == ZBy.Lex) return Reply.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        // Reversed score and lex ranges name the maximum first.
        byte[] minArg = rev && by != ZBy.Rank ? a[3] : a[2], maxArg = rev && by != ZBy.Rank ? a[2] : a[3];
        long start = 0, end = 0;
        ScoreRange sr = default;
        LexRange lr = default;
        switch (by)
        {
            case ZBy.Rank when !RedisParse.Long(a[2], out start) || !RedisParse.Long(a[3], out end): return Reply.NotInteger;
            case ZBy.Score when !ScoreRange.TryParse(minArg, maxArg, out sr): return NotFloatRange;
            case ZBy.Lex when !LexRange.TryParse(minArg, maxArg, out lr): return NotLexRange;
        }
        SortedSetValue? z = Lookup<SortedSetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        Reply scores = withScores ? Reply.One : Reply.Zero;
        nodes = [];
        if (z is null) return scores;
        if (by == ZBy.Rank)
        {
            long len = z.Count;
            if (start < 0) start += len;
            if (end < 0) end += len;
            if (start < 0) start = 0;
            if (start > end || start >= len) return scores;
            if (end >= len) end = len - 1;
            SkipNode? n = z.Order.ByRank(rev ? len - start : start + 1);
            for (long i = start; i <= end && n is not null; i++, n = rev ? n.Backward : n.Next) nodes.Add(n);
        }
        else
        {
            if (offset < 0) return scores;
            SkipNode? n = rev ? LastIn(z, by, sr, lr) : FirstIn(z, by, sr, lr);
            for (; n is not null && offset > 0 && InRange(n, by, sr, lr); offset--) n = rev ? n.Backward : n.Next;
            for (; n is not null && count != 0 && InRange(n, by, sr, lr); count--, n = rev ? n.Backward : n.Next) nodes.Add(n);
        }
        return scores;
    }

    /// <summary>Members, or with scores members and scores: in RESP3 as [member, score] pairs unless <paramref name="flat"/>
    /// (ZPOPMIN/ZPOPMAX without a count answer one flat pair, as Redis)</summary>
    static Reply NodesReply(List<SkipNode> nodes, bool withScores, bool flat = false)
    {
        if (!withScores)
        {
            var members = new byte[]?[nodes.Count];
            for (int i = 0; i < nodes.Count; i++) members[i] = nodes[i].Member;
            return Reply.Array(members);
        }
        if (flat)
        {
            var one = new RespBuilder().Array(nodes.Count * 2);
            foreach (SkipNode n in nodes) one.Bulk(n.Member).Score(n.Score);
            return one.ToReply();
        }
        var b = new RespBuilder().Pairs(nodes.Count);
        foreach (SkipNode n in nodes) b.Pair().Bulk(n.Member).Score(n.Score);
        return b.ToReply();
    }

    static bool InRange(SkipNode n, ZBy by, ScoreRange sr, LexRange lr) => by == ZBy.Score
        ? sr.AboveMin(n.Score) && sr.BelowMax(n.Score)
        : lr.AboveMin(n.Member) && lr.BelowMax(n.Member);

    /// <summary>The first node in the score or lex range, or null</summary>
    static SkipNode? FirstIn(SortedSetValue z, ZBy by, ScoreRange sr, LexRange lr)
    {
        SkipNode? n = by == ZBy.Score
            ? z.Order.FirstNotBelow(sr, static (r, n) => !r.AboveMin(n.Score))
            : z.Order.FirstNotBelow(lr, static (r, n) => !r.AboveMin(n.Member));
        return n is not null && InRange(n, by, sr, lr) ? n : null;
    }

    /// <summary>The last node in the score or lex range, or null</summary>
    static SkipNode? LastIn(SortedSetValue z, ZBy by, ScoreRange sr, LexRange lr)
    {
        SkipNode? n = by == ZBy.Score
            ? z.Order.LastWithin(sr, static (r, n) => r.BelowMax(n.Score))
            : z.Order.LastWithin(lr, static (r, n) => r.BelowMax(n.Member));
        return n is not null && InRange(n, by, sr, lr) ? n : null;
    }

    Reply ZCount(Cx<Keyspace> cx, byte[][] a, bool lex)
    {
        ScoreRange sr = default;
        LexRange lr = default;
        if (!lex && !ScoreRange.TryParse(a[2], a[3], out sr)) return NotFloatRange;
        if (lex && !LexRange.TryParse(a[2], a[3], out lr)) return NotLexRange;
        SortedSetValue? z = Lookup<SortedSetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (z is null) return Reply.Zero;
        ZBy by = lex ? ZBy.Lex : ZBy.Score;
        SkipNode? first = FirstIn(z, by, sr, lr);
        if (first is null) return Reply.Zero;
        SkipNode last = LastIn(z, by, sr, lr)!;
        return Reply.Int(z.Order.RankOf(last) - z.Order.RankOf(first) + 1);
    }

    Reply ZPop(Cx<Keyspace> cx, byte[][] a, bool max)
    {
        if (a.Length > 3) return Reply.SyntaxError;
        long count = 1;
        if (a.Length == 3)
        {
            if (!RedisParse.Long(a[2], out count) || count < 0) return Reply.Error("ERR value is out of range, must be positive");
        }
        SortedSetValue? z = Lookup<SortedSetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (z is null) return Reply.EmptyArray;
        var nodes = new List<SkipNode>();
        for (SkipNode? n = max ? z.Order.Last : z.Order.First; n is not null && nodes.Count < count; n = max ? n.Backward : n.Next) nodes.Add(n);
        foreach (SkipNode n in nodes) z.Remove(n.Member);
        if (nodes.Count > 0) Notify(a[1]);
        DropIfEmpty(cx, a[1], z.Count);
        return NodesReply(nodes, withScores: true, flat: a.Length == 2);
    }

    Reply ZRemRange(Cx<Keyspace> cx, byte[][] a, ZBy by)
    {
        long start = 0, end = 0;
        ScoreRange sr = default;
        LexRange lr = default;
        switch (by)
        {
            case ZBy.Rank when !RedisParse.Long(a[2], out start) || !RedisParse.Long(a[3], out end): return Reply.NotInteger;
            case ZBy.Score when !ScoreRange.TryParse(a[2], a[3], out sr): return NotFloatRange;
            case ZBy.Lex when !LexRange.TryParse(a[2], a[3], out lr): return NotLexRange;
        }
        SortedSetValue? z = Lookup<SortedSetValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (z is null) return Reply.Zero;
        var nodes = new List<SkipNode>();
        if (by == ZBy.Rank)
        {
            long len = z.Count;
            if (start < 0) start += len;
            if (end < 0) end += len;
            if (start < 0) start = 0;
            if (start > end || start >= len) return Reply.Zero;
            if (end >= len) end = len - 1;
            SkipNode? n = z.Order.ByRank(start + 1);
            for (long i = start; i <= end && n is not null; i++, n = n.Next) nodes.Add(n);
        }
        else
        {
            for (SkipNode? n = FirstIn(z, by, sr, lr); n is not null && InRange(n, by, sr, lr); n = n.Next) nodes.Add(n);
        }
        foreach (SkipNode n in nodes) z.Remove(n.Member);
        if (nodes.Count > 0) Notify(a[1]);
        DropIfEmpty(cx, a[1], z.Count);
        return Reply.Int(nodes.Count);
    }
}
