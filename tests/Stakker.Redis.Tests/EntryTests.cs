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
        // 100,000 keys as bench/redis-memory.sh stores them: "key:<i>" and 7 to 23 bytes of value.
        const int N = 100_000;
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var keys = new byte[N][];
        var values = new byte[N][];
        for (int i = 0; i < N; i++)
        {
            keys[i] = B("key:" + i);
            values[i] = B("user:" + (i * 7919 % 1000003) + ":" + new string('x', i % 12));
        }
        var table = new KeyTable();
        for (int i = 0; i < N; i++)
        {
            var e = new Entry(keys[i]) { Value = values[i] };
            table.Set(e);
        }
        keys = null!;
        values = null!;   // what the parser made is garbage once stored
        long after = GC.GetTotalMemory(forceFullCollection: true);
        double perKey = (after - before) / (double)N;
        // An entry of 56 bytes, one array of 56 on average and a bucket slot of 8-16: about 125. With the
        // key and the value in arrays of their own (and a hash in the entry) it was about 155.
        Assert.InRange(perKey, 100, 132);
        GC.KeepAlive(table);
    }
}
