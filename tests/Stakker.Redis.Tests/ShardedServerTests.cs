using System.Text;
using Stakker.Redis;

using static Stakker.Redis.Tests.ShardedServer;

namespace Stakker.Redis.Tests;

/// <summary>A server of several Cores (--cores N): keys sharded by hash over the Cores, connections spread by
/// the kernel over one listener per Core; what works across shards, and what is refused with CROSSSLOT</summary>
public sealed class ShardedServerTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void KeysWrittenOnOneCore_AreReadOnAnother_AndTheWholeKeyspaceCommandsSeeEveryShard(int cores)
    {
        using var host = Start(cores);
        var (writer, reader, all) = OnTwoCores(host);
        try
        {
            for (int i = 0; i < 200; i++) Assert.Equal("+OK", writer.Call("SET", "key:" + i, "v" + i));
            for (int i = 0; i < 200; i += 7) Assert.Equal("v" + i, reader.Call("GET", "key:" + i));
            Assert.Equal(":200", reader.Call("DBSIZE"));
            Assert.Equal(200, reader.Call("KEYS", "key:*").Split(',').Length);

            string[] keys = [.. Enumerable.Range(0, 50).Select(i => "key:" + (i * 3))];
            Assert.Equal("[" + string.Join(",", keys.Select(k => "v" + k[4..])) + "]", reader.Call(["MGET", .. keys]));
            Assert.Equal("+OK", reader.Call(["MSET", .. Enumerable.Range(0, 40).SelectMany(i => new[] { "m" + i, "x" + i })]));
            Assert.Equal("[x0,x17,(nil),x39]", writer.Call("MGET", "m0", "m17", "nope", "m39"));
            Assert.Equal(":3", writer.Call("EXISTS", "m0", "m1", "nope", "m2"));
            Assert.Equal(":40", writer.Call(["DEL", .. Enumerable.Range(0, 40).Select(i => "m" + i), "nope"]));
            Assert.Equal("+OK", writer.Call("FLUSHALL"));
            Assert.Equal(":0", reader.Call("DBSIZE"));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    [Fact]
    public void ACommandOnKeysOfTwoShards_ChecksItsKeysBeforeChangingAnything()
    {
        using var host = Start(2);
        using var c = new RawClient(host.Port);
        var (a, b) = KeysOnTwoShards(2);
        Assert.Equal("+OK", c.Call("SET", a, "1"));
        Assert.StartsWith("-WRONGTYPE", c.Call("BLMOVE", a, b, "LEFT", "LEFT", "0"));
        Assert.StartsWith("-WRONGTYPE", c.Call("BRPOPLPUSH", a, b, "0"));
        Assert.Equal("1", c.Call("GET", a));   // nothing was changed
    }

    [Fact]
    public void ATransactionOnOneShard_RunsWherever_ItsClientIsServed_AndOneAcrossShardsRuns()
    {
        using var host = Start(2);
        var (first, second, all) = OnTwoCores(host);
        try
        {
            var (a, b) = KeysOnTwoShards(2);
            foreach (RawClient c in new[] { first, second })
            {
                Assert.Equal("+OK", c.Call("WATCH", a));
                Assert.Equal("+OK", c.Call("MULTI"));
                Assert.Equal("+QUEUED", c.Call("INCR", a));
                Assert.Equal("+QUEUED", c.Call("GET", a));
                string result = c.Call("EXEC");
                Assert.Matches(@"^\[:\d,\d\]$", result);
            }
            Assert.Equal("2", first.Call("GET", a));

            Assert.Equal("+OK", first.Call("MULTI"));
            Assert.Equal("+QUEUED", first.Call("SET", a, "x"));
            Assert.Equal("+QUEUED", first.Call("SET", b, "y"));
            Assert.Equal("[+OK,+OK]", first.Call("EXEC"));   // keys on two shards: decision 103
            Assert.Equal("x", second.Call("GET", a));
            Assert.Equal("y", second.Call("GET", b));

            // A watched key changed by a client on the other Core aborts the transaction.
            Assert.Equal("+OK", first.Call("WATCH", a));
            Assert.Equal("+OK", second.Call("SET", a, "changed"));
            Assert.Equal("+OK", first.Call("MULTI"));
            Assert.Equal("+QUEUED", first.Call("SET", a, "mine"));
            Assert.Equal("(nil)", first.Call("EXEC"));
            Assert.Equal("changed", second.Call("GET", a));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    [Fact]
    public void APipelineLongerThanTheCrossCoreCapacity_WaitsForRoom_AndEveryCommandIsAnswered()
    {
        // Eight calls on the way from one Core to another at most: a client pipelining 2,000 commands
        // over keys of both shards would overflow it; parsing waits for room instead of failing the client.
        using var host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = 2, CrossCoreCapacity = 8 });
        using var c = new RawClient(host.Port);
        var frames = new List<byte>();
        for (int i = 0; i < 2000; i++) frames.AddRange(RawClient.Frame("SET", "p:" + i, "v" + i));
        c.Send([.. frames]);
        for (int i = 0; i < 2000; i++) Assert.Equal("+OK", c.ReadReply());
        Assert.Equal(":2000", c.Call("DBSIZE"));
        Assert.Equal("v1999", c.Call("GET", "p:1999"));
    }

    [Fact]
    public void ConfigSetOnOneCore_AppliesOnEveryCore()
    {
        using var host = Start(2);
        var (first, second, all) = OnTwoCores(host);
        try
        {
            Assert.Equal("+OK", first.Call("CONFIG", "SET", "notify-keyspace-events", "KEA", "hash-max-listpack-entries", "7"));
            Assert.Equal("[hash-max-listpack-entries,7]", second.Call("CONFIG", "GET", "hash-max-listpack-entries"));
            Assert.Equal("[notify-keyspace-events,AKE]", second.Call("CONFIG", "GET", "notify-keyspace-events"));
            // A key event on either shard reaches a subscriber on either Core.
            var (a, b) = KeysOnTwoShards(2);
            Assert.Equal("[psubscribe,__keyevent@0__:*,:1]", first.Call("PSUBSCRIBE", "__keyevent@0__:*"));
            Assert.Equal("+OK", second.Call("SET", a, "1"));
            Assert.Equal("+OK", second.Call("SET", b, "1"));
            // The confirmation came after the pub/sub actor (on the first Core) had the subscription, and
            // the second SET was sent after the first's reply: both events arrive, in that order.
            Assert.Equal("[pmessage,__keyevent@0__:*,__keyevent@0__:set," + a + "]", first.ReadReply());
            Assert.Equal("[pmessage,__keyevent@0__:*,__keyevent@0__:set," + b + "]", first.ReadReply());
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    [Fact]
    public void PublishOnOneCore_ReachesSubscribersOnEveryCore_AndClientIdsAreUniqueAcrossCores()
    {
        using var host = Start(2);
        var (first, second, all) = OnTwoCores(host);
        try
        {
            var ids = all.Select(c => c.Call("CLIENT", "ID")).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());

            // Many rounds: a PUBLISH sent right after the confirmation, from another Core, always reaches
            // the subscriber, and nothing arrives for a channel after its UNSUBSCRIBE is confirmed.
            for (int i = 0; i < 50; i++)
            {
                Assert.Equal("[subscribe,news" + i + ",:1]", first.Call("SUBSCRIBE", "news" + i));
                Assert.Equal(":1", second.Call("PUBLISH", "news" + i, "hello"));
                Assert.Equal("[message,news" + i + ",hello]", first.ReadReply());
                Assert.Equal("[unsubscribe,news" + i + ",:0]", first.Call("UNSUBSCRIBE", "news" + i));
            }
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }
}
