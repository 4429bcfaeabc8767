using System.Text;
using Stakker.Redis;

namespace Stakker.Redis.Tests;

/// <summary>What the tests of a server of several Cores share: starting one, keys placed on chosen shards,
/// connections served by chosen Cores (CLIENT INFO's core field)</summary>
internal static class ShardedServer
{
    public static RedisHost Start(int cores) => RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores });

    public static int ShardOf(int cores, string key) => new Shards(cores).Of(Encoding.ASCII.GetBytes(key));

    /// <summary>A key named <paramref name="prefix"/> and a number, on shard <paramref name="shard"/> of <paramref name="cores"/></summary>
    public static string KeyOn(int cores, int shard, string prefix)
    {
        for (int i = 0; ; i++)
            if (ShardOf(cores, prefix + i) == shard) return prefix + i;
    }

    /// <summary>Two keys on different shards: "k0" and the first "k&lt;i&gt;" on another</summary>
    public static (string A, string B) KeysOnTwoShards(int cores)
    {
        const string a = "k0";
        int shardA = ShardOf(cores, a);
        for (int i = 1; ; i++)
            if (ShardOf(cores, "k" + i) != shardA) return (a, "k" + i);
    }

    public static int CoreOf(RawClient c) =>
        int.Parse(c.Call("CLIENT", "INFO").Split(' ').Single(f => f.StartsWith("core=", StringComparison.Ordinal))["core=".Length..].Trim());

    /// <summary>Connections until two are served by different Cores; every connection opened, for disposal</summary>
    public static (RawClient, RawClient, List<RawClient>) OnTwoCores(RedisHost host)
    {
        var all = new List<RawClient>();
        for (int i = 0; i < 64; i++)
        {
            var c = new RawClient(host.Port);
            all.Add(c);
            int core = CoreOf(c);
            foreach (RawClient other in all)
                if (CoreOf(other) != core) return (other, c, all);
        }
        throw new InvalidOperationException("64 connections all landed on one Core");
    }
}
