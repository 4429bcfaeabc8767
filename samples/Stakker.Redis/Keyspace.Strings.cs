using System.Numerics;
using System.Text;

namespace Stakker.Redis;

// The string family beyond GET/SET: MSETNX, INCRBYFLOAT, SETRANGE, GETRANGE, SETBIT, GETBIT, BITCOUNT,
// BITPOS, LCS.
internal sealed partial class Keyspace
{
    static readonly Reply BitOffsetError = Reply.Error("ERR bit offset is not an integer or out of range");

    Reply MSetNx(Cx<Keyspace> cx, byte[][] a)
    {
        if (a.Length % 2 == 0) return Reply.Error(Commands.WrongArity("msetnx"));
        for (int i = 1; i < a.Length; i += 2) if (Find(cx, a[i]) is not null) return Reply.Zero;
        for (int i = 1; i < a.Length; i += 2)
        {
            Entry e = Find(cx, a[i]) ?? Create(a[i]);
            e.Value = a[i + 1];
            Notify(a[i]);
        }
        return Reply.One;
    }

    Reply IncrByFloat(Cx<Keyspace> cx, byte[][] a)
    {
        Entry? e = Find(cx, a[1]);
        if (e is not null && !e.IsString) return Reply.WrongType;
        LongDouble value = default;
        if (e is not null && !LongDouble.TryParse(e.StrSpan, out value)) return NotFloat;
        if (!LongDouble.TryParse(a[2], out LongDouble by)) return NotFloat;
        value = value.Add(by);
        if (value.Overflows) return Reply.Error("ERR increment would produce NaN or Infinity");
        byte[] text = Encoding.ASCII.GetBytes(value.ToHuman());
        e ??= Create(a[1]);
        e.Value = text;
        Notify(a[1]);
        return Reply.Bulk(text);
    }

    /// <summary>A copy of the string's bytes grown to at least <paramref name="length"/> (zero-filled), to change in place</summary>
    static byte[] Writable(Entry? e, long length)
    {
        ReadOnlySpan<byte> old = e is null ? default : e.StrSpan;
        var bytes = new byte[Math.Max(old.Length, length)];
        old.CopyTo(bytes);
        return bytes;
    }

    Reply SetRange(Cx<Keyspace> cx, byte[][] a)
    {
        if (!RedisParse.Long(a[2], out long offset)) return Reply.NotInteger;
        if (offset < 0) return Reply.Error("ERR offset is out of range");
        Entry? e = Find(cx, a[1]);
        if (e is not null && !e.IsString) return Reply.WrongType;
        byte[] v = a[3];
        if (v.Length == 0) return Reply.Int(e?.StrSpan.Length ?? 0);
        if (offset > MaxString - v.Length) return StringTooLong;
        // Copied, never changed in place: a reply in flight may still hold the stored array.
        byte[] bytes = Writable(e, offset + v.Length);
        v.CopyTo(bytes, offset);
        e ??= Create(a[1]);
        // Held as a grown string: Redis keeps the result of SETRANGE raw even when it reads as a number.
        e.Value = new GrownString(bytes, bytes.Length);
        Notify(a[1]);
        return Reply.Int(bytes.Length);
    }

    Reply GetRange(Cx<Keyspace> cx, byte[][] a)
    {
        if (!RedisParse.Long(a[2], out long start) || !RedisParse.Long(a[3], out long end)) return Reply.NotInteger;
        Entry? e = Find(cx, a[1]);
        if (e is null) return Reply.Bulk([]);
        if (!e.IsString) return Reply.WrongType;
        ReadOnlySpan<byte> s = e.StrSpan;
        long len = s.Length;
        if (start < 0 && end < 0 && start > end) return Reply.Bulk([]);
        if (start < 0) start += len;
        if (end < 0) end += len;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= len) end = len - 1;
        if (len == 0 || start > end) return Reply.Bulk([]);
        return Reply.Bulk(s.Slice((int)start, (int)(end - start + 1)).ToArray());
    }

    static bool ParseBitOffset(byte[] arg, out long offset) =>
        RedisParse.Long(arg, out offset) && offset >= 0 && offset < MaxString * 8;

    Reply SetBit(Cx<Keyspace> cx, byte[][] a)
    {
        if (!ParseBitOffset(a[2], out long offset)) return BitOffsetError;
        if (a[3] is not [(byte)'0' or (byte)'1']) return Reply.Error("ERR bit is not an integer or out of range");
        Entry? e = Find(cx, a[1]);
        if (e is not null && !e.IsString) return Reply.WrongType;
        byte[] bytes = Writable(e, offset / 8 + 1);
        int mask = 0x80 >> (int)(offset & 7);
        int old = (bytes[offset / 8] & mask) != 0 ? 1 : 0;
        if (a[3][0] == (byte)'1') bytes[offset / 8] |= (byte)mask;
        else bytes[offset / 8] &= (byte)~mask;
        e ??= Create(a[1]);
        e.Value = new GrownString(bytes, bytes.Length);
        Notify(a[1]);
        return Reply.Int(old);
    }

    Reply GetBit(Cx<Keyspace> cx, byte[][] a)
    {
        if (!ParseBitOffset(a[2], out long offset)) return BitOffsetError;
        Entry? e = Find(cx, a[1]);
        if (e is null) return Reply.Zero;
        if (!e.IsString) return Reply.WrongType;
        ReadOnlySpan<byte> s = e.StrSpan;
        if (offset / 8 >= s.Length) return Reply.Zero;
        return Reply.Int((s[(int)(offset / 8)] & (0x80 >> (int)(offset & 7))) != 0 ? 1 : 0);
    }

    /// <summary>The [start, end] range (inclusive, in bytes or bits) of BITCOUNT/BITPOS, negative from the end, clamped;
    /// false if it is empty</summary>
    static bool ClampRange(ref long start, ref long end, long total)
    {
        if (start < 0) start += total;
        if (end < 0) end += total;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= total) end = total - 1;
        return start <= end && total > 0;
    }

    static bool Bit(ReadOnlySpan<byte> s, long i) => (s[(int)(i >> 3)] & (0x80 >> (int)(i & 7))) != 0;

    Reply BitCount(Cx<Keyspace> cx, byte[][] a)
    {
        Entry? e = Find(cx, a[1]);
        if (e is null) return Reply.Zero;
        if (!e.IsString) return Reply.WrongType;
        ReadOnlySpan<byte> s = e.StrSpan;
        long start = 0, end = -1;
        bool bits = false;
        if (a.Length is 4 or 5)
        {
            if (!RedisParse.Long(a[2], out start) || !RedisParse.Long(a[3], out end)) return Reply.NotInteger;
            if (a.Length == 5)
            {
                if (Commands.Is(a[4], "bit")) bits = true;
                else if (!Commands.Is(a[4], "byte")) return Reply.SyntaxError;
            }
        }
        else if (a.Length != 2) return Reply.SyntaxError;
        if (!ClampRange(ref start, ref end, bits ? s.Length * 8L : s.Length)) return Reply.Zero;
        long n = 0;
        if (!bits)
        {
            foreach (byte b in s.Slice((int)start, (int)(end - start + 1))) n += BitOperations.PopCount(b);
            return Reply.Int(n);
        }
        for (long i = start; i <= end; i++) if (Bit(s, i)) n++;
        return Reply.Int(n);
    }

    Reply BitPos(Cx<Keyspace> cx, byte[][] a)
    {
        if (!RedisParse.Long(a[2], out long bitArg)) return Reply.NotInteger;
        if (bitArg is not (0 or 1)) return Reply.Error("ERR The bit argument must be 1 or 0.");
        bool want = bitArg == 1;
        long start = 0, end = -1;
        bool endGiven = false, bits = false;
        if (a.Length > 6) return Reply.SyntaxError;
        if (a.Length >= 4 && !RedisParse.Long(a[3], out start)) return Reply.NotInteger;
        if (a.Length >= 5)
        {
            if (!RedisParse.Long(a[4], out end)) return Reply.NotInteger;
            endGiven = true;
        }
        if (a.Length == 6)
        {
            if (Commands.Is(a[5], "bit")) bits = true;
            else if (!Commands.Is(a[5], "byte")) return Reply.SyntaxError;
        }
        Entry? e = Find(cx, a[1]);
        if (e is null) return Reply.Int(want ? -1 : 0);
        if (!e.IsString) return Reply.WrongType;
        ReadOnlySpan<byte> s = e.StrSpan;
        if (!ClampRange(ref start, ref end, bits ? s.Length * 8L : s.Length)) return Reply.Int(-1);
        long first = bits ? start : start * 8, last = bits ? end : end * 8 + 7;
        for (long i = first; i <= last; i++) if (Bit(s, i) == want) return Reply.Int(i);
        // Looking for a clear bit with no end given: the string reads as followed by zeros.
        return Reply.Int(!want && !endGiven && !bits ? last + 1 : -1);
    }

    Reply Lcs(Cx<Keyspace> cx, byte[][] a)
    {
        bool len = false, idx = false, withMatchLen = false;
        long minMatch = 0;
        for (int j = 3; j < a.Length; j++)
        {
            if (Commands.Is(a[j], "idx")) idx = true;
            else if (Commands.Is(a[j], "len")) len = true;
            else if (Commands.Is(a[j], "withmatchlen")) withMatchLen = true;
            else if (Commands.Is(a[j], "minmatchlen") && j + 1 < a.Length)
            {
                if (!RedisParse.Long(a[++j], out minMatch)) return Reply.NotInteger;
                if (minMatch < 0) minMatch = 0;
            }
            else return Reply.SyntaxError;
        }
        Entry? ea = Find(cx, a[1]), eb = Find(cx, a[2]);
        if ((ea is not null && !ea.IsString) || (eb is not null && !eb.IsString))
            return Reply.Error("ERR The specified keys must contain string values");
        if (len && idx) return Reply.Error("ERR If you want both the length and indexes, please just use IDX.");
        byte[] x = ea?.StrSpan.ToArray() ?? [], y = eb?.StrSpan.ToArray() ?? [];
        if ((long)(x.Length + 1) * (y.Length + 1) > 256L * 1024 * 1024) return Reply.Error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        // dp[i, j]: LCS length of x[..i] and y[..j].
        var dp = new int[x.Length + 1, y.Length + 1];
        for (int i = 1; i <= x.Length; i++)
            for (int j = 1; j <= y.Length; j++)
                dp[i, j] = x[i - 1] == y[j - 1] ? dp[i - 1, j - 1] + 1 : Math.Max(dp[i - 1, j], dp[i, j - 1]);
        int total = dp[x.Length, y.Length];
        if (len) return Reply.Int(total);
        // Walk back from the end, as Redis does, collecting the common string and the matching ranges.
        var common = new byte[total];
        int k = total;
        var ranges = new List<(int A0, int A1, int B0, int B1)>();
        int ai = x.Length, bi = y.Length;
        int runA1 = -1, runB1 = -1, runA0 = -1, runB0 = -1;
        void Flush()
        {
            if (runA1 >= 0 && runA1 - runA0 + 1 >= minMatch) ranges.Add((runA0, runA1, runB0, runB1));
            runA1 = -1;
        }
        while (ai > 0 && bi > 0)
        {
            if (x[ai - 1] == y[bi - 1])
            {
                common[--k] = x[ai - 1];
                if (runA1 >= 0 && runA0 == ai && runB0 == bi) { runA0 = ai - 1; runB0 = bi - 1; }
                else { Flush(); runA1 = runA0 = ai - 1; runB1 = runB0 = bi - 1; }
                ai--; bi--;
            }
            else if (dp[ai - 1, bi] > dp[ai, bi - 1]) ai--;
            else bi--;
        }
        Flush();
        if (!idx) return Reply.Bulk(common);
        var b = new RespBuilder().Map(2).Bulk("matches").Array(ranges.Count);
        foreach (var (a0, a1, b0, b1) in ranges)
        {
            b.Array(withMatchLen ? 3 : 2).Array(2).Int(a0).Int(a1).Array(2).Int(b0).Int(b1);
            if (withMatchLen) b.Int(a1 - a0 + 1);
        }
        return b.Bulk("len").Int(total).ToReply();
    }
}
