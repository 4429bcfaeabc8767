using StackExchange.Redis;
using static Stakker.Redis.Tests.Distributed.DistributedCluster;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>Replies that crossed NATS (ReplyWire) are the bytes a local shard sends: RESP3's doubles, maps, sets and
/// nulls, RESP2's flat shapes, errors, and binary keys and values (through StackExchange.Redis)</summary>
public sealed class DistributedReplyShapeTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    const int Total = TwoProcesses.Total;

    /// <summary>Sends a command and reads exactly the bytes <paramref name="expected"/> has</summary>
    static void Expect(RawClient c, string expected, params string[] args)
    {
        c.Send(RawClient.Frame(args));
        Assert.Equal(expected, c.ReadRaw(expected.Length));
    }

    [Fact]
    public void Resp3AndResp2Shapes_OfKeysOnTheOtherProcess_AreThoseOfKeysHere()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient r3 = p.ToA(), r2 = p.ToA();
        Assert.StartsWith("%", r3.Call("HELLO", "3"));
        // The same expectations for keys A holds and keys B holds (a hash tag pins each set to one shard).
        foreach (string t in new[] { TagOn(0, Total), TagOn(1, Total) })
        {
            Assert.Equal(":2", r2.Call("ZADD", t + "z", "1", "a", "2.5", "b"));
            Assert.Equal(":1", r2.Call("HSET", t + "h", "f", "v"));
            Assert.Equal(":1", r2.Call("SADD", t + "s", "m"));
            Expect(r3, ",2.5\r\n", "ZSCORE", t + "z", "b");
            Expect(r3, "*2\r\n,1\r\n_\r\n", "ZMSCORE", t + "z", "a", "nosuch");
            Expect(r3, "*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n", "ZRANGE", t + "z", "0", "-1", "WITHSCORES");
            Expect(r3, "%1\r\n$1\r\nf\r\n$1\r\nv\r\n", "HGETALL", t + "h");
            Expect(r3, "%0\r\n", "HGETALL", t + "nosuch");
            Expect(r3, "~1\r\n$1\r\nm\r\n", "SMEMBERS", t + "s");
            Expect(r3, "_\r\n", "GET", t + "nosuch");
            Expect(r3, "$3\r\n1.5\r\n", "INCRBYFLOAT", t + "f", "1.5");
            Expect(r2, "$3\r\n2.5\r\n", "ZSCORE", t + "z", "b");
            Expect(r2, "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n", "ZRANGE", t + "z", "0", "-1", "WITHSCORES");
            Expect(r2, "*2\r\n$1\r\nf\r\n$1\r\nv\r\n", "HGETALL", t + "h");
            Expect(r2, "$-1\r\n", "GET", t + "nosuch");
            Expect(r2, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "GET", t + "h");
            Expect(r2, "+zset\r\n", "TYPE", t + "z");
        }
    }

    [Fact]
    public void BinaryKeysAndValues_CrossBetweenProcessesUnchanged()
    {
        using var p = new TwoProcesses(nats.Url);
        using var toA = ConnectionMultiplexer.Connect($"127.0.0.1:{p.A.Port},abortConnect=true,connectTimeout=10000,syncTimeout=10000");
        using var toB = ConnectionMultiplexer.Connect($"127.0.0.1:{p.B!.Port},abortConnect=true,connectTimeout=10000,syncTimeout=10000");
        IDatabase a = toA.GetDatabase(), b = toB.GetDatabase();
        byte[] every = [.. Enumerable.Range(0, 256).Select(i => (byte)i), .. "\r\n$-1\r\n"u8.ToArray()];
        string kb = KeyOn(1, Total, "bin"), ka = KeyOn(0, Total, "bin");
        Assert.True(a.StringSet(kb, every));
        Assert.Equal(every, (byte[]?)b.StringGet(kb));
        Assert.Equal(every, (byte[]?)a.StringGet(kb));
        // A hash's binary field values, and a binary key name (on B's shard: its last byte chosen for that), both ways.
        string hb = KeyOn(1, Total, "hash");
        b.HashSet(hb, [new HashEntry("f1", every), new HashEntry("f2", "two")]);
        Assert.Equal(every, (byte[]?)a.HashGet(hb, "f1"));
        byte[] binaryKey = Enumerable.Range(0, 256).Select(last => (byte[])[0, 13, 10, 255, (byte)last])
            .First(k => KeySlot.ShardOf(KeySlot.Of(k), Total) == 1);
        Assert.True(b.StringSet(binaryKey, every));
        Assert.Equal(every, (byte[]?)a.StringGet(binaryKey));
        Assert.Equal(1, a.KeyDelete([(RedisKey)binaryKey, (RedisKey)ka]));
        Assert.False(b.KeyExists(binaryKey));
    }
}
