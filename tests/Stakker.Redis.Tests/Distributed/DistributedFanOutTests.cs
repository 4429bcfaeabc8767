using static Stakker.Redis.Tests.Distributed.DistributedCluster;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>Commands on keys of both processes, and on the whole keyspace, gathered from both (item 2 of the brief)</summary>
public sealed class DistributedFanOutTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    const int Total = TwoProcesses.Total;

    /// <summary>Keys alternating between A's shard and B's: a0, b0, a1, b1...</summary>
    static string[] Mixed(string prefix, int perShard)
    {
        string[] a = KeysOn(0, Total, prefix, perShard), b = KeysOn(1, Total, prefix, perShard);
        return [.. a.Zip(b).SelectMany(p => new[] { p.First, p.Second })];
    }

    static string[] Items(string reply) => reply is "[]" ? [] : reply.Trim('[', ']').Split(',');

    [Fact]
    public void MsetAndMget_OverKeysOfBothProcesses_KeepTheOrderOfTheKeys()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA(), b = p.ToB();
        string[] keys = Mixed("m", 4);
        Assert.Equal("+OK", a.Call(["MSET", .. keys.SelectMany(k => new[] { k, "v-" + k })]));
        string missing = KeyOn(1, Total, "missing");
        Assert.Equal("[" + string.Join(",", keys.Select(k => "v-" + k)) + ",(nil)]", b.Call(["MGET", .. keys, missing]));
        Assert.Equal("[" + string.Join(",", keys.Select(k => "v-" + k)) + ",(nil)]", a.Call(["MGET", .. keys, missing]));
    }

    [Fact]
    public void ExistsTouchDelUnlink_CountKeysOfBothProcesses()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA(), b = p.ToB();
        string[] keys = Mixed("e", 3);
        Assert.Equal("+OK", b.Call(["MSET", .. keys.SelectMany(k => new[] { k, "x" })]));
        string missA = KeyOn(0, Total, "nope"), missB = KeyOn(1, Total, "nope");
        // A key named twice counts twice, as in Redis.
        Assert.Equal(":7", a.Call(["EXISTS", .. keys, keys[1], missA, missB]));
        Assert.Equal(":6", b.Call(["TOUCH", .. keys, missA, missB]));
        Assert.Equal(":2", a.Call("DEL", keys[0], keys[1], missB));
        Assert.Equal(":2", b.Call("UNLINK", keys[2], keys[3], missA));
        Assert.Equal(":2", a.Call(["EXISTS", .. keys]));
        Assert.Equal(":2", b.Call(["DEL", .. keys]));
        Assert.Equal(":0", a.Call("DBSIZE"));
    }

    [Fact]
    public void DbsizeKeysScanRandomkey_SeeTheWholeKeyspace()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA(), b = p.ToB();
        Assert.Equal("(nil)", a.Call("RANDOMKEY"));
        string[] keys = Mixed("w", 20);
        Assert.Equal("+OK", a.Call(["MSET", .. keys.SelectMany(k => new[] { k, "x" })]));
        foreach (RawClient c in new[] { a, b })
        {
            Assert.Equal(":40", c.Call("DBSIZE"));
            Assert.Equal(keys.Order(), Items(c.Call("KEYS", "*")).Order());
            // Every page of SCAN together: each key exactly once (COUNT small so there are several pages).
            (List<string> seen, int pages) = ScanAll(c, "COUNT", "5");
            Assert.True(pages > 1, "one page only: the test does not cover the move from shard to shard");
            Assert.Equal(keys.Order(), seen.Order());
        }
        // RANDOMKEY draws from both processes' shards: within bounded draws both are seen.
        var drawn = new HashSet<int>();
        for (int i = 0; i < 200 && drawn.Count < 2; i++)
        {
            string k = a.Call("RANDOMKEY");
            Assert.Contains(k, keys);
            drawn.Add(ShardOf(k, Total));
        }
        Assert.Equal(2, drawn.Count);
    }

    [Fact]
    public void SelectedDatabase_TravelsWithTheCommand_AndFlushdbFlushallReachBothProcesses()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA(), b = p.ToB();
        string kb = KeyOn(1, Total, "db"), ka = KeyOn(0, Total, "db");
        Assert.Equal("+OK", a.Call("SELECT", "3"));
        Assert.Equal("+OK", a.Call("SET", kb, "in3"));
        Assert.Equal("+OK", a.Call("SET", ka, "in3"));
        // B in db 0 does not see them; in db 3 it does.
        Assert.Equal("(nil)", b.Call("GET", kb));
        Assert.Equal(":0", b.Call("DBSIZE"));
        Assert.Equal("+OK", b.Call("SELECT", "3"));
        Assert.Equal("in3", b.Call("GET", kb));
        Assert.Equal("in3", b.Call("GET", ka));
        Assert.Equal(":2", b.Call("DBSIZE"));
        // Something in db 0 on both shards, then FLUSHDB of db 3 through A leaves db 0 alone.
        Assert.Equal("+OK", b.Call("SELECT", "0"));
        Assert.Equal("+OK", b.Call("MSET", ka, "in0", kb, "in0"));
        Assert.Equal("+OK", a.Call("FLUSHDB"));
        Assert.Equal(":0", a.Call("DBSIZE"));
        Assert.Equal(":2", b.Call("DBSIZE"));
        // FLUSHALL through B empties db 0 on both processes.
        Assert.Equal("+OK", a.Call("SET", kb, "again3"));
        Assert.Equal("+OK", b.Call("FLUSHALL"));
        Assert.Equal(":0", b.Call("DBSIZE"));
        Assert.Equal(":0", a.Call("DBSIZE"));
        Assert.Equal("(nil)", a.Call("GET", kb));
        Assert.Equal("+OK", a.Call("SELECT", "0"));
        Assert.Equal(":0", a.Call("DBSIZE"));
        Assert.Equal("[]", a.Call("KEYS", "*"));
    }
}
