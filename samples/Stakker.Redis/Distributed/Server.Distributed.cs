using Stakker.Remote;

namespace Stakker.Redis;

internal sealed partial class RedisServer
{
    /// <summary>One Core's part in a distributed server (decision 109): its NATS node, its shard published for the
    /// other processes, and, on the process's first Core, the pub/sub link that carries messages between processes</summary>
    sealed class Distributed : IDisposable
    {
        readonly RemoteNode _node;
        readonly ActorOwn<ShardEndpoint> _endpoint;
        readonly RemotePublication _shard;
        readonly ActorOwn<PubSubPeers>? _peers;
        readonly RemotePublication? _peersPublication;

        public Distributed(Cx<RedisServer> cx, Shards shards, Actor<Keyspace> keyspace, Actor<PubSub> pubsub)
        {
            RedisDistribution d = shards.Distribution!;
            _node = RemoteNode.Create(cx.Core, shards.Nats!, new RemoteOptions
            {
                SubjectPrefix = "stakker",
                LostAfter = d.LostAfter,
                MaxFrameBytes = shards.MaxFrameBytes,
            });
            shards.Link(_node);
            _endpoint = cx.Spawn<ShardEndpoint, (Core Core, Actor<Keyspace> Keyspace, Shards Shards)>(
                static (cx, p) => new ShardEndpoint(p.Core, p.Keyspace, p.Shards), (cx.Core, keyspace, shards), cx.RetFail("shard endpoint ended"));
            _shard = _node.Publish(RedisShardRemote.Interface, d.ShardName(shards.Local), _endpoint.Actor);
            shards.Starting(_node.Ready);
            shards.Starting(_shard.Ready);
            if (shards.Local != shards.First) return;
            _peers = cx.Spawn<PubSubPeers, Actor<PubSub>>(static (cx, p) => new PubSubPeers(p), pubsub, cx.RetFail("pub/sub peers ended"));
            _peersPublication = _node.Publish(RedisPubSubPeersRemote.Interface, d.PubSubName, _peers.Actor);
            shards.Starting(_peersPublication.Ready);
            pubsub.Call(static (p, cx, link) => p.UsePeers(link.Proxy, link.Self),
                (Proxy: _node.Proxy(RedisPubSubPeersRemote.Interface, d.PubSubName), Self: _node.NodeId));
        }

        public void Dispose()
        {
            _peersPublication?.Dispose();
            _shard.Dispose();
            _peers?.Dispose();
            _endpoint.Dispose();
            _node.Dispose();
        }
    }
}
