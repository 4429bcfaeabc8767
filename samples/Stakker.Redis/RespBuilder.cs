using System.Buffers;
using System.Globalization;
using System.Text;

namespace Stakker.Redis;

/// <summary>Builds a reply whose shape <see cref="Reply"/> has no kind for (nested arrays, integer arrays,
/// scores), in RESP2 and, once a part differs between the protocols, in RESP3 too</summary>
/// <remarks>The keyspace does not know a client's protocol: a reply is built in both and the connection
/// writes the one it speaks. Until the first part that differs (a score, a null, a pair, a map) only the
/// RESP2 bytes are written, so replies with no RESP3 shape of their own cost one encoding.</remarks>
internal sealed class RespBuilder
{
    readonly ArrayBufferWriter<byte> _w = new(64);
    /// <summary>The RESP3 encoding, from the first part that differs; null while both are the same</summary>
    /// <remarks>Read before the RESP2 part is written: its first use copies what the two have in common.</remarks>
    ArrayBufferWriter<byte>? _w3;

    ArrayBufferWriter<byte> Resp3
    {
        get
        {
            if (_w3 is null)
            {
                _w3 = new ArrayBufferWriter<byte>(Math.Max(64, _w.WrittenCount * 2));
                Resp.WriteRaw(_w3, _w.WrittenSpan);
            }
            return _w3;
        }
    }

    public RespBuilder Array(long count) => Header((byte)'*', count);
    public RespBuilder Bulk(ReadOnlySpan<byte> bytes) { Resp.WriteBulk(_w, bytes); if (_w3 is not null) Resp.WriteBulk(_w3, bytes); return this; }
    public RespBuilder Bulk(string text) => Bulk(Encoding.UTF8.GetBytes(text));
    public RespBuilder Int(long n) => Header((byte)':', n);
    public RespBuilder Nil() { Resp.WriteRaw(Resp3, "_\r\n"u8); Resp.WriteNil(_w); return this; }
    public RespBuilder NullArray() { Resp.WriteRaw(Resp3, "_\r\n"u8); Resp.WriteRaw(_w, "*-1\r\n"u8); return this; }
    /// <summary>A score: a bulk string in RESP2, a double in RESP3</summary>
    public RespBuilder Score(double d) { Resp.WriteDouble(Resp3, d, resp3: true); Resp.WriteDouble(_w, d, resp3: false); return this; }
    /// <summary><paramref name="count"/> pairs, each begun by <see cref="Pair"/>: flat (<c>*2n</c>) in RESP2, an array of
    /// two-element arrays in RESP3 (ZRANGE WITHSCORES, HRANDFIELD WITHVALUES)</summary>
    public RespBuilder Pairs(long count) { Resp.WriteHeader(Resp3, (byte)'*', count); Resp.WriteHeader(_w, (byte)'*', count * 2); return this; }
    public RespBuilder Pair() { Resp.WriteHeader(Resp3, (byte)'*', 2); return this; }
    /// <summary>A map of <paramref name="count"/> entries (key then value follow): <c>*2n</c> in RESP2, <c>%n</c> in RESP3</summary>
    public RespBuilder Map(long count) { Resp.WriteHeader(Resp3, (byte)'%', count); Resp.WriteHeader(_w, (byte)'*', count * 2); return this; }

    RespBuilder Header(byte prefix, long n)
    {
        Resp.WriteHeader(_w, prefix, n);
        if (_w3 is not null) Resp.WriteHeader(_w3, prefix, n);
        return this;
    }

    public Reply ToReply() => _w3 is null ? Reply.Raw(_w.WrittenSpan.ToArray()) : Reply.Shaped(_w.WrittenSpan.ToArray(), _w3.WrittenSpan.ToArray());
}

/// <summary>Doubles as Redis 7.0 writes and reads them</summary>
internal static class Scores
{
    /// <summary>A score reply: C's <c>%.17g</c>, with inf and -inf</summary>
    public static string Format(double d)
    {
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        if (d == Math.Floor(d) && Math.Abs(d) < 1e17) return ((long)d).ToString(CultureInfo.InvariantCulture);
        string s = d.ToString("G17", CultureInfo.InvariantCulture);
        int e = s.IndexOf('E');
        if (e < 0) return s;
        // C writes "1e+20" and at least two exponent digits; .NET writes "1E+20".
        string mantissa = s[..e], exp = s[(e + 2)..];
        if (exp.Length < 2) exp = "0" + exp;
        return mantissa + "e" + s[e + 1] + exp;
    }

    /// <summary>Longest score text accepted</summary>
    public const int MaxLength = 4096;

    /// <summary>Parses a score as strtod does (inf, -inf, +inf accepted; NaN and trailing junk refused)</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out double d)
    {
        d = 0;
        // Long enough for any double written out in full (DBL_MAX has 309 digits before the point, plus a fraction);
        // the bound keeps the text copied for parsing small.
        if (s.Length == 0 || s.Length > MaxLength || s[0] is (byte)' ' or (byte)'\t' || s[^1] is (byte)' ' or (byte)'\t') return false;
        string text = Encoding.ASCII.GetString(s);
        switch (text.ToLowerInvariant())
        {
            case "inf" or "+inf" or "infinity" or "+infinity": d = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": d = double.NegativeInfinity; return true;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out d)) return false;
        return !double.IsNaN(d) && !double.IsInfinity(d) && !(d == 0 && Underflows(text));
    }

    /// <summary>A non-zero mantissa that came out as 0: strtod reports ERANGE and Redis refuses it ("1e-400")</summary>
    static bool Underflows(string text)
    {
        foreach (char c in text)
        {
            if (c is 'e' or 'E') return false;
            if (c is >= '1' and <= '9') return true;
        }
        return false;
    }
}
