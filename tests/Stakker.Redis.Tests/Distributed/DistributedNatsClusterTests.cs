using Stakker.Remote.Tests;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>The two processes on different servers of a three-server NATS cluster, as docs/redis-distributed.md
/// runs them on two hosts: one keyspace through the cluster's routes, and on through a stopped server</summary>
public sealed class DistributedNatsClusterTests
{
    [Fact]
    public async Task ProcessesOnDifferentNatsServers_ShareOneKeyspace_AndKeepSharingItWhenAServerStops()
    {
        NatsServer[] servers = await NatsServer.StartClusterAsync();
        try
        {
            string cluster = DistributedCluster.NewName();
            // A is given server 0, B server 1; each learns the cluster's other servers from the one it joins.
            using RedisHost a = DistributedCluster.Start(servers[0].Url, cluster, 0, 1, 2);
            using RedisHost b = DistributedCluster.Start(servers[1].Url, cluster, 1, 1, 2);
            using var toA = new RawClient(a.Port);
            using var toB = new RawClient(b.Port);
            string onA = TwoProcesses.OnA("c"), onB = TwoProcesses.OnB("c"), laterOnB = TwoProcesses.OnB("after");

            // Interest crosses the routes a moment after each process subscribes: until then a call may be lost.
            DistributedCluster.WaitUntil(() => toA.Call("SET", onB, "from A") == "+OK", "a write through A to B's shard", 20);
            DistributedCluster.WaitUntil(() => toB.Call("SET", onA, "from B") == "+OK", "a write through B to A's shard", 20);
            Assert.Equal("from A", toB.Call("GET", onB));
            Assert.Equal("from B", toA.Call("GET", onA));
            Assert.Equal(":2", toA.Call("DBSIZE"));
            Assert.Equal(":2", toB.Call("DBSIZE"));

            // Stop B's server: B joins another that server 1 told it of, its shard's subscriptions follow it there.
            servers[1].Dispose();
            DistributedCluster.WaitUntil(() => toA.Call("SET", laterOnB, "stopped") == "+OK",
                "a write through A to B's shard after a NATS server stopped", 30);
            Assert.Equal("stopped", toB.Call("GET", laterOnB));
            DistributedCluster.WaitUntil(() => toB.Call("GET", onA) == "from B", "a read through B of A's shard after a NATS server stopped", 30);
            Assert.Equal(":3", toB.Call("DBSIZE"));
        }
        finally
        {
            foreach (NatsServer s in servers) s.Dispose();
        }
    }
}
