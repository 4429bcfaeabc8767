using System.Globalization;
using System.Numerics;
using System.Text;

namespace Stakker.Redis;

/// <summary>The x87 80-bit <c>long double</c> Redis uses for INCRBYFLOAT and HINCRBYFLOAT: a 64-bit significand,
/// rounded to nearest-even after parsing and after each addition, printed as <c>%.17Lf</c> without trailing zeros
/// (decision 024); exact arithmetic on <see cref="BigInteger"/>, so sums read back digit for digit as in Redis</summary>
internal readonly struct LongDouble(bool negative, BigInteger significand, int exponent)
{
    const int Bits = 64;
    readonly bool _negative = negative;
    /// <summary>Value = ±significand × 2^exponent, the significand below 2^64</summary>
    readonly BigInteger _m = significand;
    readonly int _e = exponent;

    /// <summary>Parses a decimal number (as strtold, without inf/nan or hex); false if it is not one</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out LongDouble value)
    {
        value = default;
        if (!Scores.TryParse(s, out double d)) return false;
        // Infinity parses (as strtold does) and makes any sum overflow.
        if (double.IsInfinity(d)) { value = new LongDouble(d < 0, BigInteger.One << (Bits - 1), 20_000); return true; }
        string text = Encoding.ASCII.GetString(s).Trim();
        bool neg = text.StartsWith('-');
        text = text.TrimStart('+', '-');
        int exp10 = 0;
        int ePos = text.IndexOfAny(['e', 'E']);
        if (ePos >= 0)
        {
            exp10 = int.Parse(text[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..ePos];
        }
        int dot = text.IndexOf('.');
        if (dot >= 0)
        {
            exp10 -= text.Length - dot - 1;
            text = text.Remove(dot, 1);
        }
        BigInteger digits = text.Length == 0 ? BigInteger.Zero : BigInteger.Parse(text, CultureInfo.InvariantCulture);
        value = exp10 >= 0
            ? Round(neg, digits * BigInteger.Pow(10, exp10), BigInteger.One, 0)
            : Round(neg, digits, BigInteger.Pow(10, -exp10), 0);
        return true;
    }

    /// <summary>±(num / den) × 2^exp rounded to a 64-bit significand, nearest-even</summary>
    static LongDouble Round(bool neg, BigInteger num, BigInteger den, int exp)
    {
        if (num.IsZero) return new LongDouble(false, BigInteger.Zero, 0);
        // Scale so that 2^63 <= num/den < 2^64.
        long shift = Bits - ((long)num.GetBitLength() - (long)den.GetBitLength());
        if (shift > 0) num <<= (int)shift; else den <<= (int)-shift;
        exp -= (int)shift;
        BigInteger limit = BigInteger.One << Bits, low = BigInteger.One << (Bits - 1);
        while (num / den >= limit) { den <<= 1; exp++; }
        while (num / den < low) { num <<= 1; exp--; }
        BigInteger q = BigInteger.DivRem(num, den, out BigInteger r);
        int c = (r * 2).CompareTo(den);
        if (c > 0 || (c == 0 && !q.IsEven)) q++;
        if (q == limit) { q >>= 1; exp++; }
        return new LongDouble(neg, q, exp);
    }

    public LongDouble Add(LongDouble other)
    {
        int e = Math.Min(_e, other._e);
        BigInteger a = (_negative ? -_m : _m) << (_e - e), b = (other._negative ? -other._m : other._m) << (other._e - e);
        BigInteger sum = a + b;
        return Round(sum.Sign < 0, BigInteger.Abs(sum), BigInteger.One, e);
    }

    /// <summary>Whether the value is beyond what <c>long double</c> holds (about 1.19e4932)</summary>
    public bool Overflows => !_m.IsZero && _e + Bits > 16384;

    /// <summary><c>%.17Lf</c> with trailing zeros (and a trailing point) removed</summary>
    public string ToHuman()
    {
        BigInteger scaled = _m * BigInteger.Pow(10, 17);
        BigInteger units;
        if (_e >= 0) units = scaled << _e;
        else
        {
            BigInteger den = BigInteger.One << -_e;
            units = BigInteger.DivRem(scaled, den, out BigInteger r);
            int c = (r * 2).CompareTo(den);
            if (c > 0 || (c == 0 && !units.IsEven)) units++;
        }
        string digits = units.ToString(CultureInfo.InvariantCulture).PadLeft(18, '0');
        string text = digits[..^17] + "." + digits[^17..];
        text = text.TrimEnd('0').TrimEnd('.');
        return (_negative && text != "0" ? "-" : "") + text;
    }
}
