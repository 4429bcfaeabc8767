namespace Stakker.Redis;

/// <summary>One element of a <see cref="SkipList"/>: a member, its score, and its links</summary>
internal sealed class SkipNode(byte[] member, double score, int levels)
{
    public readonly byte[] Member = member;
    public double Score = score;
    public SkipNode? Backward;
    /// <summary>Per level: the next node and how many level-0 steps that link spans (for ranks)</summary>
    public readonly SkipLevel[] Levels = new SkipLevel[levels];

    public SkipNode? Next => Levels[0].Forward;
}

/// <summary>A link of a <see cref="SkipNode"/> at one level</summary>
internal struct SkipLevel
{
    public SkipNode? Forward;
    public int Span;
}

/// <summary>The order of a sorted set: by score, then by member bytes; O(log n) expected insert, delete,
/// rank and search (levels drawn with p = 1/4, as Redis), each link knowing its span so ranks are O(log n)</summary>
internal sealed class SkipList
{
    public const int MaxLevel = 32;
    readonly SkipNode _head = new([], 0, MaxLevel);
    readonly Random _random;
    int _level = 1;

    public SkipList(Random? random = null) => _random = random ?? Random.Shared;

    public int Count { get; private set; }
    public SkipNode? First => _head.Levels[0].Forward;
    public SkipNode? Last { get; private set; }
    /// <summary>Comparisons of the search key with nodes so far (to check the O(log n) shape)</summary>
    public long Comparisons;
    internal SkipNode Head => _head;
    internal int Level => _level;

    /// <summary>Whether <paramref name="n"/> sorts before (score, member)</summary>
    bool Before(SkipNode n, double score, ReadOnlySpan<byte> member)
    {
        Comparisons++;
        return n.Score < score || (n.Score == score && n.Member.AsSpan().SequenceCompareTo(member) < 0);
    }

    int RandomLevel()
    {
        int level = 1;
        while (level < MaxLevel && (_random.Next() & 3) == 0) level++;
        return level;
    }

    /// <summary>Adds a member not already in the list</summary>
    public SkipNode Insert(double score, byte[] member)
    {
        Span<int> rank = stackalloc int[MaxLevel];
        var update = new SkipNode[MaxLevel];
        SkipNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            rank[i] = i == _level - 1 ? 0 : rank[i + 1];
            while (x.Levels[i].Forward is { } f && Before(f, score, member))
            {
                rank[i] += x.Levels[i].Span;
                x = f;
            }
            update[i] = x;
        }
        int level = RandomLevel();
        if (level > _level)
        {
            for (int i = _level; i < level; i++)
            {
                rank[i] = 0;
                update[i] = _head;
                update[i].Levels[i].Span = Count;
            }
            _level = level;
        }
        var node = new SkipNode(member, score, level);
        for (int i = 0; i < level; i++)
        {
            node.Levels[i].Forward = update[i].Levels[i].Forward;
            update[i].Levels[i].Forward = node;
            node.Levels[i].Span = update[i].Levels[i].Span - (rank[0] - rank[i]);
            update[i].Levels[i].Span = rank[0] - rank[i] + 1;
        }
        for (int i = level; i < _level; i++) update[i].Levels[i].Span++;
        node.Backward = update[0] == _head ? null : update[0];
        if (node.Levels[0].Forward is { } next) next.Backward = node;
        else Last = node;
        Count++;
        return node;
    }

    /// <summary>Removes the node with this score and member; false if there is none</summary>
    public bool Delete(double score, ReadOnlySpan<byte> member)
    {
        var update = new SkipNode[MaxLevel];
        SkipNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Forward is { } f && Before(f, score, member)) x = f;
            update[i] = x;
        }
        SkipNode? target = x.Levels[0].Forward;
        if (target is null || target.Score != score || !target.Member.AsSpan().SequenceEqual(member)) return false;
        for (int i = 0; i < _level; i++)
        {
            if (update[i].Levels[i].Forward == target)
            {
                update[i].Levels[i].Span += target.Levels[i].Span - 1;
                update[i].Levels[i].Forward = target.Levels[i].Forward;
            }
            else update[i].Levels[i].Span--;
        }
        if (target.Levels[0].Forward is { } next) next.Backward = target.Backward;
        else Last = target.Backward;
        while (_level > 1 && _head.Levels[_level - 1].Forward is null) _level--;
        Count--;
        return true;
    }

    /// <summary>1-based rank of (score, member), 0 if absent</summary>
    public int Rank(double score, ReadOnlySpan<byte> member)
    {
        int rank = 0;
        SkipNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Forward is { } f && Before(f, score, member))
            {
                rank += x.Levels[i].Span;
                x = f;
            }
        }
        SkipNode? n = x.Levels[0].Forward;
        return n is not null && n.Score == score && n.Member.AsSpan().SequenceEqual(member) ? rank + 1 : 0;
    }

    /// <summary>The node at a 1-based rank, or null</summary>
    public SkipNode? ByRank(long rank)
    {
        if (rank < 1 || rank > Count) return null;
        long traversed = 0;
        SkipNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Forward is { } f && traversed + x.Levels[i].Span <= rank)
            {
                Comparisons++;
                traversed += x.Levels[i].Span;
                x = f;
            }
            if (traversed == rank) return x;
        }
        return null;
    }

    /// <summary>The first node for which <paramref name="below"/> is false (nodes must be ordered so that
    /// <paramref name="below"/> holds for a prefix), or null</summary>
    public SkipNode? FirstNotBelow<TState>(TState state, Func<TState, SkipNode, bool> below)
    {
        SkipNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
            while (x.Levels[i].Forward is { } f && Count1(below(state, f))) x = f;
        return x.Levels[0].Forward;
    }

    /// <summary>The last node for which <paramref name="within"/> holds (a prefix), or null</summary>
    public SkipNode? LastWithin<TState>(TState state, Func<TState, SkipNode, bool> within)
    {
        SkipNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
            while (x.Levels[i].Forward is { } f && Count1(within(state, f))) x = f;
        return x == _head ? null : x;
    }

    bool Count1(bool result)
    {
        Comparisons++;
        return result;
    }

    /// <summary>1-based rank of a node known to be in the list</summary>
    public int RankOf(SkipNode n) => Rank(n.Score, n.Member);
}
