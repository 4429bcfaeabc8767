using Stakker.Remote;

namespace Stakker.Redis;

/// <summary>A shard of a distributed server's keyspace, as the other processes reach it over NATS (decision 109).
/// Replies travel as <see cref="ReplyWire"/> bytes; a client id is the asking process's, tagged with that
/// process's first shard so ids of different processes never meet in one keyspace.</summary>
[RemoteActor]
internal interface IRedisShard
{
    /// <summary>A command on keys of this shard (or on none, for the whole-keyspace ones), as the keyspace runs it for a local client</summary>
    void Execute(byte[][] args, long client, int db, Ret<byte[]> reply);

    /// <summary>SCAN of this shard alone, its cursor the shard's own</summary>
    void Scan(byte[][] args, long client, int db, Ret<byte[]> reply);

    /// <summary>The client's connection ended: whatever it waits for here is given up</summary>
    void Unblock(long client);

    /// <summary>CLIENT UNBLOCK: the client's wait here, if any, answered with <paramref name="answer"/> (a <see cref="ReplyWire"/> reply)</summary>
    void UnblockWith(long client, byte[] answer, Ret<byte[]> reply);

    /// <summary>This shard's INFO for the sections asked, with the figures of its <c># Shards</c> line</summary>
    void Figures(byte[][] infoArgs, Ret<byte[]> figures);

    /// <summary>Answers true: asked while the shard is taken for lost, to see whether it is back</summary>
    void Ping(Ret<bool> alive);
}

/// <summary>Every process's pub/sub actor, published under one name with no queue group: a message sent to it
/// reaches each process, which passes it to its own subscribers</summary>
[RemoteActor]
internal interface IRedisPubSubPeers
{
    /// <summary>A message published on process <paramref name="origin"/> (that process delivered it already)</summary>
    void Deliver(byte[] channel, byte[] message, string origin);
}
