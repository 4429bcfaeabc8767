using System.Globalization;

namespace Stakker.Redis;

/// <summary>Where a server's shards live when one keyspace is served by several processes joined by NATS
/// (<c>--nats URL --shards a/b</c>): this process holds shards <see cref="FirstShard"/> to
/// <see cref="FirstShard"/> + <see cref="HeldShards"/> - 1 of <see cref="TotalShards"/>, one Core each, and reaches
/// the others through NATS (decision 109)</summary>
public sealed class RedisDistribution
{
    /// <summary>Most shards one keyspace is cut into</summary>
    public const int MaxShards = 1024;

    /// <summary>The NATS server to join, as <c>nats://host:port</c> (a comma-separated list is tried in turn)</summary>
    public required string NatsUrl { get; init; }

    /// <summary>The first shard this process holds, from 0</summary>
    public int FirstShard { get; init; }

    /// <summary>How many consecutive shards this process holds (one Core each). Default 1.</summary>
    public int HeldShards { get; init; } = 1;

    /// <summary>How many shards the keyspace is cut into, over every process</summary>
    public required int TotalShards { get; init; }

    /// <summary>The name the processes of one keyspace share: several keyspaces can use one NATS server. Default <c>default</c>.</summary>
    public string Cluster { get; init; } = "default";

    /// <summary>How long a command on another process's shard waits for a sign of life before it is answered with an
    /// error (that process is lost or not started). Default 3 s; the bound is this plus 1 s.</summary>
    public TimeSpan LostAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>True if this process holds shard <paramref name="shard"/></summary>
    public bool Holds(int shard) => shard >= FirstShard && shard < FirstShard + HeldShards;

    /// <summary>Parses the command line's <c>--shards</c>: <c>a/b</c> (shard a of b) or <c>a-c/b</c> (shards a to c of b)</summary>
    /// <exception cref="ArgumentException">The text is not of that form, or names shards outside 0 to b - 1.</exception>
    public static RedisDistribution Parse(string natsUrl, string shards, string? cluster = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(natsUrl);
        ArgumentNullException.ThrowIfNull(shards);
        const string Form = "--shards takes 'a/b' (this process holds shard a of b shards, from 0) or 'a-c/b' (shards a to c)";
        int slash = shards.IndexOf('/');
        if (slash <= 0) throw new ArgumentException(Form + ", not '" + shards + "'", nameof(shards));
        string held = shards[..slash];
        int dash = held.IndexOf('-');
        if (!Number(shards[(slash + 1)..], out int total)
            || !Number(dash < 0 ? held : held[..dash], out int first)
            || !Number(dash < 0 ? held : held[(dash + 1)..], out int last))
            throw new ArgumentException(Form + ", not '" + shards + "'", nameof(shards));
        var d = new RedisDistribution { NatsUrl = natsUrl, FirstShard = first, HeldShards = last - first + 1, TotalShards = total, Cluster = cluster ?? "default" };
        d.Validate();
        return d;
    }

    static bool Number(string text, out int n) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out n);

    /// <summary>Throws if the shards named are not a run within the total, or the cluster name is not one NATS subject token</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(NatsUrl);
        if (TotalShards is < 1 or > MaxShards)
            throw new ArgumentException("The total number of shards must be from 1 to " + MaxShards + ", not " + TotalShards + ".");
        if (HeldShards < 1 || FirstShard < 0 || FirstShard + HeldShards > TotalShards || HeldShards > RedisServerOptions.MaxCores)
            throw new ArgumentException("This process must hold from 1 to " + RedisServerOptions.MaxCores + " shards numbered from 0 to "
                + (TotalShards - 1) + ", not " + HeldShards + " from " + FirstShard + ".");
        if (string.IsNullOrEmpty(Cluster) || !Cluster.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            throw new ArgumentException("The cluster name may hold only ASCII letters, digits, '_' and '-', not '" + Cluster + "'.");
        if (LostAfter <= TimeSpan.FromSeconds(1))
            throw new ArgumentException("LostAfter must be longer than 1 s (the keep-alive interval).");
    }

    /// <summary>The remote actor name shard <paramref name="shard"/> is published under</summary>
    internal string ShardName(int shard) => "redis." + Cluster + ".shard." + shard.ToString(CultureInfo.InvariantCulture);

    /// <summary>The remote actor name every process's pub/sub listens under (each hears every message)</summary>
    internal string PubSubName => "redis." + Cluster + ".pubsub";
}
