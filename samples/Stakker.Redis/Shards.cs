namespace Stakker.Redis;

/// <summary>The keyspace shards of a server made of several Cores, as one Core sees them: which shard owns
/// a key, the handle to each shard's keyspace, and what the Cores share (the pub/sub actor, client ids)</summary>
internal sealed class Shards
{
    sealed class Common(int count)
    {
        public readonly CrossCoreActor<Keyspace>[] All = new CrossCoreActor<Keyspace>[count];
        public readonly ClientContext?[] Contexts = new ClientContext?[count];
        public CrossCoreActor<PubSub> PubSub;
        public long LastClientId;
    }

    readonly Common _common;

    public Shards(int count) : this(new Common(count), 0) { }

    Shards(Common common, int local)
    {
        _common = common;
        Local = local;
    }

    /// <summary>Each shard's keyspace, filled as the Cores start (before any of them listens)</summary>
    public CrossCoreActor<Keyspace>[] All => _common.All;

    /// <summary>Each Core's connection context (its settings, limits): touched only on that Core's thread</summary>
    public ClientContext?[] Contexts => _common.Contexts;

    /// <summary>The one pub/sub actor, on the first Core: a subscriber hears every Core's publishers</summary>
    public CrossCoreActor<PubSub> PubSub
    {
        get => _common.PubSub;
        set => _common.PubSub = value;
    }

    /// <summary>The shard of the Core this copy belongs to</summary>
    public int Local { get; }

    public int Count => _common.All.Length;

    /// <summary>True while a call to every shard would be accepted (none is at the runtime's cross-Core capacity)</summary>
    public bool HaveRoom()
    {
        foreach (CrossCoreActor<Keyspace> shard in _common.All)
            if (!shard.HasRoom) return false;
        return true;
    }

    /// <summary>A client id unique across the Cores</summary>
    public long NextClientId() => Interlocked.Increment(ref _common.LastClientId);

    /// <summary>The shard that owns <paramref name="key"/></summary>
    public int Of(ReadOnlySpan<byte> key) => (int)((uint)ByteKeyComparer.HashOf(key) % (uint)_common.All.Length);

    /// <summary>This set as Core <paramref name="core"/> sees it</summary>
    public Shards For(int core) => new(_common, core);
}
