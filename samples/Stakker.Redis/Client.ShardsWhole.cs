namespace Stakker.Redis;

// On a server of several Cores: commands about the whole keyspace or server that need every shard or
// every Core (SCAN, RANDOMKEY, SWAPDB, INFO, CLIENT LIST/KILL...). Decision 099.
internal sealed partial class Client
{
    /// <summary>Takes <paramref name="cmd"/> if it is one of this file's; false leaves it to the routing by key</summary>
    bool RouteWhole(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards) => false;
}
