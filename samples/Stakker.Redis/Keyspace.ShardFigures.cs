namespace Stakker.Redis;

/// <summary>One shard's part of INFO on a server of several Cores: its INFO text and the figures of its
/// line in the <c># Shards</c> section</summary>
/// <param name="Info">The shard's own INFO for the sections asked.</param>
/// <param name="Keys">Keys in every database of the shard.</param>
/// <param name="Expires">Of those, the keys with a time to live.</param>
/// <param name="ExpiredKeys">Keys the shard deleted because their time passed.</param>
/// <param name="Commands">Commands the connections of the shard's Core sent (wherever they ran).</param>
/// <param name="Clients">Connections the shard's Core serves.</param>
/// <param name="BlockedClients">Clients waiting in a blocking command on the shard's keys.</param>
internal sealed record ShardFigures(string Info, long Keys, long Expires, long ExpiredKeys, long Commands, long Clients, long BlockedClients);

// INFO on a server of several Cores: each shard reports on its own thread, the asking connection merges (decision 101).
internal sealed partial class Keyspace
{
    /// <summary>This shard's INFO for <paramref name="infoArgs"/> (the client's INFO command) and its figures</summary>
    public void Figures(Cx<Keyspace> cx, byte[][] infoArgs, Ret<ShardFigures> ret)
    {
        ServerInfo info = _info.Ro(cx);
        var text = (string)Info(info, infoArgs).Data!;
        Save();
        long keys = 0, expires = 0;
        foreach (Db? db in _dbs)
        {
            if (db is null) continue;
            keys += db.Data.Count;
            expires += db.Expiries.Count;
        }
        ret.Answer(new ShardFigures(text, keys, expires, _expiredKeys, info.Stats.TotalCalls, info.ConnectedClients, _waitingClients.Count));
    }
}
