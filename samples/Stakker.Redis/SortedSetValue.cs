namespace Stakker.Redis;

/// <summary>A Redis sorted set: member → node for O(1) score look-ups, and a <see cref="SkipList"/> for order</summary>
internal sealed class SortedSetValue
{
    public readonly Dictionary<byte[], SkipNode> Members = new(ByteKeyComparer.Instance);
    public readonly SkipList Order = new();

    public int Count => Members.Count;

    /// <summary>Reported by OBJECT ENCODING as "skiplist" rather than "listpack": set once the set grew past
    /// Redis's listpack thresholds, and kept until the key goes, as Redis 7.0 never converts back in place</summary>
    public bool IsSkiplist { get; private set; }

    /// <summary>After an add: a set with more than <paramref name="maxEntries"/> members, or a member longer than
    /// <paramref name="maxValue"/> bytes, is a skiplist from now on</summary>
    public void Grew(int memberLength, long maxEntries, long maxValue)
    {
        if (Count > maxEntries || memberLength > maxValue) IsSkiplist = true;
    }

    /// <summary>A copy with the same members, scores and encoding (COPY keeps a skiplist a skiplist, as Redis)</summary>
    public SortedSetValue Clone()
    {
        var copy = new SortedSetValue { IsSkiplist = IsSkiplist };
        for (SkipNode? n = Order.First; n is not null; n = n.Next) copy.Set(n.Member, n.Score);
        return copy;
    }

    public bool TryGetScore(byte[] member, out double score)
    {
        if (Members.TryGetValue(member, out SkipNode? n)) { score = n.Score; return true; }
        score = 0;
        return false;
    }

    /// <summary>Sets a member's score; true if the member is new</summary>
    public bool Set(byte[] member, double score)
    {
        if (Members.TryGetValue(member, out SkipNode? n))
        {
            if (n.Score == score) return false;
            Order.Delete(n.Score, n.Member);
            Members[n.Member] = Order.Insert(score, n.Member);
            return false;
        }
        Members.Add(member, Order.Insert(score, member));
        return true;
    }

    public bool Remove(byte[] member)
    {
        if (!Members.Remove(member, out SkipNode? n)) return false;
        Order.Delete(n.Score, n.Member);
        return true;
    }

    /// <summary>0-based rank, or -1</summary>
    public long Rank(byte[] member) =>
        Members.TryGetValue(member, out SkipNode? n) ? Order.Rank(n.Score, n.Member) - 1 : -1;
}

/// <summary>A score interval as ZRANGEBYSCORE takes it: "(1", "5", "-inf", "+inf"</summary>
internal readonly record struct ScoreRange(double Min, bool MinEx, double Max, bool MaxEx)
{
    public static bool TryParse(byte[] min, byte[] max, out ScoreRange r)
    {
        r = default;
        if (!Bound(min, out double lo, out bool loEx) || !Bound(max, out double hi, out bool hiEx)) return false;
        r = new ScoreRange(lo, loEx, hi, hiEx);
        return true;
    }

    static bool Bound(byte[] s, out double v, out bool ex)
    {
        ex = s.Length > 0 && s[0] == (byte)'(';
        return Scores.TryParse(ex ? s.AsSpan(1) : s, out v);
    }

    public bool AboveMin(double s) => MinEx ? s > Min : s >= Min;
    public bool BelowMax(double s) => MaxEx ? s < Max : s <= Max;
    public bool Empty => Min > Max || (Min == Max && (MinEx || MaxEx));
}

/// <summary>A member interval as ZRANGEBYLEX takes it: "[a", "(a", "-", "+"</summary>
internal readonly record struct LexRange(byte[] Min, bool MinEx, bool MinInf, byte[] Max, bool MaxEx, bool MaxInf, bool Nothing)
{
    public static bool TryParse(byte[] min, byte[] max, out LexRange r)
    {
        r = default;
        if (!Bound(min, out byte[] lo, out bool loEx, out int loInf) || !Bound(max, out byte[] hi, out bool hiEx, out int hiInf)) return false;
        // "+" as the minimum or "-" as the maximum matches nothing.
        r = new LexRange(lo, loEx, loInf < 0, hi, hiEx, hiInf > 0, loInf > 0 || hiInf < 0);
        return true;
    }

    /// <summary><paramref name="inf"/>: -1 for "-", +1 for "+", 0 for a member bound</summary>
    static bool Bound(byte[] s, out byte[] v, out bool ex, out int inf)
    {
        v = []; ex = false; inf = 0;
        if (s.Length == 0) return false;
        switch (s[0])
        {
            case (byte)'+' when s.Length == 1: inf = 1; return true;
            case (byte)'-' when s.Length == 1: inf = -1; return true;
            case (byte)'(': ex = true; v = s[1..]; return true;
            case (byte)'[': v = s[1..]; return true;
            default: return false;
        }
    }

    public bool AboveMin(byte[] m)
    {
        if (Nothing) return false;
        if (MinInf) return true;
        int c = m.AsSpan().SequenceCompareTo(Min);
        return MinEx ? c > 0 : c >= 0;
    }

    public bool BelowMax(byte[] m)
    {
        if (Nothing) return false;
        if (MaxInf) return true;
        int c = m.AsSpan().SequenceCompareTo(Max);
        return MaxEx ? c < 0 : c <= 0;
    }
}
