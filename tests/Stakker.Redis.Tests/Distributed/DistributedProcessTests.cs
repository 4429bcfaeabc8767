using System.Diagnostics;
using static Stakker.Redis.Tests.Distributed.DistributedCluster;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>The built server run twice as separate processes, as a user starts them, one of them killed (item 8 of the brief)</summary>
public sealed class DistributedProcessTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    [Fact]
    public void TwoServerProcesses_ShareOneKeyspace_AndTheSurvivorOfAKillAnswersForItsOwnKeysOnly()
    {
        string cluster = NewName();
        using var first = new ServerProcess("--nats", nats.Url, "--shards", "0/2", "--cluster", cluster);
        using var second = new ServerProcess("--nats", nats.Url, "--shards", "1/2", "--cluster", cluster);
        Assert.Contains("shards 0 of 2 of cluster '" + cluster + "'", first.Ready);
        string k0 = KeyOn(0, 2, "p"), k1 = KeyOn(1, 2, "p");
        using var c1 = new RawClient(first.Port, timeoutMs: 20_000);
        using (var c2 = new RawClient(second.Port))
        {
            Assert.Equal("+OK", c1.Call("SET", k1, "via-first"));
            Assert.Equal("+OK", c1.Call("SET", k0, "first-own"));
            Assert.Equal("via-first", c2.Call("GET", k1));
            Assert.Equal("first-own", c2.Call("GET", k0));
            Assert.Equal("+OK", c2.Call("SET", k0, "via-second"));
        }
        Assert.Equal("via-second", c1.Call("GET", k0));
        second.Process.Kill();
        Assert.True(second.Process.WaitForExit(10_000), "the killed server is still running");
        // The default loss bound is 3 s + 1 s; 15 s leaves room for a loaded machine.
        var clock = Stopwatch.StartNew();
        Assert.StartsWith("-ERR shard", c1.Call("GET", k1));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "the killed shard's error came after " + clock.Elapsed);
        Assert.Equal("via-second", c1.Call("GET", k0));
        Assert.Equal("+OK", c1.Call("SET", k0, "still"));
        Assert.Equal("still", c1.Call("GET", k0));
    }
}
