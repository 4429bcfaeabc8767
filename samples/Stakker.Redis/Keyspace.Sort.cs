namespace Stakker.Redis;

// SORT / SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination]
// on a list, set or sorted set, with Redis 7.0's rules: numeric order by default (ties by the bytes),
// a BY pattern without '*' means "do not sort", '#' in GET is the element, "key->field" reads a hash.
// Cost: O(N log N) for N elements plus one key look-up per element for BY and per element and GET;
// the work is proportional to the collection and the arguments, both already bounded in size.
internal sealed partial class Keyspace
{
    /// <summary>One element being sorted, with what it is compared by</summary>
    struct SortItem
    {
        public byte[] Element;
        public double Score;
        /// <summary>The BY value under ALPHA (null: none found, which sorts first)</summary>
        public byte[]? By;
    }

    Reply Sort(Cx<Keyspace> cx, byte[][] a, bool readOnly)
    {
        bool desc = false, alpha = false, dontSort = false;
        long limitStart = 0, limitCount = -1;
        byte[]? by = null, store = null;
        var gets = new List<byte[]>();
        for (int j = 2; j < a.Length; j++)
        {
            int left = a.Length - j - 1;
            if (Commands.Is(a[j], "asc")) desc = false;
            else if (Commands.Is(a[j], "desc")) desc = true;
            else if (Commands.Is(a[j], "alpha")) alpha = true;
            else if (Commands.Is(a[j], "limit") && left >= 2)
            {
                if (!RedisParse.Long(a[j + 1], out limitStart) || !RedisParse.Long(a[j + 2], out limitCount)) return Reply.NotInteger;
                j += 2;
            }
            else if (!readOnly && Commands.Is(a[j], "store") && left >= 1) store = a[++j];
            else if (Commands.Is(a[j], "by") && left >= 1)
            {
                by = a[++j];
                dontSort = Array.IndexOf(by, (byte)'*') < 0;
            }
            else if (Commands.Is(a[j], "get") && left >= 1) gets.Add(a[++j]);
            else return Reply.SyntaxError;
        }

        Entry? e = FindSource(cx, a[1]);
        if (e is not null && e.Value is not (ListValue or SetValue or SortedSetValue)) return Reply.WrongType;
        // A set has no order of its own: stored results of an unsorted set are sorted, to be repeatable.
        if (dontSort && e?.Value is SetValue && store is not null)
        {
            dontSort = false;
            alpha = true;
            by = null;
        }

        byte[][] elements = SortElements(e);
        int n = elements.Length;
        long start = Math.Min(Math.Max(limitStart, 0), n);
        long count = Math.Min(Math.Max(limitCount, -1), n);
        long end = count < 0 ? n - 1 : start + count - 1;
        if (start >= n)
        {
            start = n - 1;
            end = n - 2;
        }
        if (end >= n) end = n - 1;

        var items = new SortItem[n];
        for (int i = 0; i < n; i++) items[i].Element = elements[i];
        if (dontSort)
        {
            // Lists and sorted sets keep their order; DESC walks it from the other end.
            if (desc && e?.Value is not SetValue) Array.Reverse(items);
        }
        else if (SortItems(cx, items, by, alpha, desc) is { } error) return error;

        int taken = (int)Math.Max(0, end - start + 1);
        int perItem = gets.Count == 0 ? 1 : gets.Count;
        var output = new byte[]?[taken * perItem];
        for (int i = 0, o = 0; i < taken; i++)
        {
            byte[] element = items[start + i].Element;
            if (gets.Count == 0) output[o++] = element;
            foreach (byte[] g in gets) output[o++] = ByPattern(cx, g, element);
        }
        if (store is null) return Reply.Array(output);

        Touch(store);
        if (output.Length == 0)
        {
            if (Find(cx, store) is { } old) RemoveEmptied(cx, old);
            return Reply.Zero;
        }
        var list = new ListValue();
        var values = new byte[output.Length][];
        for (int i = 0; i < values.Length; i++) values[i] = output[i] ?? [];
        list.ReplaceAll(values);
        // Overwritten in place as Redis's setKey (no "new" event for a key that existed); either way the
        // key is marked ready for its waiters, served after this command.
        if (Find(cx, store) is { } replaced)
        {
            ClearExpire(replaced);
            replaced.Value = list;
            SignalReady(store);
        }
        else Create(store).Value = list;
        Notify(store);
        return Reply.Int(values.Length);
    }

    static byte[][] SortElements(Entry? e) => e?.Value switch
    {
        ListValue l => l.ToArray(),
        SetValue s => s.ToArray(),
        SortedSetValue z => InScoreOrder(z),
        _ => [],
    };

    /// <summary>On a server of several Cores, the keys SORT's BY and GET patterns name for the source's elements
    /// (each once), so that the shard that runs it can borrow them from theirs (Client.SortAcross.cs). A command
    /// with an error names none: it gets its error where it runs.</summary>
    public void SortPatternKeys(Cx<Keyspace> cx, int db, byte[][] a, Ret<byte[][]> ret)
    {
        if (_hold is not null) { Park(static (k, cx, p) => k.SortPatternKeys(cx, p.db, p.a, p.ret), (db, a, ret)); return; }
        Use(db);
        _reading = false;
        var patterns = new List<byte[]>();
        for (int j = 2; j < a.Length; j++)
        {
            int left = a.Length - j - 1;
            if (Commands.Is(a[j], "limit") && left >= 2) j += 2;
            else if (Commands.Is(a[j], "store") && left >= 1) j++;
            else if ((Commands.Is(a[j], "by") || Commands.Is(a[j], "get")) && left >= 1) patterns.Add(a[++j]);
        }
        var keys = new HashSet<byte[]>(ByteKeyComparer.Instance);
        foreach (byte[] element in SortElements(Find(cx, a[1])))
            foreach (byte[] pattern in patterns)
                if (PatternKey(pattern, element, out _) is { } key) keys.Add(key);
        ret.Answer([.. keys]);
    }

    static byte[][] InScoreOrder(SortedSetValue z)
    {
        var members = new byte[z.Count][];
        int i = 0;
        for (SkipNode? node = z.Order.First; node is not null; node = node.Next) members[i++] = node.Member;
        return members;
    }

    /// <summary>Sorts in place; an error if a numeric sort meets a value that is not a number</summary>
    Reply? SortItems(Cx<Keyspace> cx, SortItem[] items, byte[]? by, bool alpha, bool desc)
    {
        bool notNumber = false;
        for (int i = 0; i < items.Length; i++)
        {
            byte[]? value = by is null ? items[i].Element : ByPattern(cx, by, items[i].Element);
            if (value is null) continue;   // no BY value: score 0, or first under ALPHA
            if (alpha)
            {
                if (by is not null) items[i].By = value;
            }
            else if (!ParseSortScore(value, out items[i].Score)) notNumber = true;
        }
        // Redis sorts, then reports the bad value; the order is not seen either way.
        if (notNumber) return Reply.Error("ERR One or more scores can't be converted into double");
        bool byPattern = by is not null;
        Array.Sort(items, (x, y) =>
        {
            int cmp;
            if (!alpha)
            {
                cmp = x.Score.CompareTo(y.Score);
                if (cmp == 0) cmp = x.Element.AsSpan().SequenceCompareTo(y.Element);
            }
            else if (byPattern)
                cmp = x.By is null || y.By is null ? (x.By is null ? (y.By is null ? 0 : -1) : 1) : x.By.AsSpan().SequenceCompareTo(y.By);
            else cmp = x.Element.AsSpan().SequenceCompareTo(y.Element);
            return desc ? -cmp : cmp;
        });
        return null;
    }

    /// <summary>A number as C's strtod reads a whole string (the empty string is 0)</summary>
    static bool ParseSortScore(byte[] value, out double score)
    {
        score = 0;
        if (value.Length == 0) return true;
        if (RespParser.TryParseLong(value, out long n))
        {
            score = n;
            return true;
        }
        return Scores.TryParse(value, out score);
    }

    /// <summary>The value a BY or GET pattern names for an element: '#' is the element itself; the first '*'
    /// is replaced by the element to make a key, and "->field" after it reads that field of a hash;
    /// null when there is no such string or field</summary>
    byte[]? ByPattern(Cx<Keyspace> cx, byte[] pattern, byte[] element)
    {
        if (pattern is [(byte)'#']) return element;
        if (PatternKey(pattern, element, out byte[]? field) is not { } key) return null;
        Entry? e = Find(cx, key);
        if (e is null) return null;
        if (field is not null) return e.Value is HashValue h && h.TryGet(field, out byte[]? v) ? v : null;
        return e.Value switch
        {
            byte[] b => b,
            GrownString g => g.ToArray(),
            _ => null,
        };
    }

    /// <summary>The key a pattern names for an element (its first '*' replaced by the element), and the hash field
    /// after "->" if any; null for a pattern with no '*' ('#' is the element, not a key)</summary>
    static byte[]? PatternKey(byte[] pattern, byte[] element, out byte[]? field)
    {
        field = null;
        if (pattern is [(byte)'#']) return null;
        int star = Array.IndexOf(pattern, (byte)'*');
        if (star < 0) return null;
        ReadOnlySpan<byte> p = pattern;
        int arrow = p[(star + 1)..].IndexOf("->"u8);
        int keyEnd = pattern.Length;
        if (arrow >= 0 && star + 1 + arrow + 2 < pattern.Length)
        {
            keyEnd = star + 1 + arrow;
            field = p[(keyEnd + 2)..].ToArray();
        }
        var key = new byte[keyEnd - 1 + element.Length];
        p[..star].CopyTo(key);
        element.CopyTo(key.AsSpan(star));
        p[(star + 1)..keyEnd].CopyTo(key.AsSpan(star + element.Length));
        return key;
    }
}
