namespace Stakker.Redis;

/// <summary>Redis glob patterns (KEYS, PSUBSCRIBE): <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[^a-z]</c>, <c>\x</c></summary>
internal static class Glob
{
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text)
    {
        int p = 0, s = 0;
        while (p < pattern.Length)
        {
            byte c = pattern[p];
            if (c == '*')
            {
                while (p + 1 < pattern.Length && pattern[p + 1] == '*') p++;
                if (p + 1 == pattern.Length) return true;
                for (int k = s; k <= text.Length; k++)
                    if (IsMatch(pattern[(p + 1)..], text[k..])) return true;
                return false;
            }
            if (s >= text.Length) return false;
            switch (c)
            {
                case (byte)'?':
                    break;
                case (byte)'[':
                {
                    p++;
                    bool not = p < pattern.Length && pattern[p] == '^';
                    if (not) p++;
                    bool match = false;
                    for (;;)
                    {
                        if (p >= pattern.Length) { p--; break; }
                        if (pattern[p] == '\\' && p + 1 < pattern.Length)
                        {
                            p++;
                            if (pattern[p] == text[s]) match = true;
                        }
                        else if (pattern[p] == ']') break;
                        else if (p + 2 < pattern.Length && pattern[p + 1] == '-')
                        {
                            int lo = pattern[p], hi = pattern[p + 2];
                            if (lo > hi) (lo, hi) = (hi, lo);
                            if (text[s] >= lo && text[s] <= hi) match = true;
                            p += 2;
                        }
                        else if (pattern[p] == text[s]) match = true;
                        p++;
                    }
                    if (not) match = !match;
                    if (!match) return false;
                    break;
                }
                case (byte)'\\':
                    if (p + 1 < pattern.Length) p++;
                    if (pattern[p] != text[s]) return false;
                    break;
                default:
                    if (c != text[s]) return false;
                    break;
            }
            p++;
            s++;
        }
        return s == text.Length;
    }
}

/// <summary>Compares byte-array keys by content</summary>
internal sealed class ByteKeyComparer : IEqualityComparer<byte[]>
{
    public static readonly ByteKeyComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(byte[] key)
    {
        var h = new HashCode();
        h.AddBytes(key);
        return h.ToHashCode();
    }
}
