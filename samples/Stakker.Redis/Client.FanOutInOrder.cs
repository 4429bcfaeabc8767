namespace Stakker.Redis;

// DEL, UNLINK, MSET and MSETNX's setting on keys of several shards while keyspace events are on: each shard sends its events to the
// pub/sub actor on its own link, so shards asked at once could have their events arrive in any order. Sent run by
// run instead (consecutive keys on one shard), each run once the one before has answered, the events come in the
// order of the keys, as on one Core. With events off the shards are asked at once (Client.Shards.cs).
internal sealed partial class Client
{
    bool EventsInKeyOrder(CommandInfo cmd) =>
        cmd.Id is Cmd.Del or Cmd.MSet && _ctx.Settings.Events.Classes != NotifyClass.None;

    sealed record KeyRuns(CommandInfo Cmd, int Db, Gather Gather, (int Shard, byte[][] Args, int[] Positions)[] Runs);

    void FanOutInKeyOrder(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards, int step)
    {
        var runs = new List<(int, byte[][], int[])>();
        for (int i = 1; i < args.Count;)
        {
            int s = shards.Of(args[i]);
            List<byte[]> part = [args[0]];
            var positions = new List<int>();
            for (; i < args.Count && shards.Of(args[i]) == s; i += step)
            {
                part.Add(args[i]);
                if (step == 2) part.Add(args[i + 1]);
                positions.Add((i - 1) / step);
            }
            runs.Add((s, [.. part], [.. positions]));
        }
        var order = new KeyRuns(cmd, _db, new Gather(cmd.Id, Reserve(), runs.Count, (args.Count - 1) / step), [.. runs]);
        SendRun(cx, order, 0);
    }

    void SendRun(Cx<Client> cx, KeyRuns order, int index)
    {
        var (shard, a, _) = order.Runs[index];
        Sharded.Execute(shard, order.Cmd, a, _id, order.Db,
            cx.Ret<(KeyRuns Order, int Index), Reply>((order, index), static (c, cx, p, answer) =>
            {
                Gather gather = p.Order.Gather;
                gather.Add(answer.HasValue ? answer.Value : s_shuttingDown, p.Order.Runs[p.Index].Positions);
                if (gather.Done) c.Answered(cx, gather.Seq, gather.Combine());
                else c.SendRun(cx, p.Order, p.Index + 1);
            }));
    }

    sealed record PairRuns(Across Op, (int Shard, byte[][] Pairs)[] Runs);

    /// <summary>MSETNX's setting, once every shard said its keys are free: run by run in the keys' order; if a run is
    /// refused (a key was written meanwhile), the runs already set are undone before the answer</summary>
    void MSetNxInKeyOrder(Cx<Client> cx, Across op)
    {
        var runs = new List<(int, byte[][])>();
        byte[][] a = op.Args;
        for (int i = 1; i < a.Length;)
        {
            int s = Sharded.Of(a[i]);
            var pairs = new List<byte[]>();
            for (; i < a.Length && Sharded.Of(a[i]) == s; i += 2)
            {
                pairs.Add(a[i]);
                pairs.Add(a[i + 1]);
            }
            runs.Add((s, [.. pairs]));
        }
        SetRun(cx, new PairRuns(op, [.. runs]), 0);
    }

    void SetRun(Cx<Client> cx, PairRuns runs, int index)
    {
        Across op = runs.Op;
        var (shard, pairs) = runs.Runs[index];
        Sharded.All[shard].Call(static (k, cx, c, a, who, r) => k.Execute(cx, c, a, who.Id, who.Db, r), s_msetnx, Made(s_msetnx, pairs), (Id: op.Client, Db: op.Db),
            cx.Ret<(PairRuns Runs, int Index), Reply>((runs, index), static (c, cx, p, answer) =>
            {
                Across op = p.Runs.Op;
                if (op.Finished) return;
                if (!answer.HasValue) { c.Finish(cx, op, s_shuttingDown); return; }
                if (answer.Value.Kind == ReplyKind.Integer && answer.Value.Integer == 1)
                {
                    if (p.Index + 1 < p.Runs.Runs.Length) c.SetRun(cx, p.Runs, p.Index + 1);
                    else c.Finish(cx, op, Reply.One);
                    return;
                }
                // Undone where set, and answered once every undo is done (as MSetNxSet does).
                op.Waiting = p.Index;
                if (op.Waiting == 0) { c.Finish(cx, op, Reply.Zero); return; }
                for (int j = 0; j < p.Index; j++)
                {
                    var (s, set) = p.Runs.Runs[j];
                    c.Sharded.All[s].Call(static (k, cx, db, pairs, r) => k.Unset(cx, db, pairs, r), op.Db, set,
                        Then<bool>(cx, op, static (c, cx, op, _) => { if (--op.Waiting == 0) c.Finish(cx, op, Reply.Zero); }));
                }
            }));
    }
}
