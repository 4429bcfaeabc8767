namespace Stakker.Redis;

// DEL/UNLINK and MSET on keys of several shards while keyspace events are on: the shards are asked one after
// the other, in the order of the keys, so the events come in the order Redis sends them (the keys' order).
// Each shard sends its events before its answer, and the next shard is asked only once that answer is in.
// With events off the shards are asked all at once (Client.Shards.cs).
internal sealed partial class Client
{
    /// <summary>A run of consecutive keys on one shard: its arguments and the keys' places in the command</summary>
    readonly record struct KeyRun(int Shard, byte[][] Args, int[] Positions);

    /// <summary>Takes a fan-out by key whose events must keep the keys' order; false leaves it to the fan-out at once</summary>
    bool FanOutInKeyOrder(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards, int step)
    {
        if (cmd.Id is not (Cmd.Del or Cmd.MSet) || _ctx.Settings.Events.Classes == NotifyClass.None) return false;
        var runs = new List<KeyRun>();
        int shard = -1;
        List<byte[]>? part = null;
        List<int>? positions = null;
        for (int i = 1; i < args.Count; i += step)
        {
            int s = shards.Of(args[i]);
            if (s != shard)
            {
                if (part is not null) runs.Add(new KeyRun(shard, [.. part], [.. positions!]));
                shard = s;
                part = [args[0]];
                positions = [];
            }
            part!.Add(args[i]);
            if (step == 2) part.Add(args[i + 1]);
            positions!.Add((i - 1) / step);
        }
        if (part is not null) runs.Add(new KeyRun(shard, [.. part], [.. positions!]));
        if (runs.Count < 2) return false;   // one shard: nothing to order
        var gather = new Gather(cmd.Id, Reserve(), runs.Count, (args.Count - 1) / step);
        SendRun(cx, shards, cmd, runs, 0, gather);
        return true;
    }

    void SendRun(Cx<Client> cx, Shards shards, CommandInfo cmd, List<KeyRun> runs, int index, Gather gather)
    {
        KeyRun run = runs[index];
        shards.All[run.Shard].Call(static (k, cx, c, a, who, r) => k.Execute(cx, c, a, who.Id, who.Db, r), cmd, run.Args, (Id: _id, Db: _db),
            cx.Ret<(List<KeyRun> Runs, int Index, Gather G, CommandInfo Cmd), Reply>((runs, index, gather, cmd), static (c, cx, p, answer) =>
            {
                p.G.Add(answer.HasValue ? answer.Value : s_shuttingDown, p.Runs[p.Index].Positions);
                if (p.G.Done) c.Answered(cx, p.G.Seq, p.G.Combine());
                else c.SendRun(cx, c._ctx.Shards!, p.Cmd, p.Runs, p.Index + 1, p.G);
            }));
    }
}
