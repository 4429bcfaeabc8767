namespace Stakker.Redis;

// EXEC of a transaction whose keys are on several shards (decision 103). The client coordinates by calls and
// Rets, with no lock: it asks each shard the transaction names to hold for it, one after another in
// ascending shard order, each once the previous one is held; a held shard runs only this transaction's
// steps and parks everything else. The last hold's answer settles the watches (a watched key written since
// its WATCH is dirty on its shard, and nothing can write it while held). Then each shard gets its steps
// in one call and answers them all; after the last reply every shard is released. Parsing waits meanwhile,
// so the client's next command follows its transaction on every shard.
internal sealed partial class Client : IShardHolder<Client>
{
    /// <summary>One EXEC across shards on its way</summary>
    sealed class AcrossRun(long seq, int[] order, int steps, int shards)
    {
        public readonly long Seq = seq;
        /// <summary>The shards to hold, ascending</summary>
        public readonly int[] Order = order;
        /// <summary>The first hold is asked for (once every command before EXEC is answered)</summary>
        public bool Asked;
        /// <summary>How many of <see cref="Order"/> are held</summary>
        public int Held;
        public readonly List<Ret<bool>> Releases = [];
        public bool Dirty;
        public readonly Reply[] Replies = new Reply[steps];
        /// <summary>Steps split over shards (MGET, DEL, KEYS...): their answers combined into the step's reply</summary>
        public readonly Gather?[] Gathers = new Gather?[steps];
        public readonly ShardPart?[] Parts = new ShardPart?[shards];
        public readonly List<(int Step, byte[] Channel, byte[] Message)> Publishes = [];
        public int Pending;
    }

    /// <summary>The steps (or parts of steps) one shard runs, with where each answer goes</summary>
    sealed class ShardPart
    {
        public readonly List<CommandInfo> Cmds = [];
        public readonly List<byte[][]> Args = [];
        public readonly List<int> Dbs = [];
        public readonly List<(int Step, int[]? Positions)> Entries = [];
    }

    /// <summary>The EXEC across shards in progress: parsing waits for its reply</summary>
    AcrossRun? _across;

    void ExecAcross(Cx<Client> cx, List<(CommandInfo Cmd, byte[][] Args)> steps, int[] order)
    {
        Shards shards = _ctx.Shards!;
        var run = new AcrossRun(Reserve(), order, steps.Count, shards.Count);
        for (int i = 0; i < steps.Count; i++)
        {
            var (cmd, args) = steps[i];
            switch (cmd.Route)
            {
                case Route.Keyspace:
                    PlanStep(run, i, cmd, args, shards);
                    break;
                case Route.PubSub:
                    run.Publishes.Add((i, args[1], args[2]));
                    break;
                default:
                    // Now, in queue order, as on one shard: SELECT changes the database of the steps after it.
                    run.Replies[i] = RunCaptured(cx, cmd, args);
                    break;
            }
        }
        _across = run;
        // A command sent before EXEC whose steps are still on their way (RENAME across shards...) would be
        // parked behind the transaction on a shard it holds: the holds wait for its answer.
        if (_head == run.Seq) StartHolds(cx, run);
    }

    void StartHolds(Cx<Client> cx, AcrossRun run)
    {
        run.Asked = true;
        AskToHold(cx, run);
    }

    /// <summary>A reply before the EXEC's was written: the holds start once all are</summary>
    void EarlierAnswered(Cx<Client> cx)
    {
        if (_across is { Asked: false } run && _head == run.Seq) StartHolds(cx, run);
    }

    /// <summary>Places step <paramref name="i"/> on the shard of its keys, or splits it over the shards it names</summary>
    void PlanStep(AcrossRun run, int i, CommandInfo cmd, byte[][] args, Shards shards)
    {
        if (OnEveryShard(cmd.Id))
        {
            run.Gathers[i] = new Gather(cmd.Id, run.Seq, shards.Count, 0);
            for (int s = 0; s < shards.Count; s++) Add(run, s, i, null, cmd, args);
            return;
        }
        if (SplitsByKey(cmd.Id))
        {
            int step = cmd.Id == Cmd.MSet ? 2 : 1;
            if (step == 2 && args.Length % 2 == 0) { run.Replies[i] = Reply.Error(Commands.WrongArity("mset")); return; }
            var parts = new List<byte[]>?[shards.Count];
            var positions = new List<int>?[shards.Count];
            int used = 0;
            for (int j = 1; j < args.Length; j += step)
            {
                int s = shards.Of(args[j]);
                if (parts[s] is null) used++;
                (parts[s] ??= [args[0]]).Add(args[j]);
                if (step == 2) parts[s]!.Add(args[j + 1]);
                (positions[s] ??= []).Add((j - 1) / step);
            }
            run.Gathers[i] = new Gather(cmd.Id, run.Seq, used, (args.Length - 1) / step);
            for (int s = 0; s < shards.Count; s++)
                if (parts[s] is { } part) Add(run, s, i, positions[s]!.ToArray(), cmd, [.. part]);
            return;
        }
        int[] keys = TransactionKeys(cmd, args, out _);
        // A command without keys (INFO...) runs on a shard the transaction holds.
        Add(run, keys.Length > 0 ? shards.Of(args[keys[0]]) : run.Order[0], i, null, cmd, args);
    }

    void Add(AcrossRun run, int shard, int step, int[]? positions, CommandInfo cmd, byte[][] args)
    {
        ShardPart part = run.Parts[shard] ??= new ShardPart();
        part.Cmds.Add(cmd);
        part.Args.Add(args);
        part.Dbs.Add(_db);
        part.Entries.Add((step, positions));
    }

    /// <summary>Asks the next shard in order to hold (once a call to it fits: a refused call would fail the client)</summary>
    void AskToHold(Cx<Client> cx, AcrossRun run)
    {
        CrossCoreActor<Keyspace> shard = _ctx.Shards!.All[run.Order[run.Held]];
        if (!shard.HasRoom)
        {
            cx.After(TimeSpan.FromMilliseconds(1), static (c, cx, r) => c.AskToHold(cx, r), run);
            return;
        }
        shard.Call(static (k, cx, id, me, r) => k.HoldFor(cx, id, me, r), _id, cx.This.CrossCore(), (object)run);
    }

    /// <inheritdoc/>
    public void ShardHeld(Cx<Client> cx, object transaction, bool dirty, Ret<bool> release)
    {
        var run = (AcrossRun)transaction;
        // Kept by this actor: if it ends before answering, the shard hears "no value" and releases itself.
        run.Releases.Add(release);
        run.Dirty |= dirty;
        if (++run.Held < run.Order.Length) { AskToHold(cx, run); return; }
        if (run.Dirty) { Finish(cx, run, Reply.NullArray); return; }
        SendSteps(cx, run);
    }

    /// <summary>Every shard's part in one call each, all sent from this one handler: either every part is on
    /// its way or none is (a call that does not fit waits here, the shards held)</summary>
    void SendSteps(Cx<Client> cx, AcrossRun run)
    {
        Shards shards = _ctx.Shards!;
        foreach (int s in run.Order)
        {
            if (run.Parts[s] is null || shards.All[s].HasRoom) continue;
            cx.After(TimeSpan.FromMilliseconds(1), static (c, cx, r) => c.SendSteps(cx, r), run);
            return;
        }
        foreach (int s in run.Order)
        {
            if (run.Parts[s] is not { } part) continue;
            run.Pending++;
            var held = new HeldSteps([.. part.Cmds], [.. part.Args], [.. part.Dbs]);
            shards.All[s].Call(static (k, cx, id, steps, r) => k.RunHeld(cx, id, steps, r), _id, held, PartAnswer(cx, run, s));
        }
        foreach (var (i, channel, message) in run.Publishes)
        {
            run.Pending++;
            _ctx.PubSub.Call(static (p, cx, ch, msg, r) => p.Publish(ch, msg, r), channel, message,
                cx.Ret<(AcrossRun Run, int Step), Reply>((run, i), static (c, cx, p, answer) =>
                {
                    p.Run.Replies[p.Step] = answer.HasValue ? answer.Value : s_shuttingDown;
                    if (--p.Run.Pending == 0) c.Complete(cx, p.Run);
                }));
        }
        if (run.Pending == 0) Complete(cx, run);
    }

    Ret<Reply[]> PartAnswer(Cx<Client> cx, AcrossRun run, int shard) =>
        cx.Ret<(AcrossRun Run, int Shard), Reply[]>((run, shard), static (c, cx, p, answer) =>
        {
            ShardPart part = p.Run.Parts[p.Shard]!;
            for (int j = 0; j < part.Entries.Count; j++)
            {
                Reply reply = answer.HasValue ? answer.Value[j] : s_shuttingDown;
                var (step, positions) = part.Entries[j];
                if (p.Run.Gathers[step] is { } gather) gather.Add(reply, positions);
                else p.Run.Replies[step] = reply;
            }
            if (--p.Run.Pending == 0) c.Complete(cx, p.Run);
        });

    void Complete(Cx<Client> cx, AcrossRun run)
    {
        for (int i = 0; i < run.Replies.Length; i++)
            if (run.Gathers[i] is { } gather) run.Replies[i] = gather.Combine();
        bool resp3 = _resp3;
        Reply[] replies = run.Replies;
        Finish(cx, run, Raw(w =>
        {
            Resp.WriteHeader(w, (byte)'*', replies.Length);
            foreach (Reply r in replies) r.WriteTo(w, resp3);
        }));
    }

    /// <summary>Releases every shard (its parked calls run now, after the whole transaction), answers EXEC,
    /// and parses what came after it</summary>
    void Finish(Cx<Client> cx, AcrossRun run, Reply reply)
    {
        foreach (Ret<bool> release in run.Releases) release.Answer(true);
        run.Releases.Clear();
        _across = null;
        Answered(cx, run.Seq, reply);
        ProcessInput(cx);
    }
}
