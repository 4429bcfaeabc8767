using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Stakker.Remote.Tests;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>One nats-server for a test class; each test joins it under its own cluster name, so tests never meet</summary>
public sealed class NatsFixture : IDisposable
{
    public NatsServer Server { get; } = NatsServer.StartAsync().GetAwaiter().GetResult();

    public string Url => Server.Url;

    public void Dispose() => Server.Dispose();
}

/// <summary>What the distributed tests share: hosts holding chosen shards of one cluster, and keys chosen by the
/// server's own slot map so each test knows which process holds what</summary>
internal static partial class DistributedCluster
{
    /// <summary>A cluster name no other test uses (a Guid's first 8 hex digits)</summary>
    public static string NewName() => "t" + Guid.NewGuid().ToString("N")[..8];

    public static RedisHost Start(string natsUrl, string cluster, int first, int held, int total, TimeSpan? lostAfter = null) =>
        RedisHost.Start(new RedisServerOptions
        {
            Port = 0,
            Distribution = new RedisDistribution
            {
                NatsUrl = natsUrl,
                FirstShard = first,
                HeldShards = held,
                TotalShards = total,
                Cluster = cluster,
                LostAfter = lostAfter ?? TimeSpan.FromSeconds(3),
            },
        });

    public static int ShardOf(string key, int total) => KeySlot.ShardOf(KeySlot.Of(Encoding.UTF8.GetBytes(key)), total);

    /// <summary>The first key <paramref name="prefix"/>N on <paramref name="shard"/> of <paramref name="total"/></summary>
    public static string KeyOn(int shard, int total, string prefix)
    {
        for (int i = 0; ; i++)
            if (ShardOf(prefix + i, total) == shard) return prefix + i;
    }

    /// <summary><paramref name="count"/> different keys <paramref name="prefix"/>N on <paramref name="shard"/></summary>
    public static string[] KeysOn(int shard, int total, string prefix, int count) =>
        Enumerable.Range(0, int.MaxValue).Select(i => prefix + i).Where(k => ShardOf(k, total) == shard).Take(count).ToArray();

    /// <summary>A hash tag whose keys land on <paramref name="shard"/></summary>
    public static string TagOn(int shard, int total)
    {
        for (int i = 0; ; i++)
            if (ShardOf("{tag" + i + "}", total) == shard) return "{tag" + i + "}";
    }

    [GeneratedRegex(@"shard(\d+):[^\r\n]*blocked_clients=(\d+)")]
    private static partial Regex ShardBlocked();

    /// <summary>Shard <paramref name="shard"/>'s blocked_clients as INFO shards reports it through <paramref name="c"/></summary>
    public static int BlockedOn(RawClient c, int shard) =>
        ShardBlocked().Matches(c.Call("INFO", "shards")).Where(m => int.Parse(m.Groups[1].Value) == shard)
            .Select(m => int.Parse(m.Groups[2].Value)).Single();

    /// <summary>Every key of every SCAN page through <paramref name="c"/>, from cursor 0 back to 0, with the page count</summary>
    public static (List<string> Keys, int Pages) ScanAll(RawClient c, params string[] options)
    {
        var keys = new List<string>();
        string cursor = "0";
        int pages = 0;
        do
        {
            Assert.True(++pages < 1000, "SCAN never returned to cursor 0");
            // [cursor,[k1,k2...]] flattened: the cursor, then the page's keys.
            string[] parts = c.Call(["SCAN", cursor, .. options])[1..^1].Split(',', 2);
            cursor = parts[0];
            if (parts[1] != "[]") keys.AddRange(parts[1].Trim('[', ']').Split(','));
        } while (cursor != "0");
        return (keys, pages);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, for at most <paramref name="seconds"/></summary>
    public static void WaitUntil(Func<bool> condition, string what, double seconds = 10)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), what + " not within " + seconds + " s");
            Thread.Sleep(20);
        }
    }
}

/// <summary>Two processes of one keyspace cut in two: A holds shard 0, B shard 1</summary>
/// <summary>Three shards: process A holds shards 0 and 1 (two Cores), process B holds shard 2</summary>
internal sealed class ThreeShards : IDisposable
{
    public const int Total = 3;
    public readonly RedisHost A;
    public readonly RedisHost B;

    public ThreeShards(string natsUrl)
    {
        string cluster = DistributedCluster.NewName();
        A = DistributedCluster.Start(natsUrl, cluster, 0, 2, Total);
        try { B = DistributedCluster.Start(natsUrl, cluster, 2, 1, Total); }
        catch
        {
            A.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        B.Dispose();
        A.Dispose();
    }
}

internal sealed class TwoProcesses : IDisposable
{
    public const int Total = 2;
    public readonly string Cluster = DistributedCluster.NewName();
    public readonly string NatsUrl;
    public readonly TimeSpan LostAfter;
    public readonly RedisHost A;
    public RedisHost? B;
    readonly List<RawClient> _clients = [];

    public TwoProcesses(string natsUrl, TimeSpan? lostAfter = null)
    {
        NatsUrl = natsUrl;
        LostAfter = lostAfter ?? TimeSpan.FromSeconds(3);
        A = DistributedCluster.Start(natsUrl, Cluster, 0, 1, Total, LostAfter);
        try { B = StartB(); }
        catch
        {
            A.Dispose();
            throw;
        }
    }

    public RedisHost StartB() => B = DistributedCluster.Start(NatsUrl, Cluster, 1, 1, Total, LostAfter);

    /// <summary>A connection to A (or B), disposed with the pair</summary>
    public RawClient ToA() => Track(new RawClient(A.Port));

    public RawClient ToB() => Track(new RawClient(B!.Port));

    RawClient Track(RawClient c)
    {
        _clients.Add(c);
        return c;
    }

    /// <summary>Keys held by A (shard 0) and by B (shard 1)</summary>
    public static string OnA(string prefix) => DistributedCluster.KeyOn(0, Total, prefix);

    public static string OnB(string prefix) => DistributedCluster.KeyOn(1, Total, prefix);

    public void Dispose()
    {
        foreach (RawClient c in _clients) c.Dispose();
        B?.Dispose();
        A.Dispose();
    }
}
