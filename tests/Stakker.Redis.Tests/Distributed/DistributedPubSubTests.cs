using static Stakker.Redis.Tests.Distributed.DistributedCluster;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>Pub/sub and keyspace events carried between processes (item 5 of the brief). A subscriber's read waits
/// at most its socket's timeout (10 s) for a message.</summary>
public sealed class DistributedPubSubTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    const int Total = TwoProcesses.Total;

    [Fact]
    public void Publish_ReachesSubscribersOfBothProcesses_AndCountsThoseOfItsOwnOnly()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient subA = p.ToA(), subB = p.ToB(), pubA = p.ToA(), pubB = p.ToB();
        Assert.Equal("[subscribe,news,:1]", subA.Call("SUBSCRIBE", "news"));
        Assert.Equal("[subscribe,news,:1]", subB.Call("SUBSCRIBE", "news"));
        Assert.Equal("[subscribe,onlyB,:2]", subB.Call("SUBSCRIBE", "onlyB"));
        // One receiver on A: PUBLISH on A answers 1, as a Redis Cluster node counts its own subscribers only.
        Assert.Equal(":1", pubA.Call("PUBLISH", "news", "hello"));
        Assert.Equal("[message,news,hello]", subA.ReadReply());
        Assert.Equal("[message,news,hello]", subB.ReadReply());
        // None on A for this channel: 0, and B's subscriber has it all the same.
        Assert.Equal(":0", pubA.Call("PUBLISH", "onlyB", "for-b"));
        Assert.Equal("[message,onlyB,for-b]", subB.ReadReply());
        // The other way: published on B, heard on A, exactly once (the next message A hears is the next one sent).
        Assert.Equal(":1", pubB.Call("PUBLISH", "news", "from-b"));
        Assert.Equal("[message,news,from-b]", subA.ReadReply());
        Assert.Equal("[message,news,from-b]", subB.ReadReply());
        Assert.Equal(":1", pubB.Call("PUBLISH", "news", "second"));
        Assert.Equal("[message,news,second]", subA.ReadReply());
        Assert.Equal("[message,news,second]", subB.ReadReply());
    }

    [Fact]
    public void AMessageTooLargeToCross_ReachesThisProcesssSubscribers_AndTheServerGoesOn()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient subA = p.ToA(), subB = p.ToB(), pubA = p.ToA();
        Assert.Equal("[subscribe,news,:1]", subA.Call("SUBSCRIBE", "news"));
        Assert.Equal("[subscribe,news,:1]", subB.Call("SUBSCRIBE", "news"));
        // 700 KB: over what crosses between processes (half of NATS's 1 MB max_payload).
        string big = new('x', 700 * 1024);
        Assert.Equal(":1", pubA.Call("PUBLISH", "news", big));
        Assert.Equal("[message,news," + big + "]", subA.ReadReply());
        // The server is still there, and the next message reaches both processes; B never had the large one.
        Assert.Equal(":1", pubA.Call("PUBLISH", "news", "after"));
        Assert.Equal("[message,news,after]", subA.ReadReply());
        Assert.Equal("[message,news,after]", subB.ReadReply());
    }

    [Fact]
    public void KeyspaceEventsOfAWriteOnTheOtherProcesssShard_AreHeardHere_Once()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient subA = p.ToA(), a = p.ToA(), b = p.ToB();
        Assert.Equal("+OK", a.Call("CONFIG", "SET", "notify-keyspace-events", "KEA"));
        Assert.Equal("+OK", b.Call("CONFIG", "SET", "notify-keyspace-events", "KEA"));
        Assert.Equal("[psubscribe,__key*@0__:*,:1]", subA.Call("PSUBSCRIBE", "__key*@0__:*"));
        Assert.Equal("[subscribe,marker,:2]", subA.Call("SUBSCRIBE", "marker"));
        string kb = KeyOn(1, Total, "ev"), listOnB = KeyOn(1, Total, "evl");
        // Written through B on B's shard: A's subscriber hears the key's event and the event's key.
        Assert.Equal("+OK", b.Call("SET", kb, "v"));
        Assert.Equal($"[pmessage,__key*@0__:*,__keyspace@0__:{kb},set]", subA.ReadReply());
        Assert.Equal($"[pmessage,__key*@0__:*,__keyevent@0__:set,{kb}]", subA.ReadReply());
        // Written through A on B's shard: the event arises on B and comes back to A once, not twice.
        Assert.Equal(":1", a.Call("LPUSH", listOnB, "x"));
        Assert.Equal($"[pmessage,__key*@0__:*,__keyspace@0__:{listOnB},lpush]", subA.ReadReply());
        Assert.Equal($"[pmessage,__key*@0__:*,__keyevent@0__:lpush,{listOnB}]", subA.ReadReply());
        // B's marker comes after B's events on the same way: nothing else (no duplicate) was in between.
        Assert.Equal(":0", b.Call("PUBLISH", "marker", "end"));
        Assert.Equal("[message,marker,end]", subA.ReadReply());
    }
}

/// <summary>Pub/sub of a process of two Cores: what either Core publishes, and the events of either of its shards,
/// reach the other process once</summary>
public sealed class DistributedPubSubRangeTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    [Fact]
    public void PublishAndEventsFromEitherCoreOfAProcessOfTwoShards_ReachTheOtherProcessOnce()
    {
        const int total = ThreeShards.Total;
        using var three = new ThreeShards(nats.Url);
        RedisHost a = three.A, b = three.B;
        (RawClient a0, RawClient a1, List<RawClient> all) = ShardedServer.OnTwoCores(a);
        using var sub = new RawClient(b.Port);
        using var cb = new RawClient(b.Port);
        try
        {
            Assert.Equal("+OK", a0.Call("CONFIG", "SET", "notify-keyspace-events", "KEA"));
            Assert.Equal("[psubscribe,__keyevent@0__:*,:1]", sub.Call("PSUBSCRIBE", "__keyevent@0__:*"));
            Assert.Equal("[subscribe,ch,:2]", sub.Call("SUBSCRIBE", "ch"));
            Assert.Equal(":0", a0.Call("PUBLISH", "ch", "core-a"));
            Assert.Equal("[message,ch,core-a]", sub.ReadReply());
            Assert.Equal(":0", a1.Call("PUBLISH", "ch", "core-b"));
            Assert.Equal("[message,ch,core-b]", sub.ReadReply());
            // A write on each of A's shards: B hears each event once, then B's own marker.
            string k0 = KeyOn(0, total, "ev"), k1 = KeyOn(1, total, "ev");
            Assert.Equal("+OK", a1.Call("SET", k0, "v"));
            Assert.Equal($"[pmessage,__keyevent@0__:*,__keyevent@0__:set,{k0}]", sub.ReadReply());
            Assert.Equal("+OK", a0.Call("SET", k1, "v"));
            Assert.Equal($"[pmessage,__keyevent@0__:*,__keyevent@0__:set,{k1}]", sub.ReadReply());
            Assert.Equal(":1", cb.Call("PUBLISH", "ch", "marker"));
            Assert.Equal("[message,ch,marker]", sub.ReadReply());
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }
}
