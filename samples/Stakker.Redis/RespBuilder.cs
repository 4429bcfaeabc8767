using System.Buffers;
using System.Globalization;
using System.Text;

namespace Stakker.Redis;

/// <summary>Builds a reply whose shape <see cref="Reply"/> has no kind for (nested arrays, integer arrays,
/// scores) as RESP2 bytes</summary>
internal sealed class RespBuilder
{
    readonly ArrayBufferWriter<byte> _w = new(64);

    public RespBuilder Array(long count) { Resp.WriteHeader(_w, (byte)'*', count); return this; }
    public RespBuilder Bulk(ReadOnlySpan<byte> bytes) { Resp.WriteBulk(_w, bytes); return this; }
    public RespBuilder Bulk(string text) { Resp.WriteBulk(_w, text); return this; }
    public RespBuilder Int(long n) { Resp.WriteInteger(_w, n); return this; }
    public RespBuilder Nil() { Resp.WriteNil(_w); return this; }
    public RespBuilder NullArray() { Resp.WriteRaw(_w, "*-1\r\n"u8); return this; }
    public RespBuilder Score(double d) => Bulk(Scores.Format(d));

    public Reply ToReply() => Reply.Raw(_w.WrittenSpan.ToArray());
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
