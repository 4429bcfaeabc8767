using System.Text;
using Stakker.Redis;

namespace Stakker.Redis.Tests;

// The keyspace's own hash table and expiry heap, against the BCL's collections as models.
public sealed class KeyTableTests
{
    static byte[] K(int i) => Encoding.ASCII.GetBytes("key:" + i);

    [Fact]
    public void RandomOperations_AgreeWithADictionary_ThroughGrowthAndShrinking()
    {
        var table = new KeyTable();
        var model = new Dictionary<string, Entry>();
        var random = new Random(11);
        for (int step = 0; step < 200_000; step++)
        {
            // Grows to a few thousand keys, then mostly deletes, so both resizes happen.
            int i = random.Next(step < 100_000 ? 5000 : 200);
            bool delete = step >= 100_000 ? random.Next(4) != 0 : random.Next(3) == 0;
            string name = "key:" + i;
            if (delete)
            {
                Assert.Equal(model.Remove(name), table.Remove(K(i)));
            }
            else
            {
                var e = new Entry(K(i));
                table.Set(e);
                model[name] = e;
            }
            Assert.Equal(model.Count, table.Count);
        }
        foreach (var (name, e) in model)
        {
            Assert.True(table.TryGetValue(Encoding.ASCII.GetBytes(name), out Entry? found));
            Assert.Same(e, found);
        }
        Assert.False(table.ContainsKey(K(99_999)));
        Assert.Equal(model.Values.OrderBy(e => Encoding.ASCII.GetString(e.Key)), table.ToArray().OrderBy(e => Encoding.ASCII.GetString(e.Key)));
    }

    [Fact]
    public void Set_OfAnExistingKey_ReplacesItsEntry()
    {
        var table = new KeyTable();
        var first = new Entry(K(1));
        var second = new Entry(K(1));
        table.Set(first);
        table.Set(second);
        Assert.Equal(1, table.Count);
        Assert.True(table.TryGetValue(K(1), out Entry? found));
        Assert.Same(second, found);
    }

    [Fact]
    public void Random_ReachesEveryKey()
    {
        var table = new KeyTable();
        for (int i = 0; i < 50; i++) table.Set(new Entry(K(i)));
        var seen = new HashSet<string>();
        var random = new Random(3);
        for (int i = 0; i < 5000; i++) seen.Add(Encoding.ASCII.GetString(table.Random(random)!.Key));
        Assert.Equal(50, seen.Count);
        Assert.Null(new KeyTable().Random(random));
    }

    [Fact]
    public void Enumerating_WhileTheTableChanges_Throws()
    {
        var table = new KeyTable();
        for (int i = 0; i < 10; i++) table.Set(new Entry(K(i)));
        Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (Entry e in table) table.Remove(e.Key);
        });
    }

    [Fact]
    public void ExpiryHeap_GivesKeysEarliestFirst_ThroughChangesAndRemovals()
    {
        var heap = new ExpiryHeap();
        var live = new List<Entry>();
        var random = new Random(5);
        for (int step = 0; step < 20_000; step++)
        {
            int op = random.Next(10);
            if (op < 5 || live.Count == 0)
            {
                var e = new Entry(K(step)) { ExpireAt = 1 + random.Next(1000) };
                heap.Add(e);
                live.Add(e);
            }
            else if (op < 8)
            {
                Entry e = live[random.Next(live.Count)];
                e.ExpireAt = 1 + random.Next(1000);
                heap.Changed(e);
            }
            else
            {
                Entry e = live[random.Next(live.Count)];
                heap.Remove(e);
                live.Remove(e);
            }
            Assert.Equal(live.Count, heap.Count);
            if (live.Count > 0) Assert.Equal(live.Min(e => e.ExpireAt), heap.First!.ExpireAt);
        }
        long last = 0;
        while (heap.First is { } first)
        {
            Assert.True(first.ExpireAt >= last);
            last = first.ExpireAt;
            heap.Remove(first);
        }
        Assert.Null(heap.First);
    }
}
