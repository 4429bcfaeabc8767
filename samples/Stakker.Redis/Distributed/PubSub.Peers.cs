using Stakker.Remote;

namespace Stakker.Redis;

// A distributed server (decision 109): each process has its own pub/sub actor. A message published here (PUBLISH,
// or a keyspace notification of a local shard) is delivered here, then sent once to every process's pub/sub
// (IRedisPubSubPeers, no queue group), which passes it to its own subscribers. PUBLISH answers the receivers of
// this process, as PUBLISH on a node of Redis Cluster does.
internal sealed partial class PubSub
{
    RemoteActor<IRedisPubSubPeers>? _peers;
    string _self = "";

    /// <summary>Sends what is published here to the other processes through <paramref name="peers"/>; <paramref name="self"/> names
    /// this process, whose own copy comes back and is skipped</summary>
    public void UsePeers(RemoteActor<IRedisPubSubPeers> peers, string self)
    {
        _peers = peers;
        _self = self;
    }

    /// <summary>A message another process published: delivered here only</summary>
    public void FromPeer(byte[] channel, byte[] payload, string origin)
    {
        if (origin != _self) Send(channel, payload);
    }

    void ToPeers(byte[] channel, byte[] payload)
    {
        if (_peers is null) return;
        // Too large to cross, or NATS not keeping up: this process's subscribers had the message, the others' do not
        // (docs/redis-distributed.md, Limits). Thrown on, it would end the pub/sub actor and with it the server.
        try { _peers.Proxy.Deliver(channel, payload, _self); }
        catch (Exception e) when (Shards.Unsendable(e)) { }
    }
}

/// <summary>Receives the messages other processes publish and hands them to this process's pub/sub actor</summary>
internal sealed class PubSubPeers(Actor<PubSub> pubsub) : IRedisPubSubPeers
{
    public void Deliver(byte[] channel, byte[] message, string origin)
    {
        if (channel is null || message is null || origin is null) return;
        pubsub.Call(static (p, cx, m) => p.FromPeer(m.channel, m.message, m.origin), (channel, message, origin));
    }
}
