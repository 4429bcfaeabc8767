namespace Stakker.Redis;

/// <summary>Random positions in a collection for HRANDFIELD, SRANDMEMBER and SPOP with a count</summary>
/// <remarks>A negative count asks for that many independent draws, which may repeat: Redis streams them
/// out however many there are, here a reply is built first, so one reply is held to <see cref="MaxDraws"/>.</remarks>
internal static class RandomPicks
{
    /// <summary>Most elements one random-with-repeats reply may hold</summary>
    public const long MaxDraws = 1 << 24;

    public static readonly Reply TooManyDraws = Reply.Error("ERR count is too large: one reply holds at most " + MaxDraws + " random elements");

    /// <summary><paramref name="count"/> positions below <paramref name="size"/>, each drawn independently</summary>
    public static int[] Repeated(int size, long count)
    {
        var picks = new int[count];
        for (int i = 0; i < picks.Length; i++) picks[i] = Random.Shared.Next(size);
        return picks;
    }

    /// <summary>min(<paramref name="count"/>, <paramref name="size"/>) distinct positions below <paramref name="size"/>,
    /// in random order; O(count) when count is small against size, else O(size)</summary>
    public static int[] Distinct(int size, long count)
    {
        if (count >= size)
        {
            var all = new int[size];
            for (int i = 0; i < size; i++) all[i] = i;
            return all;
        }
        var picks = new int[count];
        if (count * 3 < size)
        {
            // Few of many: draw until unseen (each draw is new with probability above 2/3).
            var seen = new HashSet<int>();
            for (int i = 0; i < picks.Length;)
            {
                int p = Random.Shared.Next(size);
                if (seen.Add(p)) picks[i++] = p;
            }
            return picks;
        }
        // Many of many: the first count of a partial shuffle.
        var order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        for (int i = 0; i < picks.Length; i++)
        {
            int j = Random.Shared.Next(i, size);
            (order[i], order[j]) = (order[j], order[i]);
            picks[i] = order[i];
        }
        return picks;
    }
}
