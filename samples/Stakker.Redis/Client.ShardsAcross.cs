namespace Stakker.Redis;

// On a server of several Cores: commands whose keys are on several shards, gathered from their shards
// and applied where they belong (RENAME, SMOVE, the set and sorted-set operations...). Decision 099.
internal sealed partial class Client
{
    /// <summary>Takes <paramref name="cmd"/> if it is one of this file's; false leaves it to the routing by key</summary>
    bool RouteAcross(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards) => false;
}
