using System.Globalization;
using System.Text;

namespace Stakker.Redis;

// SCAN on a server of several Cores (decisions 100, 107): the cursor names a shard and that shard's own
// cursor. A shard that finishes with fewer keys than COUNT hands on to the next one within the same
// command, so a small keyspace is scanned in one call (cursor 0), as one Core scans it.
internal sealed partial class Client
{
    /// <summary>One SCAN on its way over the shards: its reply slot, its arguments, and the keys gathered so far</summary>
    sealed class ShardScan(long seq, byte[][] args, int count)
    {
        public readonly long Seq = seq;
        public readonly byte[][] Args = args;
        public readonly int Count = count;
        public readonly List<ReadOnlyMemory<byte>> Keys = [];
        public int Found;
    }

    void ScanShards(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards)
    {
        if (!Keyspace.ParseCursor(args[1], out ulong cursor)) { Reject("ERR invalid cursor"); return; }
        var (shard, own) = ShardCursor.Split(cursor, shards.Count);
        ScanShard(cx, cmd, shards, new ShardScan(Reserve(), args.ToArray(), CountOption(args)), shard, own);
    }

    /// <summary>SCAN's COUNT (10 if not given); a malformed one is left to the shard, which answers its error</summary>
    static int CountOption(List<byte[]> args)
    {
        int count = 10;
        for (int i = 2; i + 1 < args.Count; i++)
            if (Commands.Is(args[i], "count") && RespParser.TryParseLong(args[i + 1], out long n) && n > 0)
                count = (int)Math.Min(n, int.MaxValue);
        return count;
    }

    void ScanShard(Cx<Client> cx, CommandInfo cmd, Shards shards, ShardScan scan, int shard, ulong own)
    {
        byte[][] a = (byte[][])scan.Args.Clone();   // each shard gets its own array: it crosses Cores
        a[1] = Encoding.ASCII.GetBytes(own.ToString(CultureInfo.InvariantCulture));
        shards.Scan(shard, cmd, a, _id, _db,
            cx.Ret<(ShardScan Scan, int Shard, CommandInfo Cmd), Reply>((scan, shard, cmd), static (c, cx, p, answer) =>
                c.ShardScanned(cx, p.Cmd, p.Scan, p.Shard, answer)));
    }

    void ShardScanned(Cx<Client> cx, CommandInfo cmd, ShardScan scan, int shard, Answer<Reply> answer)
    {
        if (!answer.HasValue) { Answered(cx, scan.Seq, s_shuttingDown); return; }
        Reply page = answer.Value;
        // The end (an unknown cursor) or an error: passed on as it is, unless keys were gathered already.
        if (!ShardCursor.TryRead(page, out ulong own, out int count, out ReadOnlyMemory<byte> keys))
        {
            Answered(cx, scan.Seq, scan.Found > 0 && ShardCursor.IsEnded(page) ? ShardCursor.Page(0, scan.Found, scan.Keys) : page);
            return;
        }
        scan.Keys.Add(keys);
        scan.Found += count;
        Shards shards = _ctx.Shards!;
        if (own == 0 && shard + 1 < shards.Count && scan.Found < scan.Count)
        {
            ScanShard(cx, cmd, shards, scan, shard + 1, 0);
            return;
        }
        Answered(cx, scan.Seq, ShardCursor.Page(ShardCursor.Next(shard, own, shards.Count), scan.Found, scan.Keys));
    }
}
