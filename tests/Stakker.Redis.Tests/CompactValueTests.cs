using System.Text;
using CsCheck;

namespace Stakker.Redis.Tests;

// The compact forms of small hashes and sets (decision 073): the packed hash and the integer set agree
// with a plain dictionary and set under random operations, and change form exactly where Redis 7.0.15 does.
public sealed class CompactValueTests
{
    static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    static string Text(byte[] b) => Encoding.ASCII.GetString(b);

    [Fact]
    public void PackedHash_AgreesWithADictionary_UnderRandomWrites()
    {
        // op 0: set, 1: remove, 2: clone and keep writing to the original; keys and values of varied lengths.
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 25], Gen.Int[0, 104].Select(n => new string('v', n))).Array[0, 120].Sample(ops =>
        {
            var limits = new EncodingThresholds { HashMaxEntries = 16, HashMaxValue = 100 };
            var h = new HashValue();
            var model = new Dictionary<string, string>();
            HashValue? clone = null;
            Dictionary<string, string>? cloneModel = null;
            bool everBig = false;
            foreach (var (op, k, v) in ops)
            {
                string field = "f" + k;
                if (op == 0)
                {
                    Assert.Equal(!model.ContainsKey(field), h.Set(B(field), B(v), limits));
                    model[field] = v;
                    everBig |= v.Length > limits.HashMaxValue || model.Count > limits.HashMaxEntries;
                }
                else if (op == 1) Assert.Equal(model.Remove(field), h.Remove(B(field)));
                else
                {
                    clone = h.Clone();
                    cloneModel = new Dictionary<string, string>(model);
                }
                Assert.Equal(model.Count, h.Count);
                // One way: once past a threshold the hash never packs again (as Redis).
                Assert.Equal(!everBig, h.IsPacked);
            }
            Assert.Equal(model.OrderBy(p => p.Key), h.Pairs.Select(p => KeyValuePair.Create(Text(p.Field), Text(p.Value))).OrderBy(p => p.Key));
            foreach (var (f, v) in model)
            {
                Assert.True(h.TryGet(B(f), out byte[]? got));
                Assert.Equal(v, Text(got));
                Assert.Equal(v.Length, h.ValueLength(B(f)));
            }
            Assert.False(h.ContainsKey(B("absent")));
            if (clone is not null)
                Assert.Equal(cloneModel!.OrderBy(p => p.Key), clone.Pairs.Select(p => KeyValuePair.Create(Text(p.Field), Text(p.Value))).OrderBy(p => p.Key));
        });
    }

    [Fact]
    public void IntSet_AgreesWithASet_AndListsMembersInAscendingOrder()
    {
        // Mostly integers; "x" members and non-canonical forms ("007", "+1", "-0") are not integers to Redis.
        var member = Gen.OneOf(Gen.Int[-50, 50].Select(i => i.ToString()), Gen.Const("x"), Gen.Const("007"), Gen.Const("+1"), Gen.Const("-0"),
            Gen.Const("9223372036854775807"), Gen.Const("-9223372036854775808"), Gen.Const("9223372036854775808"));
        Gen.Select(Gen.Bool, member).Array[0, 100].Sample(ops =>
        {
            var limits = new EncodingThresholds { SetMaxIntsetEntries = 20 };
            var s = new SetValue();
            var model = new HashSet<string>();
            bool everBig = false;
            foreach (var (add, m) in ops)
            {
                if (add)
                {
                    Assert.Equal(model.Add(m), s.Add(B(m), limits));
                    everBig |= !RespParser.TryParseLong(B(m), out _) || model.Count > limits.SetMaxIntsetEntries;
                }
                else Assert.Equal(model.Remove(m), s.Remove(B(m)));
                Assert.Equal(model.Count, s.Count);
                Assert.Equal(!everBig, s.IsIntSet);
            }
            var members = s.ToArray().Select(Text).ToArray();
            Assert.Equal(model.Order(), members.Order());
            if (s.IsIntSet) Assert.Equal(members.Select(long.Parse).Order(), members.Select(long.Parse));
            foreach (string m in model) Assert.True(s.Contains(B(m)));
            Assert.False(s.Contains(B("nope")));
        });
    }

    [Fact]
    public void SetTable_RandomMembersAreUniform()
    {
        var limits = new EncodingThresholds();
        var s = new SetValue();
        for (int i = 0; i < 10; i++) s.Add(B("m" + i), limits);
        var counts = new int[10];
        for (int i = 0; i < 100_000; i++) counts[int.Parse(Text(s.Random())[1..])]++;
        // Each should be near 10,000; 9,000..11,000 is over 30 standard deviations wide.
        Assert.All(counts, c => Assert.InRange(c, 9_000, 11_000));
    }

    [Fact]
    public void HashRandomPair_IsUniform_PackedAndAsATable()
    {
        foreach (int fields in new[] { 10, 1000 })
        {
            var limits = new EncodingThresholds { HashMaxEntries = 100 };
            var h = new HashValue();
            for (int i = 0; i < fields + 5; i++) h.Set(B("f" + i), B("v" + i), limits);
            for (int i = fields; i < fields + 5; i++) h.Remove(B("f" + i));
            Assert.Equal(fields <= 100, h.IsPacked);
            int draws = fields * 100;
            var counts = new int[fields];
            for (int i = 0; i < draws; i++)
            {
                var (f, v) = h.RandomPair();
                int n = int.Parse(Text(f)[1..]);
                Assert.Equal("v" + n, Text(v));
                counts[n]++;
            }
            // 100 expected per field, standard deviation about 10: 40..160 is six of them.
            Assert.All(counts, c => Assert.InRange(c, 40, 160));
        }
    }

    [Fact]
    public void DistinctPicks_AreDistinct_AndCoverTheSet()
    {
        Gen.Select(Gen.Int[1, 300], Gen.Int[0, 400]).Sample((size, count) =>
        {
            int[] picks = RandomPicks.Distinct(size, count);
            Assert.Equal(Math.Min(size, count), picks.Length);
            Assert.Equal(picks.Length, picks.Distinct().Count());
            Assert.All(picks, p => Assert.InRange(p, 0, size - 1));
        });
    }
}
