using System.Text;
using Stakker.Redis;

namespace Stakker.Redis.Tests;

/// <summary>Alone: the memory test reads the whole process's heap, so no other test may allocate meanwhile</summary>
[CollectionDefinition(nameof(EntryTests), DisableParallelization = true)]
public sealed class EntryTestsCollection;

/// <summary>Short strings live in their key's array (decision 098): what that keeps and what it costs</summary>
[Collection(nameof(EntryTests))]
public sealed class EntryTests
{
    static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    static string Text(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);

    [Fact]
    public void AStringUpToTheLimit_IsInline_AndReadsBackWithItsKey()
    {
        var e = new Entry(B("user:1"));
        string shortest = new('x', Entry.InlineMax);
        e.Value = B(shortest);
        Assert.True(e.IsInline);
        Assert.True(e.IsString);
        Assert.Equal(shortest, Text(e.StrSpan));
        Assert.Equal("user:1", Text(e.Key));
        Assert.Equal("user:1", Text(e.KeySpan));
        Assert.Equal("$" + shortest, e.StrReply.ToString());
        Assert.Equal("user:1".Length + Entry.InlineMax, e.StoredLength);

        byte[] longer = B(shortest + "y");
        e.Value = longer;
        Assert.False(e.IsInline);
        Assert.Same(longer, e.Value);   // a long string is kept as it came, not copied
        Assert.Equal("user:1".Length, e.StoredLength);   // the inline bytes went with the old array
        Assert.Equal(shortest + "y", Text(e.StrSpan));
    }

    [Fact]
    public void AReplyMadeBeforeAWrite_KeepsTheValueItWasMadeFrom()
    {
        var e = new Entry(B("k"));
        e.Value = B("first");
        Reply before = e.StrReply;
        e.Value = B("second");
        e.SetString("12345"u8);
        Assert.Equal("$first", before.ToString());
        Assert.Equal("$12345", e.StrReply.ToString());
    }

    [Fact]
    public void AnInlineString_ReplacedByAnotherType_GivesItsBytesBack()
    {
        var e = new Entry(B("k"));
        e.Value = B("some text");
        var list = new ListValue();
        e.Value = list;
        Assert.False(e.IsString);
        Assert.Same(list, e.Value);
        Assert.Equal(1, e.StoredLength);
        Assert.Equal(0, e.StrSpan.Length);
        Assert.Equal("Nil", e.StrReply.Kind.ToString());
    }

    [Fact]
    public void AMillionKeyLoad_CostsAboutOneEntryAndOneArrayAKey()
    {
        // 100,000 keys as bench/redis-memory.sh stores them: "key:<i>" and 7 to 23 bytes of value. The
        // heap is the whole process's, so each trial measures the table alive and then dropped (what it
        // holds, whatever else lives). Objects other threads free meanwhile only add to a trial (a CI run
        // saw a median of 154), while the layout adds to every trial: the least of seven is judged.
        const int N = 100_000;
        var trials = new List<double>();
        for (int trial = 0; trial < 7; trial++)
        {
            KeyTable? table = Load(N);
            long with = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(table);
            table = null;
            long without = GC.GetTotalMemory(forceFullCollection: true);
            trials.Add((with - without) / (double)N);
        }
        trials.Sort();
        // An entry of 56 bytes, one array of 56 on average and a bucket slot of 8-16: about 125. With the
        // key and the value in arrays of their own (and a hash in the entry) it was about 155.
        Assert.True(trials[0] is >= 60 and <= 132, "bytes per key: " + string.Join(", ", trials.Select(t => t.ToString("F1"))));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static KeyTable Load(int n)
    {
        var table = new KeyTable();
        for (int i = 0; i < n; i++)
        {
            // Made as the parser makes them: garbage once stored (a short value is copied with its key).
            byte[] key = B("key:" + i);
            byte[] value = B("user:" + (i * 7919 % 1000003) + ":" + new string('x', i % 12));
            table.Set(new Entry(key) { Value = value });
        }
        return table;
    }
}
