namespace Stakker.Redis;

/// <summary>Redis glob patterns (KEYS, PSUBSCRIBE): <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[^a-z]</c>, <c>\x</c></summary>
/// <remarks>
/// Matches as Redis's <c>stringmatchlen</c> does, but without its backtracking recursion: every
/// element other than <c>*</c> matches exactly one byte, so on a mismatch only the most recent star
/// needs to take one more byte (a later star can always do what an earlier one would). The cost is
/// at most O(pattern × text), so a planted pattern such as <c>*a*a*a*a*a*a*a*ab</c> cannot stall
/// the server's thread.
/// </remarks>
internal static class Glob
{
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text)
    {
        int p = 0, s = 0;
        // Where to resume after the last star: the element after it, and the text it has swallowed up to.
        int starP = -1, starS = 0;
        while (s < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                while (p < pattern.Length && pattern[p] == '*') p++;
                if (p == pattern.Length) return true;
                starP = p;
                starS = s;
                continue;
            }
            if (p < pattern.Length && MatchOne(pattern, ref p, text[s]))
            {
                s++;
                continue;
            }
            if (starP < 0) return false;
            p = starP;
            s = ++starS;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    /// <summary>Matches one non-star element at <paramref name="p"/> against <paramref name="c"/>; on success moves
    /// <paramref name="p"/> past it</summary>
    static bool MatchOne(ReadOnlySpan<byte> pattern, ref int p, byte c)
    {
        int i = p;
        bool match;
        switch (pattern[i])
        {
            case (byte)'?':
                match = true;
                break;
            case (byte)'[':
            {
                i++;
                bool not = i < pattern.Length && pattern[i] == '^';
                if (not) i++;
                match = false;
                for (;;)
                {
                    // An unclosed class ends with the pattern, as in Redis.
                    if (i >= pattern.Length) { i--; break; }
                    if (pattern[i] == '\\' && i + 1 < pattern.Length)
                    {
                        i++;
                        if (pattern[i] == c) match = true;
                    }
                    else if (pattern[i] == ']') break;
                    else if (i + 2 < pattern.Length && pattern[i + 1] == '-')
                    {
                        int lo = pattern[i], hi = pattern[i + 2];
                        if (lo > hi) (lo, hi) = (hi, lo);
                        if (c >= lo && c <= hi) match = true;
                        i += 2;
                    }
                    else if (pattern[i] == c) match = true;
                    i++;
                }
                if (not) match = !match;
                break;
            }
            case (byte)'\\':
                if (i + 1 < pattern.Length) i++;
                match = pattern[i] == c;
                break;
            default:
                match = pattern[i] == c;
                break;
        }
        if (match) p = i + 1;
        return match;
    }
}

/// <summary>Compares byte-array keys by content</summary>
internal sealed class ByteKeyComparer : IEqualityComparer<byte[]>
{
    public static readonly ByteKeyComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(byte[] key) => HashOf(key);

    /// <summary>The process-seeded hash of a key's bytes (no flooding with chosen keys)</summary>
    public static int HashOf(ReadOnlySpan<byte> key)
    {
        var h = new HashCode();
        h.AddBytes(key);
        return h.ToHashCode();
    }
}
