namespace Stakker.Redis;

// A server of several Cores (--cores N): each Core owns a shard of the keyspace. A command on keys goes
// to the shard that owns them; a command whose keys are on several shards either fans out (MGET, MSET,
// DEL, UNLINK, EXISTS, TOUCH, and the whole-keyspace DBSIZE, FLUSHALL, FLUSHDB, KEYS) and its answers
// are gathered here, or is refused with Redis Cluster's CROSSSLOT error.
internal sealed partial class Client
{
    const string CrossSlot = "CROSSSLOT Keys in request don't hash to the same slot";

    /// <summary>What a command gets when a shard it needs answered nothing (its Core closed)</summary>
    static readonly Reply s_shuttingDown = Reply.Error("ERR server is shutting down");

    /// <summary>Parsing waits for room on the way to a shard</summary>
    bool _waitingForRoom;

    /// <summary>This Core has as many calls on the way to a shard as the runtime allows (its
    /// CrossCoreCapacity): parsing stops, and looks again a millisecond later, when the shard has taken
    /// some. TCP holds the client back meanwhile, as for a full output buffer.</summary>
    void WaitForRoom(Cx<Client> cx)
    {
        if (_waitingForRoom) return;
        _waitingForRoom = true;
        cx.After(TimeSpan.FromMilliseconds(1), static (c, cx) =>
        {
            c._waitingForRoom = false;
            c.ProcessInput(cx);
        });
    }

    void RouteSharded(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards)
    {
        // Commands about the whole server or keyspace (Client.ShardsWhole.cs), then commands on keys of
        // several shards (Client.ShardsAcross.cs): each says whether it took the command.
        if (RouteWhole(cx, cmd, args, shards) || RouteAcross(cx, cmd, args, shards) || RouteKeyedSubcommand(cx, cmd, args, shards)) return;
        switch (cmd.Id)
        {
            case Cmd.MGet or Cmd.Del or Cmd.Exists or Cmd.Touch:
                FanOutByKey(cx, cmd, args, shards, step: 1);
                return;
            case Cmd.MSet:
                if (args.Count % 2 == 0) { Reject(Commands.WrongArity("mset")); return; }
                FanOutByKey(cx, cmd, args, shards, step: 2);
                return;
            case Cmd.DbSize or Cmd.FlushAll or Cmd.FlushDb or Cmd.Keys:
                FanOutToAll(cx, cmd, args, shards);
                return;
        }
        int shard = -1;
        if (cmd.Spec is { } spec)
        {
            if (spec.Has("movablekeys"))
            {
                Reject("ERR '" + cmd.Name + "' is not supported across Cores yet (run with --cores 1)");
                return;
            }
            foreach (int i in RedisCommandTable.KeyPositions(spec, args.Count))
            {
                int s = shards.Of(args[i]);
                if (shard < 0) shard = s;
                else if (s != shard) { Reject(CrossSlot); return; }
            }
        }
        if (shard < 0) shard = shards.Local;   // no key: this Core's shard answers (INFO, CONFIG...)
        long seq = Reserve();
        if (cmd.Blocking) _blockedSeq = seq;
        shards.All[shard].Call(static (k, cx, c, a, who, r) => k.Execute(cx, c, a, who.Id, who.Db, r), cmd, args.ToArray(), (Id: _id, Db: _db), AnswerFor(cx, seq));
    }

    /// <summary>Splits the keys (with their values, for MSET) by shard; one command per shard</summary>
    void FanOutByKey(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards, int step)
    {
        if (FanOutInKeyOrder(cx, cmd, args, shards, step)) return;
        var parts = new List<byte[]>?[shards.Count];
        var positions = new List<int>?[shards.Count];
        for (int i = 1; i < args.Count; i += step)
        {
            int s = shards.Of(args[i]);
            (parts[s] ??= [args[0]]).Add(args[i]);
            if (step == 2) parts[s]!.Add(args[i + 1]);
            (positions[s] ??= []).Add((i - 1) / step);
        }
        var gather = new Gather(cmd.Id, Reserve(), shards.Count, (args.Count - 1) / step);
        for (int s = 0; s < shards.Count; s++)
        {
            if (parts[s] is not { } part) { gather.Skip(); continue; }
            Send(cx, shards, s, cmd, [.. part], gather, positions[s]!.ToArray());
        }
        if (gather.Done) Answered(cx, gather.Seq, gather.Combine());
    }

    void FanOutToAll(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards)
    {
        var gather = new Gather(cmd.Id, Reserve(), shards.Count, 0);
        byte[][] a = args.ToArray();
        for (int s = 0; s < shards.Count; s++) Send(cx, shards, s, cmd, a, gather, null);
    }

    void Send(Cx<Client> cx, Shards shards, int shard, CommandInfo cmd, byte[][] a, Gather gather, int[]? positions)
    {
        shards.All[shard].Call(static (k, cx, c, a, who, r) => k.Execute(cx, c, a, who.Id, who.Db, r), cmd, a, (Id: _id, Db: _db), GatherRet(cx, gather, positions));
    }

    /// <summary>One shard's answer into <paramref name="gather"/>; the client's reply once all are in</summary>
    static Ret<Reply> GatherRet(Cx<Client> cx, Gather gather, int[]? positions) =>
        cx.Ret<(Gather G, int[]? P), Reply>((gather, positions), static (c, cx, p, answer) =>
        {
            p.G.Add(answer.HasValue ? answer.Value : Reply.Error("ERR server is shutting down"), p.P);
            if (p.G.Done) c.Answered(cx, p.G.Seq, p.G.Combine());
        });

    /// <summary>The answers of the shards one command went to, combined into the client's one reply</summary>
    sealed class Gather(Cmd cmd, long seq, int shards, int items)
    {
        public readonly long Seq = seq;
        int _waiting = shards;
        long _sum;
        Reply? _error;
        readonly byte[]?[]? _values = cmd == Cmd.MGet ? new byte[]?[items] : null;
        readonly List<byte[]?>? _keys = cmd == Cmd.Keys ? [] : null;

        public bool Done => _waiting == 0;

        public void Skip() => _waiting--;

        public void Add(Reply answer, int[]? positions)
        {
            _waiting--;
            if (answer.Kind == ReplyKind.Error) { _error ??= answer; return; }
            switch (cmd)
            {
                case Cmd.MGet:
                    var got = (byte[]?[])answer.Data!;
                    for (int i = 0; i < positions!.Length; i++) _values![positions[i]] = got[i];
                    break;
                case Cmd.Keys:
                    _keys!.AddRange((byte[]?[])answer.Data!);
                    break;
                case Cmd.Del or Cmd.Exists or Cmd.Touch or Cmd.DbSize:
                    _sum += answer.Integer;
                    break;
            }
        }

        public Reply Combine() => _error ?? cmd switch
        {
            Cmd.MGet => Reply.Array(_values!),
            Cmd.Keys => Reply.Array([.. _keys!]),
            Cmd.Del or Cmd.Exists or Cmd.Touch or Cmd.DbSize => Reply.Int(_sum),
            _ => Reply.Ok,
        };
    }
}

// Transactions on a server of several Cores: every key a transaction names (WATCH and the queued
// commands) must be on one shard, whose keyspace then runs the whole EXEC; otherwise CROSSSLOT.
internal sealed partial class Client
{
    /// <summary>Longest transaction sent across Cores: its calls must reach the shard in one batch
    /// (a batch holds 512 calls), or another Core's calls could come between them</summary>
    const int MaxStepsAcrossCores = 400;

    static readonly CommandInfo _watchCommand = Commands.Find("watch"u8.ToArray())!;

    /// <summary>The shard every key of the current transaction is on; -1 while it names none</summary>
    int _txShard = -1;

    /// <summary>The keyspace that holds this client's watches and runs its EXEC</summary>
    CrossCoreActor<Keyspace> TransactionKeyspace => _ctx.Shards is { } shards
        ? shards.All[_txShard >= 0 ? _txShard : shards.Local]
        : _ctx.Keyspace.CrossCore();

    /// <summary>Checks that <paramref name="cmd"/>'s keys are on the transaction's shard (and makes it the
    /// transaction's shard if it has none); the error to answer when not</summary>
    string? TransactionShard(CommandInfo cmd, List<byte[]> args, Shards shards)
    {
        switch (cmd.Id)
        {
            case Cmd.DbSize or Cmd.FlushAll or Cmd.FlushDb or Cmd.Keys or Cmd.Scan or Cmd.RandomKey or Cmd.SwapDb:
                return "ERR '" + cmd.Name + "' inside a transaction is not supported across Cores yet (run with --cores 1)";
        }
        if (cmd.Spec is not { } spec) return null;
        IEnumerable<int> keys = RedisCommandTable.KeyPositions(spec, args.Count);
        if (spec.Has("movablekeys"))
        {
            // Keys found by a count (ZUNIONSTORE, LMPOP...) are held to the transaction's shard like any others.
            if (!CountedKeys.Knows(cmd.Id)) return "ERR '" + cmd.Name + "' is not supported across Cores yet (run with --cores 1)";
            keys = CountedKeys.Positions(cmd.Id, args) ?? [];
        }
        int shard = _txShard;
        foreach (int i in keys)
        {
            int s = shards.Of(args[i]);
            if (shard < 0) shard = s;
            else if (s != shard) return CrossSlot;
        }
        _txShard = shard;
        return null;
    }
}
