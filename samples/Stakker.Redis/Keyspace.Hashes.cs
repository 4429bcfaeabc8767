using System.Globalization;
using System.Text;

namespace Stakker.Redis;

// Hashes: HSET, HMSET, HGET, HMGET, HGETALL, HKEYS, HVALS, HDEL, HEXISTS, HINCRBY, HINCRBYFLOAT, HLEN,
// HSETNX, HSTRLEN, HRANDFIELD (HSCAN is with the other scans).
internal sealed partial class Keyspace
{
    Reply HSet(Cx<Keyspace> cx, byte[][] a, string name)
    {
        if (a.Length % 2 != 0) return Reply.Error(Commands.WrongArity(name));
        HashValue? h = LookupOrNew<HashValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        h!.PrepareFor(a, 2, _thresholds);
        long added = 0;
        for (int i = 2; i < a.Length; i += 2) if (h.Set(a[i], a[i + 1], _thresholds)) added++;
        Store(cx, a[1], h!, h!.Count);
        Notify(a[1]);
        return name == "hmset" ? Reply.Ok : Reply.Int(added);
    }

    Reply HSetNx(Cx<Keyspace> cx, byte[][] a)
    {
        HashValue? h = LookupOrNew<HashValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (h!.ContainsKey(a[2])) return Reply.Zero;
        h.PrepareFor(a, 2, _thresholds);
        h.Set(a[2], a[3], _thresholds);
        Store(cx, a[1], h, h.Count);
        Notify(a[1]);
        return Reply.One;
    }

    Reply HGet(Cx<Keyspace> cx, byte[][] a)
    {
        HashValue? h = Lookup<HashValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        return h is not null && h.TryGet(a[2], out byte[]? v) ? Reply.Bulk(v) : Reply.Nil;
    }

    Reply HMGet(Cx<Keyspace> cx, byte[][] a)
    {
        HashValue? h = Lookup<HashValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        var values = new byte[]?[a.Length - 2];
        for (int i = 2; i < a.Length; i++) values[i - 2] = h is not null && h.TryGet(a[i], out byte[]? v) ? v : null;
        return Reply.Array(values);
    }

    Reply HGetAll(Cx<Keyspace> cx, byte[] key, bool keys, bool values)
    {
        HashValue? h = Lookup<HashValue>(cx, key, out bool wrong);
        if (wrong) return Reply.WrongType;
        if (h is null) return keys && values ? Reply.Map([]) : Reply.EmptyArray;
        var items = new byte[]?[h.Count * ((keys ? 1 : 0) + (values ? 1 : 0))];
        int i = 0;
        foreach (var (f, v) in h.Pairs)
        {
            if (keys) items[i++] = f;
            if (values) items[i++] = v;
        }
        return keys && values ? Reply.Map(items) : Reply.Array(items);
    }

    Reply HDel(Cx<Keyspace> cx, byte[][] a)
    {
        HashValue? h = Lookup<HashValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (h is null) return Reply.Zero;
        long n = 0;
        for (int i = 2; i < a.Length; i++) if (h.Remove(a[i])) n++;
        if (n > 0) Notify(a[1]);
        DropIfEmpty(cx, a[1], h.Count);
        return Reply.Int(n);
    }

    Reply HExists(Cx<Keyspace> cx, byte[][] a)
    {
        HashValue? h = Lookup<HashValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        return h is not null && h.ContainsKey(a[2]) ? Reply.One : Reply.Zero;
    }

    Reply HLen(Cx<Keyspace> cx, byte[] key)
    {
        HashValue? h = Lookup<HashValue>(cx, key, out bool wrong);
        return wrong ? Reply.WrongType : Reply.Int(h?.Count ?? 0);
    }

    Reply HStrLen(Cx<Keyspace> cx, byte[][] a)
    {
        HashValue? h = Lookup<HashValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        return Reply.Int(h?.ValueLength(a[2]) ?? 0);
    }

    Reply HIncrBy(Cx<Keyspace> cx, byte[][] a)
    {
        if (!RedisParse.Long(a[3], out long by)) return Reply.NotInteger;
        HashValue? h = LookupOrNew<HashValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        long value = 0;
        if (h!.TryGet(a[2], out byte[]? old) && !RespParser.TryParseLong(old, out value))
            return Reply.Error("ERR hash value is not an integer");
        if ((by < 0 && value < 0 && by < long.MinValue - value) || (by > 0 && value > 0 && by > long.MaxValue - value))
            return Reply.Error("ERR increment or decrement would overflow");
        value += by;
        h.Set(a[2], Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)), _thresholds);
        Store(cx, a[1], h, h.Count);
        Notify(a[1]);
        return Reply.Int(value);
    }

    Reply HIncrByFloat(Cx<Keyspace> cx, byte[][] a)
    {
        if (!LongDouble.TryParse(a[3], out LongDouble by)) return NotFloat;
        if (by.Overflows) return Reply.Error("ERR value is NaN or Infinity");
        HashValue? h = LookupOrNew<HashValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        LongDouble value = default;
        if (h!.TryGet(a[2], out byte[]? old) && !LongDouble.TryParse(old, out value))
            return Reply.Error("ERR hash value is not a float");
        value = value.Add(by);
        if (value.Overflows) return Reply.Error("ERR increment would produce NaN or Infinity");
        byte[] text = Encoding.ASCII.GetBytes(value.ToHuman());
        h.Set(a[2], text, _thresholds);
        Store(cx, a[1], h, h.Count);
        Notify(a[1]);
        return Reply.Bulk(text);
    }

    Reply HRandField(Cx<Keyspace> cx, byte[][] a)
    {
        long count = 0;
        bool withValues = false;
        if (a.Length > 2 && !RedisParse.Long(a[2], out count)) return Reply.NotInteger;
        if (a.Length == 4)
        {
            if (!Commands.Is(a[3], "withvalues")) return Reply.SyntaxError;
            withValues = true;
        }
        else if (a.Length > 4) return Reply.SyntaxError;
        if (a.Length > 2 && count < -long.MaxValue) return CountOutOfRange;
        if (withValues && count < -long.MaxValue / 2) return Reply.Error("ERR value is out of range");
        if (count < -RandomPicks.MaxDraws) return RandomPicks.TooManyDraws;
        HashValue? h = Lookup<HashValue>(cx, a[1], out bool wrong);
        if (wrong) return Reply.WrongType;
        if (h is null) return a.Length > 2 ? Reply.EmptyArray : Reply.Nil;
        if (a.Length == 2) return Reply.Bulk(h.RandomPair().Field);
        // Packed (at most the packing threshold of fields): read out once; a table picks by position.
        (byte[] Field, byte[] Value)[]? packed = h.IsPacked ? [.. h.Pairs] : null;
        int[] picked = count < 0 ? RandomPicks.Repeated(h.Count, -count) : RandomPicks.Distinct(h.Count, count);
        var items = new byte[]?[picked.Length * (withValues ? 2 : 1)];
        int i = 0;
        foreach (int p in picked)
        {
            var (f, v) = packed is not null ? packed[p] : h.TablePairAt(p);
            items[i++] = f;
            if (withValues) items[i++] = v;
        }
        return withValues ? Reply.Pairs(items) : Reply.Array(items);
    }

    static readonly Reply CountOutOfRange = Reply.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");

    /// <summary>Random elements as HRANDFIELD/SRANDMEMBER/ZRANDMEMBER take a count: positive, distinct (at most all);
    /// negative, |count| draws that may repeat (at most <see cref="RandomPicks.MaxDraws"/>)</summary>
    static byte[][] PickRandom(byte[][] from, long count)
    {
        int[] picked = count < 0 ? RandomPicks.Repeated(from.Length, Math.Min(-count, RandomPicks.MaxDraws)) : RandomPicks.Distinct(from.Length, count);
        var items = new byte[picked.Length][];
        for (int i = 0; i < items.Length; i++) items[i] = from[picked[i]];
        return items;
    }
}
