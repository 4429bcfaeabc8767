using static Stakker.Redis.Tests.ShardedServer;

namespace Stakker.Redis.Tests;

/// <summary>What the test matrix on 2 and 4 Cores found wrong on a server of several Cores, each with keys on
/// chosen shards and connections on different Cores (decision 107)</summary>
public sealed class ShardedMatrixTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Scan_WithACursorItsShardDoesNotKnow_EndsTheIteration_InsteadOfGoingOnToTheNextShard(int cores)
    {
        using var host = Start(cores);
        var (a, b, all) = OnTwoCores(host);
        try
        {
            for (int s = 0; s < cores; s++)
                for (int i = 0; i < 20; i++) Assert.Equal("+OK", a.Call("SET", KeyOn(cores, s, "s" + s + "_" + i + "_"), "v"));
            // A made-up cursor naming shard 0 (a multiple of the shard count): one Core answers 0 and nothing.
            Assert.Equal("[0,[]]", b.Call("SCAN", (987654321L * cores).ToString(), "COUNT", "5"));

            // An iteration begun on shard 0, then FLUSHALL from a connection on another Core: the snapshot is gone.
            string first = a.Call("SCAN", "0", "COUNT", "5");
            string cursor = first[1..first.IndexOf(',')];
            Assert.NotEqual("0", cursor);
            Assert.Equal(0, (int)(ulong.Parse(cursor) % (ulong)cores));   // still on shard 0
            Assert.Equal("+OK", b.Call("FLUSHALL"));
            Assert.Equal("[0,[]]", a.Call("SCAN", cursor, "COUNT", "5"));
            // A malformed continuation still gets the syntax error, not the end.
            Assert.Equal("-ERR syntax error", a.Call("SCAN", cursor, "COUNT"));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Scan_OfASmallKeyspace_TakesEveryShardInOneCall_AsOneCoreDoes(int cores)
    {
        using var host = Start(cores);
        using var c = new RawClient(host.Port);
        // One key on the last shard only: shards 0.. are empty and hand on within the same SCAN.
        string only = KeyOn(cores, cores - 1, "only");
        Assert.Equal("+OK", c.Call("SET", only, "v"));
        Assert.Equal("[0,[" + only + "]]", c.Call("SCAN", "0"));
        Assert.Equal("[0,[]]", c.Call("SCAN", "0", "MATCH", "nothing*"));

        // A key on every shard, COUNT 2: pages stop once two keys are in, and every key comes back once.
        for (int s = 0; s < cores; s++) Assert.Equal("+OK", c.Call("SET", KeyOn(cores, s, "each"), "v"));
        var seen = new List<string>();
        string cursor = "0";
        int calls = 0;
        do
        {
            string page = c.Call("SCAN", cursor, "MATCH", "each*", "COUNT", "2");
            cursor = page[1..page.IndexOf(',')];
            string keys = page[(page.IndexOf(',') + 2)..^2];
            if (keys.Length > 0) seen.AddRange(keys.Split(','));
            calls++;
        } while (cursor != "0" && calls < 100);
        Assert.Equal(Enumerable.Range(0, cores).Select(s => KeyOn(cores, s, "each")).Order(), seen.Order());
        Assert.InRange(calls, (cores + 1) / 2, cores);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void DelAndMset_OnKeysOfSeveralShards_SendTheirEventsInTheKeysOrder(int cores)
    {
        using var host = Start(cores);
        var (c, sub, all) = OnTwoCores(host);
        try
        {
            // Keys on shards 1, 0, 1: asked of both shards at once, the two keys of shard 1 would come together.
            string x = KeyOn(cores, 1, "x"), y = KeyOn(cores, 0, "y"), z = KeyOn(cores, 1, "z");
            Assert.Equal("+OK", c.Call("CONFIG", "SET", "notify-keyspace-events", "Eg$"));
            Assert.Equal("[psubscribe,__keyevent@0__:*,:1]", sub.Call("PSUBSCRIBE", "__keyevent@0__:*"));
            for (int round = 0; round < 20; round++)
            {
                Assert.Equal("+OK", c.Call("MSET", x, "1", y, "2", z, "3"));
                Assert.Equal(":3", c.Call("DEL", x, y, z, "nosuch"));
                string[] events = [.. Enumerable.Range(0, 6).Select(_ => sub.ReadReply())];
                Assert.Equal(new[] { "set " + x, "set " + y, "set " + z, "del " + x, "del " + y, "del " + z },
                    events.Select(e => e.Split(',')[2]["__keyevent@0__:".Length..] + " " + e.Split(',')[3].TrimEnd(']')));
            }
            Assert.Equal("[(nil),(nil),(nil)]", c.Call("MGET", x, y, z));
        }
        finally
        {
            foreach (RawClient r in all) r.Dispose();
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void MemoryUsage_OfAKeyOnAnotherCoresShard_IsThatKeysSize(int cores)
    {
        using var host = Start(cores);
        var (a, b, all) = OnTwoCores(host);
        try
        {
            // A key on b's Core's shard, asked about from a: routed by the Core's own shard it was nil.
            string key = KeyOn(cores, CoreOf(b), "big");
            Assert.NotEqual(CoreOf(a), ShardOf(cores, key));
            Assert.Equal("+OK", b.Call("SET", key, new string('x', 10_000)));
            long size = long.Parse(a.Call("MEMORY", "USAGE", key)[1..]);
            Assert.InRange(size, 10_000, 11_000);
            Assert.Equal("(nil)", a.Call("MEMORY", "USAGE", KeyOn(cores, CoreOf(b), "missing")));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Eviction_TakesKeysOfEveryShard_NotOnlyOfTheWritersCore(int cores)
    {
        using var host = Start(cores);
        using var c = new RawClient(host.Port);
        using var sub = new RawClient(host.Port);
        for (int s = 0; s < cores; s++) Assert.Equal("+OK", c.Call("SET", KeyOn(cores, s, "e"), "v"));
        Assert.Equal("[psubscribe,__keyevent@0__:evicted,:1]", sub.Call("PSUBSCRIBE", "__keyevent@0__:evicted"));
        Assert.Equal("+OK", c.Call("CONFIG", "SET", "notify-keyspace-events", "Ee"));
        Assert.Equal("+OK", c.Call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru"));
        Assert.Equal("+OK", c.Call("CONFIG", "SET", "maxmemory", "1"));
        Assert.Equal(":0", c.Call("DBSIZE"));
        var evicted = Enumerable.Range(0, cores).Select(_ => sub.ReadReply()).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, cores).Select(s => "[pmessage,__keyevent@0__:evicted,__keyevent@0__:evicted," + KeyOn(cores, s, "e") + "]").Order(), evicted);
        Assert.Equal("+OK", c.Call("CONFIG", "SET", "maxmemory", "0"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Publish_AfterTheUnsubscribeIsConfirmed_NeverCountsTheSubscriber(int cores)
    {
        using var host = Start(cores);
        var (sub, pub, all) = OnTwoCores(host);
        try
        {
            // The pub/sub actor is on Core 0: at least one of the two connections is on another Core. The
            // race this guards is one cross-Core hop wide, so it is tried many times.
            for (int i = 0; i < 300; i++)
            {
                Assert.Equal("[subscribe,news,:1]", sub.Call("SUBSCRIBE", "news"));
                Assert.Equal("[unsubscribe,news,:0]", sub.Call("UNSUBSCRIBE", "news"));
                Assert.Equal(":0", pub.Call("PUBLISH", "news", "late"));
            }
            Assert.Equal("[psubscribe,n*,:1]", sub.Call("PSUBSCRIBE", "n*"));
            Assert.Equal("[punsubscribe,n*,:0]", sub.Call("PUNSUBSCRIBE", "n*"));
            Assert.Equal(":0", pub.Call("PUBLISH", "news", "late"));
            Assert.Equal("+PONG", sub.Call("PING"));   // nothing was delivered after the confirmation
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }
}
