using System.Globalization;
using System.Text;

namespace Stakker.Redis;

/// <summary>SCAN's options</summary>
internal readonly record struct ScanOptions(byte[]? Match, long Count, string? Type);

// SCAN, HSCAN, SSCAN, ZSCAN over ScanCursors (decision 023).
internal sealed partial class Keyspace
{
    readonly ScanCursors _cursors = new();
    /// <summary>A collection this small is returned whole by one call with cursor 0, as Redis does for its compact encodings</summary>
    const int WholeScanBelow = 128;

    internal int LiveScans => _cursors.Count;

    /// <summary>A cursor as Redis reads it (strtoul: a negative number wraps around)</summary>
    internal static bool ParseCursor(byte[] arg, out ulong cursor)
    {
        string text = Encoding.ASCII.GetString(arg);
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out cursor)) return true;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long signed)) { cursor = unchecked((ulong)signed); return true; }
        return false;
    }

    static readonly Reply InvalidCursor = Reply.Error("ERR invalid cursor");

    static Reply? ParseScanOptions(byte[][] a, int from, bool allowType, out ScanOptions options)
    {
        options = new ScanOptions(null, 10, null);
        for (int j = from; j < a.Length; j++)
        {
            bool hasNext = j + 1 < a.Length;
            if (Commands.Is(a[j], "count") && hasNext)
            {
                if (!RedisParse.Long(a[++j], out long count)) return Reply.NotInteger;
                if (count < 1) return Reply.SyntaxError;
                options = options with { Count = count };
            }
            else if (Commands.Is(a[j], "match") && hasNext)
                options = options with { Match = a[++j] is [(byte)'*'] ? null : a[j] };
            else if (allowType && Commands.Is(a[j], "type") && hasNext)
                options = options with { Type = Encoding.UTF8.GetString(a[++j]).ToLowerInvariant() };
            else return Reply.SyntaxError;
        }
        return null;
    }

    /// <summary>One step of an iteration: up to COUNT items from the cursor's snapshot, each emitted (if still there)
    /// by <paramref name="emit"/>; a whole small collection at once</summary>
    Reply ScanStep(ulong cursor, ScanOptions o, int liveCount, bool whole, Func<object[]> snapshot, Action<object, List<byte[]>> emit)
    {
        ScanSnapshot? s;
        if (cursor == 0)
        {
            if (whole || liveCount <= o.Count) s = new ScanSnapshot(snapshot()) { Next = 0 };
            else s = new ScanSnapshot(snapshot());
        }
        else s = _cursors.Take(cursor);
        var found = new List<byte[]>();
        ulong next = 0;
        if (s is not null)
        {
            long budget = whole || (cursor == 0 && liveCount <= o.Count) ? long.MaxValue : o.Count;
            while (s.Next < s.Items.Length && budget-- > 0) emit(s.Items[s.Next++], found);
            if (s.Next < s.Items.Length) next = _cursors.Keep(s);
        }
        var b = new RespBuilder().Array(2).Bulk(next.ToString(CultureInfo.InvariantCulture)).Array(found.Count);
        foreach (byte[] item in found) b.Bulk(item);
        return b.ToReply();
    }

    bool Matches(ScanOptions o, ReadOnlySpan<byte> name) => o.Match is null || Glob.IsMatch(o.Match, name);

    Reply Scan(Cx<Keyspace> cx, byte[][] a)
    {
        if (!ParseCursor(a[1], out ulong cursor)) return InvalidCursor;
        if (ParseScanOptions(a, 2, allowType: true, out ScanOptions o) is { } error) return error;
        long now = cx.Now.Ticks;
        return ScanStep(cursor, o, _data.Count, whole: false,
            () => { var items = new object[_data.Count]; int i = 0; foreach (Entry e in _data) items[i++] = e; return items; },
            (item, found) =>
            {
                var e = (Entry)item;
                // Still this very entry, and still live.
                if (!_data.TryGetValue(e.KeySpan, out Entry? cur) || !ReferenceEquals(cur, e) || (e.ExpireAt != 0 && e.ExpireAt <= now)) return;
                if (o.Type is not null && TypeName(e) != o.Type) return;
                if (Matches(o, e.KeySpan)) found.Add(e.Key);
            });
    }

    /// <summary>The common start of HSCAN/SSCAN/ZSCAN: cursor, then the key (missing: an empty scan), then options</summary>
    Reply? StartCollectionScan<T>(Cx<Keyspace> cx, byte[][] a, out T? value, out ulong cursor, out ScanOptions o) where T : class
    {
        value = null;
        o = default;
        if (!ParseCursor(a[2], out cursor)) return InvalidCursor;
        value = Lookup<T>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (value is null) return new RespBuilder().Array(2).Bulk("0").Array(0).ToReply();
        return ParseScanOptions(a, 3, allowType: false, out o);
    }

    Reply HScan(Cx<Keyspace> cx, byte[][] a)
    {
        if (StartCollectionScan(cx, a, out HashValue? h, out ulong cursor, out ScanOptions o) is { } early) return early;
        return ScanStep(cursor, o, h!.Count, h.IsPacked || h.Count <= WholeScanBelow, () => [.. h.Fields()], (item, found) =>
        {
            var field = (byte[])item;
            if (h.TryGet(field, out byte[]? v) && Matches(o, field)) { found.Add(field); found.Add(v); }
        });
    }

    Reply SScan(Cx<Keyspace> cx, byte[][] a)
    {
        if (StartCollectionScan(cx, a, out SetValue? set, out ulong cursor, out ScanOptions o) is { } early) return early;
        return ScanStep(cursor, o, set!.Count, set.IsIntSet || set.Count <= WholeScanBelow, () => [.. set.ToArray()], (item, found) =>
        {
            var m = (byte[])item;
            if (set.Contains(m) && Matches(o, m)) found.Add(m);
        });
    }

    Reply ZScan(Cx<Keyspace> cx, byte[][] a)
    {
        if (StartCollectionScan(cx, a, out SortedSetValue? z, out ulong cursor, out ScanOptions o) is { } early) return early;
        return ScanStep(cursor, o, z!.Count, z.Count <= WholeScanBelow, () =>
        {
            // In score order, as a small sorted set is stored in Redis.
            var items = new object[z.Count];
            int i = 0;
            for (SkipNode? n = z.Order.First; n is not null; n = n.Next) items[i++] = n.Member;
            return items;
        }, (item, found) =>
        {
            var m = (byte[])item;
            if (z.TryGetScore(m, out double score) && Matches(o, m)) { found.Add(m); found.Add(Encoding.ASCII.GetBytes(Scores.Format(score))); }
        });
    }
}
