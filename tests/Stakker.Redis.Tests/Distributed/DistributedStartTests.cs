using System.Diagnostics;
using Stakker.Remote.Tests;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>What a distributed server refuses before it serves (item 10 of the brief)</summary>
public sealed class DistributedStartTests
{
    [Fact]
    public void Start_WithANatsUrlWhereNothingListens_ThrowsNamingTheUrl()
    {
        string url = "nats://127.0.0.1:" + NatsServer.FreePort();
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<InvalidOperationException>(() => DistributedCluster.Start(url, DistributedCluster.NewName(), 0, 1, 2));
        Assert.Contains(url, e.Message);
        // Refused within the 10 s the start allows for joining NATS, plus room for a loaded machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the start took " + clock.Elapsed);
    }

    [Theory]
    [InlineData("2/2")]
    [InlineData("a/b")]
    [InlineData("1-0/3")]
    [InlineData("0/0")]
    [InlineData("0-2/2")]
    [InlineData("-1/2")]
    [InlineData("0/")]
    public void Parse_RefusesShardsOutsideTheTotalOrNotOfTheForm(string shards) =>
        Assert.Throws<ArgumentException>(() => RedisDistribution.Parse("nats://127.0.0.1:4222", shards));

    [Fact]
    public void Parse_ReadsOneShardAndARange()
    {
        RedisDistribution one = RedisDistribution.Parse("nats://h:1", "1/2", "c1");
        Assert.Equal((1, 1, 2, "c1", "nats://h:1"), (one.FirstShard, one.HeldShards, one.TotalShards, one.Cluster, one.NatsUrl));
        RedisDistribution range = RedisDistribution.Parse("nats://h:1", "0-1/3");
        Assert.Equal((0, 2, 3, "default"), (range.FirstShard, range.HeldShards, range.TotalShards, range.Cluster));
        Assert.True(range.Holds(1));
        Assert.False(range.Holds(2));
    }

    [Fact]
    public void Parse_RefusesAClusterNameThatIsNotOneNatsToken() =>
        Assert.Throws<ArgumentException>(() => RedisDistribution.Parse("nats://127.0.0.1:4222", "0/2", "a.b"));
}
