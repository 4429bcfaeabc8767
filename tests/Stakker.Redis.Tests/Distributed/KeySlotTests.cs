using System.Text;

namespace Stakker.Redis.Tests;

/// <summary>The processes of a distributed server agree on a key's shard because they compute Redis Cluster's key
/// slot; the expected slots are what redis-server 7 (cluster-enabled) answers to CLUSTER KEYSLOT</summary>
public sealed class KeySlotTests
{
    [Theory]
    [InlineData("somekey", 11058)]
    [InlineData("foo", 12182)]
    [InlineData("bar", 5061)]
    [InlineData("hello", 866)]
    [InlineData("", 0)]
    // Hash tags: the text between the first '{' and the next '}', when not empty.
    [InlineData("{user1000}.following", 3443)]
    [InlineData("user1000", 3443)]
    [InlineData("foo{bar}{zap}", 5061)]
    [InlineData("foo{{bar}}zap", 4015)]
    [InlineData("{bar", 4015)]
    // An empty tag, or an open one, hashes the whole key.
    [InlineData("foo{}{bar}", 8363)]
    [InlineData("{}", 15257)]
    [InlineData("a{b", 13340)]
    public void Slot_IsRedisClusters(string key, int slot) =>
        Assert.Equal(slot, KeySlot.Of(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public void Shards_OwnEqualRunsOfSlots_InOrder()
    {
        Assert.Equal(0, KeySlot.ShardOf(0, 2));
        Assert.Equal(0, KeySlot.ShardOf(8191, 2));
        Assert.Equal(1, KeySlot.ShardOf(8192, 2));
        Assert.Equal(1, KeySlot.ShardOf(KeySlot.Slots - 1, 2));
        Assert.Equal(2, KeySlot.ShardOf(KeySlot.Slots - 1, 3));
        var perShard = new int[3];
        for (int slot = 0; slot < KeySlot.Slots; slot++) perShard[KeySlot.ShardOf(slot, 3)]++;
        Assert.All(perShard, n => Assert.InRange(n, KeySlot.Slots / 3, KeySlot.Slots / 3 + 1));
    }

    [Fact]
    public void DistributedShards_PlaceKeysBySlot_AndTaggedKeysTogether()
    {
        var shards = new Shards(new RedisDistribution { NatsUrl = "nats://127.0.0.1:4222", TotalShards = 4 });
        Assert.Equal(KeySlot.ShardOf(12182, 4), shards.Of("foo"u8));
        Assert.Equal(shards.Of("{user1000}.following"u8), shards.Of("{user1000}.followers"u8));
        // Over many keys every shard gets some: the slot spreads them.
        var seen = new HashSet<int>();
        for (int i = 0; i < 200; i++) seen.Add(shards.Of(Encoding.ASCII.GetBytes("key:" + i)));
        Assert.Equal(4, seen.Count);
    }
}
