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
        if (RouteWhole(cx, cmd, args, shards)) return;
        // Most commands: keys at fixed positions, all on one shard. Found without allocating, since
        // every command on a server of several Cores comes this way.
        if (cmd.Spec is { Movable: false } fixedKeys && OneShardOf(fixedKeys, args, shards) is >= 0 and int one)
        {
            SendToShard(cx, cmd, args, shards, one);
            return;
        }
        if (RouteAcross(cx, cmd, args, shards) || RouteKeyedSubcommand(cx, cmd, args, shards)) return;
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
            if (spec.Movable)
            {
                Reject("ERR '" + cmd.Name + "' is not supported across Cores yet (run with --cores 1)");
                return;
            }
            shard = OneShardOf(spec, args, shards);
            if (shard == -2) { Reject(CrossSlot); return; }
        }
        if (shard < 0) shard = shards.Local;   // no key: this Core's shard answers (INFO, CONFIG...)
        SendToShard(cx, cmd, args, shards, shard);
    }

    void SendToShard(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards, int shard)
    {
        long seq = Reserve();
        if (cmd.Blocking) _blockedSeq = seq;
        shards.Execute(shard, cmd, args.ToArray(), _id, _db, AnswerFor(cx, seq));
    }

    /// <summary>The shard of every key at <paramref name="spec"/>'s fixed positions; -1 when there is none,
    /// -2 when they are on several shards</summary>
    static int OneShardOf(RedisCommandSpec spec, List<byte[]> args, Shards shards)
    {
        if (spec.FirstKey <= 0 || spec.Step <= 0) return -1;
        int shard = -1;
        for (int i = spec.FirstKey, last = spec.LastKeyAt(args.Count); i <= last; i += spec.Step)
        {
            int s = shards.Of(args[i]);
            if (shard < 0) shard = s;
            else if (s != shard) return -2;
        }
        return shard;
    }

    /// <summary>Splits the keys (with their values, for MSET) by shard; one command per shard</summary>
    void FanOutByKey(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards, int step)
    {
        if (EventsInKeyOrder(cmd)) { FanOutInKeyOrder(cx, cmd, args, shards, step); return; }
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
        shards.Execute(shard, cmd, a, _id, _db, GatherRet(cx, gather, positions));
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

// Transactions on a server of several Cores: the shards a transaction names (its WATCHes and queued commands)
// are gathered as it is queued. On one shard its keyspace runs the whole EXEC as one batch of calls; on
// several, EXEC holds them in shard order and runs the steps where their keys are (decision 103).
internal sealed partial class Client
{
    /// <summary>Longest transaction sent to one shard as one batch of calls (a batch holds 512 calls, and
    /// another Core's calls could come between two batches); a longer one holds its shard instead</summary>
    const int MaxStepsAcrossCores = 400;

    /// <summary>The shards the current transaction names, in the order named; empty while it names none</summary>
    List<int>? _txShards;
    /// <summary>A whole-keyspace command (KEYS, DBSIZE, FLUSHALL, FLUSHDB, SWAPDB) is queued: every shard is named</summary>
    bool _txWhole;
    /// <summary>The shards holding this client's watches</summary>
    List<int>? _watchShards;

    /// <summary>The keyspace that holds this client's watches and runs its EXEC on one shard</summary>
    CrossCoreActor<Keyspace> TransactionKeyspace => _ctx.Shards is { } shards
        ? shards.All[_txShards is [int first, ..] ? first : shards.Local]
        : _ctx.Keyspace.CrossCore();

    /// <summary>The transaction names keys of more than one shard</summary>
    bool NamesSeveralShards => _txWhole || _txShards is { Count: > 1 };

    void ForgetTransactionShards()
    {
        _txShards?.Clear();
        _txWhole = false;
    }

    void NameShard(int shard)
    {
        _txShards ??= [];
        if (!_txShards.Contains(shard)) _txShards.Add(shard);
    }

    /// <summary>Every shard the transaction holds at EXEC, ascending (the one global order of holds)</summary>
    int[] ShardsToHold(Shards shards)
    {
        if (_txWhole) return [.. Enumerable.Range(0, shards.Count)];
        if (_txShards is not { Count: > 0 }) return [shards.Local];
        int[] order = [.. _txShards];
        Array.Sort(order);
        return order;
    }

    /// <summary>Commands that split their keys by shard inside a transaction as they do outside one</summary>
    static bool SplitsByKey(Cmd id) => id is Cmd.MGet or Cmd.MSet or Cmd.Del or Cmd.Exists or Cmd.Touch;

    /// <summary>Commands on every shard's keys, run on every shard inside a transaction</summary>
    static bool OnEveryShard(Cmd id) => id is Cmd.DbSize or Cmd.FlushAll or Cmd.FlushDb or Cmd.Keys or Cmd.SwapDb;

    /// <summary>The positions of <paramref name="cmd"/>'s keys in <paramref name="args"/>, or the error that refuses it across Cores</summary>
    static int[] TransactionKeys(CommandInfo cmd, IReadOnlyList<byte[]> args, out string? refused)
    {
        refused = null;
        // OBJECT ENCODING key...: the key is its third argument (Redis's table gives it none).
        if (cmd.Id == Cmd.Object) return args.Count >= 3 ? [2] : [];
        if (cmd.Spec is not { } spec) return [];
        if (!spec.Movable) return [.. RedisCommandTable.KeyPositions(spec, args.Count)];
        // Keys found by a count (ZUNIONSTORE, LMPOP...) are placed like any others.
        if (CountedKeys.Knows(cmd.Id)) return CountedKeys.Positions(cmd.Id, args) ?? [];
        refused = "ERR '" + cmd.Name + "' is not supported across Cores yet (run with --cores 1)";
        return [];
    }

    /// <summary>Names the shards of a command queued in MULTI; the error to answer when it cannot run in a
    /// transaction across Cores</summary>
    string? TransactionShard(CommandInfo cmd, List<byte[]> args, Shards shards)
    {
        switch (cmd.Id)
        {
            case Cmd.Scan or Cmd.RandomKey:
                return "ERR '" + cmd.Name + "' inside a transaction is not supported across Cores yet (run with --cores 1)";
            case var id when OnEveryShard(id):
                if (shards.Held < shards.Count) return TransactionAcrossProcesses(cmd.Name);
                _txWhole = true;
                return null;
        }
        int[] keys = TransactionKeys(cmd, args, out string? refused);
        if (refused is not null) return refused;
        // Holding shards and running a transaction's steps are calls within one process (decision 109).
        if (InOtherProcess(shards, keys.Select(i => args[i]))) return TransactionAcrossProcesses(cmd.Name);
        int own = -1;
        foreach (int i in keys)
        {
            int s = shards.Of(args[i]);
            if (own < 0) own = s;
            else if (s != own && !SplitsByKey(cmd.Id))
                return "ERR '" + cmd.Name + "' with keys on several shards is not supported inside a transaction (run with --cores 1)";
        }
        foreach (int i in keys) NameShard(shards.Of(args[i]));
        return null;
    }

    /// <summary>What a transaction gets on a distributed server for a key of another process's shard</summary>
    static string TransactionAcrossProcesses(string command) =>
        "CROSSSLOT '" + command + "' inside a transaction names keys another process holds; a transaction runs on the shards of the process it is sent to";

    /// <summary>WATCH on a server of several Cores: each key is watched on its own shard; one reply once all have it</summary>
    void WatchOnShards(Cx<Client> cx, List<byte[]> a, Shards shards)
    {
        var byShard = new List<byte[]>?[shards.Count];
        int groups = 0;
        for (int i = 1; i < a.Count; i++)
        {
            int s = shards.Of(a[i]);
            if (byShard[s] is null) groups++;
            (byShard[s] ??= []).Add(a[i]);
        }
        long seq = Reserve();
        var gather = new Gather(Cmd.Watch, seq, groups, 0);
        _watchShards ??= [];
        for (int s = 0; s < shards.Count; s++)
        {
            if (byShard[s] is not { } keys) continue;
            NameShard(s);
            if (!_watchShards.Contains(s)) _watchShards.Add(s);
            Ret<Reply> ret = groups == 1 ? AnswerFor(cx, seq) : GatherRet(cx, gather, null);
            shards.All[s].Call(static (k, cx, who, keys, r) => k.Watch(cx, who.Id, who.Db, keys, r), (Id: _id, Db: _db), keys.ToArray(), ret);
        }
    }
}
