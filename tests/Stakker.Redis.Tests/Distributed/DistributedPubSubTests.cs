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
    public void KeyspaceEventsOfAWriteOnTheOtherProcesssShard_AreHeardHere_Once()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient subA = p.ToA(), a = p.ToA(), b = p.ToB();
        Assert.Equal("+OK", a.Call("CONFIG", "SET", "notify-keyspace-events", "KEA"));
        Assert.Equal("+OK", b.Call("CONFIG", "SET", "notify-keyspace-events", "KEA"));
        Assert.Equal("[psubscribe,__key*@0__:*,:1]", subA.Call("PSUBSCRIBE", "__key*@0__:*"));
        Assert.Equal("[subscribe,marker,:2]", subA.Call("SUBSCRIBE", "marker"));
        string kb = KeyOn(1, Total, "ev");
        // Written through B on B's shard: A's subscriber hears the key's event and the event's key.
        Assert.Equal("+OK", b.Call("SET", kb, "v"));
        Assert.Equal($"[pmessage,__key*@0__:*,__keyspace@0__:{kb},set]", subA.ReadReply());
        Assert.Equal($"[pmessage,__key*@0__:*,__keyevent@0__:set,{kb}]", subA.ReadReply());
        // Written through A on B's shard: the event arises on B and comes back to A once, not twice.
        Assert.Equal(":1", a.Call("LPUSH", kb + "l", "x"));
        Assert.Equal($"[pmessage,__key*@0__:*,__keyspace@0__:{kb}l,lpush]", subA.ReadReply());
        Assert.Equal($"[pmessage,__key*@0__:*,__keyevent@0__:lpush,{kb}l]", subA.ReadReply());
        // B's marker comes after B's events on the same way: nothing else (no duplicate) was in between.
        Assert.Equal(":0", b.Call("PUBLISH", "marker", "end"));
        Assert.Equal("[message,marker,end]", subA.ReadReply());
    }
}
