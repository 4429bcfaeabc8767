namespace Stakker.Redis;

/// <summary>The keyspace shards of a server made of several Cores, as one Core sees them: which shard owns
/// a key, the handle to each shard's keyspace, and what the Cores share (the pub/sub actor, client ids)</summary>
internal sealed partial class Shards
{
    sealed class Common(int count, RedisDistribution? distribution)
    {
        public readonly RedisDistribution? Distribution = distribution;
        public readonly CrossCoreActor<Keyspace>[] All = new CrossCoreActor<Keyspace>[count];
        public readonly ClientContext?[] Contexts = new ClientContext?[count];
        public CrossCoreActor<PubSub> PubSub;
        public long LastClientId;
        public NATS.Client.Core.INatsConnection? Nats;
        public int MaxFrameBytes = 1024 * 1024;
        public readonly List<Task> Starting = [];
    }

    readonly Common _common;

    public Shards(int count) : this(new Common(count, null), 0) { }

    /// <summary>The shards of a keyspace spread over several processes, of which this one holds <see cref="RedisDistribution.HeldShards"/></summary>
    public Shards(RedisDistribution distribution) : this(new Common(distribution.TotalShards, distribution), distribution.FirstShard) { }

    Shards(Common common, int local)
    {
        _common = common;
        Local = local;
    }

    /// <summary>Each shard's keyspace, filled as the Cores start (before any of them listens); on a distributed server
    /// only the shards this process holds (<see cref="IsLocal"/>), the others are reached through <see cref="Execute"/></summary>
    public CrossCoreActor<Keyspace>[] All => _common.All;

    /// <summary>Each Core's connection context (its settings, limits): touched only on that Core's thread</summary>
    public ClientContext?[] Contexts => _common.Contexts;

    /// <summary>The one pub/sub actor, on the first Core: a subscriber hears every Core's publishers</summary>
    public CrossCoreActor<PubSub> PubSub
    {
        get => _common.PubSub;
        set => _common.PubSub = value;
    }

    /// <summary>The NATS connection the Cores of a distributed server share</summary>
    public NATS.Client.Core.INatsConnection? Nats
    {
        get => _common.Nats;
        set => _common.Nats = value;
    }

    /// <summary>Largest message the NATS server takes (its <c>max_payload</c>), read when connecting</summary>
    public int MaxFrameBytes
    {
        get => _common.MaxFrameBytes;
        set => _common.MaxFrameBytes = value;
    }

    /// <summary>Largest call or reply that crosses between processes: Stakker.Remote sends a record of at most half a
    /// frame, less the record's own header and ids (a margin of 1 KiB)</summary>
    public int MaxCrossBytes => MaxFrameBytes / 2 - 1024;

    /// <summary>Records a subscription the server waits for before it listens</summary>
    public void Starting(Task ready)
    {
        lock (_common.Starting) _common.Starting.Add(ready);
    }

    /// <summary>Every subscription recorded by <see cref="Starting"/> so far</summary>
    public Task[] StartingTasks()
    {
        lock (_common.Starting) return [.. _common.Starting];
    }

    /// <summary>The shard of the Core this copy belongs to</summary>
    public int Local { get; }

    /// <summary>Every shard of the keyspace, in this process or not</summary>
    public int Count => _common.All.Length;

    /// <summary>Where the shards live when several processes share the keyspace; null when this process holds them all</summary>
    public RedisDistribution? Distribution => _common.Distribution;

    /// <summary>The first shard this process holds</summary>
    public int First => _common.Distribution?.FirstShard ?? 0;

    /// <summary>How many shards this process holds (one per Core)</summary>
    public int Held => _common.Distribution?.HeldShards ?? _common.All.Length;

    /// <summary>True if shard <paramref name="shard"/> is in this process (on one of its Cores)</summary>
    public bool IsLocal(int shard) => (uint)(shard - First) < (uint)Held;

    /// <summary>True while a call to every shard would be accepted (none is at the runtime's cross-Core capacity)</summary>
    public bool HaveRoom()
    {
        for (int s = First; s < First + Held; s++)
            if (!_common.All[s].HasRoom) return false;
        return _node is null || _node.HasRoom;
    }

    /// <summary>A client id unique across the Cores</summary>
    public long NextClientId() => Interlocked.Increment(ref _common.LastClientId);

    /// <summary>The shard that owns <paramref name="key"/></summary>
    /// <remarks>One process: by the keyspace's own (seeded) hash. Several: by Redis Cluster's key slot, which every
    /// process computes alike, so hash tags (<c>{user1}.name</c>) keep keys together (decision 109).</remarks>
    public int Of(ReadOnlySpan<byte> key) => _common.Distribution is null
        ? (int)((uint)ByteKeyComparer.HashOf(key) % (uint)_common.All.Length)
        : KeySlot.ShardOf(KeySlot.Of(key), _common.All.Length);

    /// <summary>This set as Core <paramref name="core"/> (of this process) sees it</summary>
    public Shards For(int core) => new(_common, First + core);
}
