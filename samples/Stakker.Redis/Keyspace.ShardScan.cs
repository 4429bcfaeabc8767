namespace Stakker.Redis;

// SCAN on one shard of a server of several Cores (decision 100): the client's cursor names the shard and
// the shard's own cursor. A cursor the shard does not know ends the whole iteration, as on one Core.
internal sealed partial class Keyspace
{
    /// <summary>SCAN of this shard for a client of any Core: as <see cref="Execute"/>, but an own cursor this
    /// shard does not know answers <see cref="ShardCursor.Ended"/>, so the client is not sent on to the next shard</summary>
    public void ScanOfShard(Cx<Keyspace> cx, CommandInfo cmd, byte[][] a, long clientId, int db, Ret<Reply> ret)
    {
        // A malformed command gets its own error from the usual path, whatever its cursor.
        if (ParseCursor(a[1], out ulong own) && own != 0 && !_cursors.Knows(own)
            && ParseScanOptions(a, 2, allowType: true, out _) is null)
        {
            ret.Answer(ShardCursor.Ended);
            return;
        }
        Execute(cx, cmd, a, clientId, db, ret);
    }
}
