using System.Text;
using static Stakker.Redis.Tests.Distributed.DistributedCluster;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>Processes of one cluster started with different shard counts: a shard refuses a key it does not own
/// rather than store it where no process would look for it</summary>
public sealed class DistributedMisconfigurationTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    /// <summary>The first key whose slot is in [from, to)</summary>
    static string KeyInSlots(int from, int to, string prefix)
    {
        for (int i = 0; ; i++)
        {
            int slot = KeySlot.Of(Encoding.UTF8.GetBytes(prefix + i));
            if (slot >= from && slot < to) return prefix + i;
        }
    }

    [Fact]
    public void AProcessCountingOtherShards_GetsAnErrorForKeysTheShardDoesNotOwn()
    {
        string cluster = NewName();
        // A thinks there are 2 shards (shard 1 = slots 8192-16383); B holds shard 1 of 3 (slots 5461-10922).
        using RedisHost a = Start(nats.Url, cluster, 0, 1, 2);
        using RedisHost b = Start(nats.Url, cluster, 1, 1, 3, TimeSpan.FromSeconds(1.5));   // INFO waits this long for the shards no one holds
        using var c = new RawClient(a.Port);
        using var cb = new RawClient(b.Port);
        string agreed = KeyInSlots(8192, 10923, "ok"), disputed = KeyInSlots(10923, 16384, "no");
        Assert.Equal("+OK", c.Call("SET", agreed, "v"));
        Assert.Equal("v", cb.Call("GET", agreed));
        string reply = c.Call("SET", disputed, "v");
        Assert.StartsWith("-ERR key '" + disputed + "' is not on shard 1", reply);
        // B's shard holds the agreed key only: the disputed one was not stored there.
        Assert.Contains("shard1:core=1,keys=1,", cb.Call("INFO", "shards"));
    }
}
