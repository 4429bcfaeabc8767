using static Stakker.Redis.Tests.Distributed.DistributedCluster;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>One keyspace over two processes: a key written through either process is read through the other,
/// whichever of them holds it (items 1 and 9 of the brief)</summary>
public sealed class DistributedKeysTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    /// <summary>Writes through <paramref name="writer"/> and reads through <paramref name="reader"/> a key of each type</summary>
    static void WriteAndRead(RawClient writer, RawClient reader, string key)
    {
        Assert.Equal("+OK", writer.Call("SET", key + "s", "v1"));
        Assert.Equal("v1", reader.Call("GET", key + "s"));
        Assert.Equal(":1", writer.Call("INCR", key + "n"));
        Assert.Equal(":6", reader.Call("INCRBY", key + "n", "5"));
        Assert.Equal("6", writer.Call("GET", key + "n"));
        Assert.Equal(":2", writer.Call("HSET", key + "h", "f1", "a", "f2", "b"));
        Assert.Equal("[f1,a,f2,b]", reader.Call("HGETALL", key + "h"));
        Assert.Equal(":3", writer.Call("LPUSH", key + "l", "c", "b", "a"));
        Assert.Equal("[a,b,c]", reader.Call("LRANGE", key + "l", "0", "-1"));
        Assert.Equal(":2", writer.Call("ZADD", key + "z", "2.5", "y", "1", "x"));
        Assert.Equal("[x,1,y,2.5]", reader.Call("ZRANGE", key + "z", "0", "-1", "WITHSCORES"));
        Assert.Equal(":3", writer.Call("SADD", key + "t", "m1", "m2", "m3"));
        Assert.Equal("[m1,m2,m3]", "[" + string.Join(",", reader.Call("SMEMBERS", key + "t").Trim('[', ']').Split(',').Order()) + "]");
        Assert.Equal(":1", writer.Call("EXPIRE", key + "s", "100"));
        Assert.InRange(int.Parse(reader.Call("TTL", key + "s")[1..]), 95, 100);
        Assert.Equal(":-1", reader.Call("TTL", key + "h"));
    }

    [Fact]
    public void KeysOfTheOtherProcess_WrittenThroughOne_AreReadThroughTheOther()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA(), b = p.ToB();
        // Each key is a hash tag and a suffix, so all of one call's keys are on the tag's shard.
        string onA = TagOn(0, TwoProcesses.Total), onB = TagOn(1, TwoProcesses.Total);
        // A writes keys B holds, and B reads them where they live.
        WriteAndRead(a, b, onB + "fromA:");
        // Six keys, all on B's shard: they were stored there, not in A.
        Assert.Equal((0, 6), (ShardKeys(b, 0), ShardKeys(b, 1)));
        // The other way round, then each process's own keys read across by the other.
        WriteAndRead(b, a, onA + "fromB:");
        WriteAndRead(a, b, onA + "ownA:");
        WriteAndRead(b, a, onB + "ownB:");
        Assert.Equal((12, 12), (ShardKeys(a, 0), ShardKeys(a, 1)));
    }

    static int ShardKeys(RawClient c, int shard)
    {
        string info = c.Call("INFO", "shards");
        string line = info.Split('\n').Single(l => l.StartsWith("shard" + shard + ":", StringComparison.Ordinal));
        return int.Parse(line.Split(',').Single(f => f.StartsWith("keys=", StringComparison.Ordinal))["keys=".Length..]);
    }

    [Fact]
    public void ThreeShards_TwoOnOneProcess_EveryKeyIsReadableFromBothProcesses()
    {
        const int total = ThreeShards.Total;
        using var three = new ThreeShards(nats.Url);
        RedisHost a = three.A, b = three.B;
        // Connections to A on each of its two Cores, so both Cores' routes to every shard are used.
        (RawClient a0, RawClient a1, List<RawClient> all) = ShardedServer.OnTwoCores(a);
        using var bc = new RawClient(b.Port);
        try
        {
            string[] keys = [.. Enumerable.Range(0, total).SelectMany(s => KeysOn(s, total, "r" + s + ":", 3))];
            RawClient[] writers = [a0, a1, bc];
            for (int i = 0; i < keys.Length; i++) Assert.Equal("+OK", writers[i % 3].Call("SET", keys[i], "v" + i));
            foreach (RawClient reader in writers)
            {
                for (int i = 0; i < keys.Length; i++) Assert.Equal("v" + i, reader.Call("GET", keys[i]));
                Assert.Equal("[" + string.Join(",", keys.Select((_, i) => "v" + i)) + "]", reader.Call(["MGET", .. keys]));
                Assert.Equal(":" + keys.Length, reader.Call("DBSIZE"));
                Assert.Equal(keys.Order(), ScanAll(reader, "COUNT", "2").Keys.Order());
            }
            // Two shards of one process: a move between them stays within the process and is allowed.
            string k0 = KeyOn(0, total, "mv"), k1 = KeyOn(1, total, "mv");
            Assert.Equal("+OK", bc.Call("SET", k0, "moved"));
            Assert.Equal("+OK", a0.Call("RENAME", k0, k1));
            Assert.Equal("moved", bc.Call("GET", k1));
            Assert.Equal("(nil)", a1.Call("GET", k0));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }
}
