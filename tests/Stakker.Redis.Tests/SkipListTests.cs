using System.Text;
using CsCheck;

namespace Stakker.Redis.Tests;

// The sorted-set order (decision 022): a skip list checked against a plain model under random
// operations, and counted comparisons showing O(log n) rather than O(n) work per operation.
public sealed class SkipListTests
{
    static byte[] M(int i) => Encoding.ASCII.GetBytes("m" + i);

    /// <summary>Every link, span, backward pointer, count and the tail agree with the model's order</summary>
    static void CheckInvariants(SkipList list, List<(double Score, byte[] Member)> model)
    {
        Assert.Equal(model.Count, list.Count);
        int i = 0;
        SkipNode? prev = null;
        for (SkipNode? n = list.First; n is not null; n = n.Next, i++)
        {
            Assert.Equal(model[i].Score, n.Score);
            Assert.Equal(model[i].Member, n.Member);
            Assert.Same(prev, n.Backward);
            Assert.Same(n, list.ByRank(i + 1));
            Assert.Equal(i + 1, list.Rank(n.Score, n.Member));
            prev = n;
        }
        Assert.Equal(model.Count, i);
        Assert.Same(prev, list.Last);
        // At every level, the spans of the links from the head add up to the rank of the node they reach.
        for (int level = 0; level < list.Level; level++)
        {
            long rank = 0;
            for (SkipNode x = list.Head; x.Levels[level].Forward is { } f; x = f)
            {
                rank += x.Levels[level].Span;
                Assert.Same(f, list.ByRank(rank));
            }
        }
    }

    static int CompareEntries((double Score, byte[] Member) x, (double Score, byte[] Member) y)
    {
        int c = x.Score.CompareTo(y.Score);
        return c != 0 ? c : x.Member.AsSpan().SequenceCompareTo(y.Member);
    }

    [Fact]
    public void RandomOperations_KeepTheOrderAndSpans()
    {
        // (operation, member, score): 0-1 add or re-score, 2 delete.
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 40], Gen.Int[-4, 4]).Array[0, 200].Sample(ops =>
        {
            var z = new SortedSetValue();
            var model = new Dictionary<int, double>();
            foreach (var (op, m, score) in ops)
            {
                if (op < 2)
                {
                    Assert.Equal(!model.ContainsKey(m), z.Set(M(m), score));
                    model[m] = score;
                }
                else Assert.Equal(model.Remove(m), z.Remove(M(m)));
            }
            var expected = model.Select(kv => ((double)kv.Value, M(kv.Key))).ToList();
            expected.Sort(CompareEntries);
            CheckInvariants(z.Order, expected);
            foreach (var (m, score) in model) Assert.True(z.TryGetScore(M(m), out double s) && s == score);
        }, iter: 300);
    }

    [Fact]
    public void RangeSearches_FindTheEdgesOfAScoreRange()
    {
        Gen.Select(Gen.Int[0, 30].Array[0, 60], Gen.Int[-2, 32], Gen.Int[-2, 32]).Sample((scores, lo, hi) =>
        {
            var list = new SkipList(new Random(1));
            for (int i = 0; i < scores.Length; i++) list.Insert(scores[i], M(i));
            SkipNode? first = list.FirstNotBelow(lo, static (lo, n) => n.Score < lo);
            SkipNode? last = list.LastWithin(hi, static (hi, n) => n.Score <= hi);
            var sorted = scores.Order().ToArray();
            int firstIndex = Array.FindIndex(sorted, s => s >= lo);
            int lastIndex = Array.FindLastIndex(sorted, s => s <= hi);
            Assert.Equal(firstIndex < 0 ? null : sorted[firstIndex], first?.Score);
            Assert.Equal(lastIndex < 0 ? null : sorted[lastIndex], last?.Score);
        }, iter: 300);
    }

    /// <summary>Average comparisons for one rank look-up in a list of <paramref name="n"/> members</summary>
    static double ComparisonsPerLookup(int n)
    {
        var list = new SkipList(new Random(42));
        var order = Enumerable.Range(0, n).ToArray();
        new Random(7).Shuffle(order);
        foreach (int i in order) list.Insert(i, M(i));
        list.Comparisons = 0;
        const int Lookups = 2000;
        var pick = new Random(3);
        for (int k = 0; k < Lookups; k++)
        {
            int i = pick.Next(n);
            Assert.Equal(i + 1, list.Rank(i, M(i)));
        }
        return (double)list.Comparisons / Lookups;
    }

    [Fact]
    public void Lookups_TakeLogarithmicComparisons()
    {
        double small = ComparisonsPerLookup(1_000), large = ComparisonsPerLookup(64_000);
        // With p = 1/4 the expected cost is about 2 log2(n) comparisons: ~20 at 1,000, ~32 at 64,000.
        // Linear work would grow 64-fold between the two; logarithmic grows by about 1.6.
        Assert.True(large < 4 * Math.Log2(64_000), $"{large} comparisons per look-up at 64,000 members");
        Assert.True(large / small < 2.5, $"{small} at 1,000 members, {large} at 64,000");
    }
}
