using System.Text;

namespace Stakker.Redis;

// On a server of several Cores: commands whose keys are on several shards, gathered from their shards and
// applied where they belong (decision 102). Commands that only read some keys (SINTER, ZUNIONSTORE's sources,
// COPY's source...) borrow copies of those values and run on one shard; commands that move a value or an
// element (RENAME, SMOVE, LMOVE) take it out of one shard and put it into the other; MSETNX checks every
// shard, then sets, and undoes its part on the shards that set if another refused.
internal sealed partial class Client
{
    static readonly CommandInfo s_srem = CommandNamed("srem"), s_sadd = CommandNamed("sadd");
    static readonly CommandInfo s_lpop = CommandNamed("lpop"), s_rpop = CommandNamed("rpop");
    static readonly CommandInfo s_lpush = CommandNamed("lpush"), s_rpush = CommandNamed("rpush");
    static readonly CommandInfo s_msetnx = CommandNamed("msetnx");
    static readonly Reply s_noSuchKey = Reply.Error("ERR no such key");

    static CommandInfo CommandNamed(string name) => Commands.Find(Encoding.ASCII.GetBytes(name))!;

    /// <summary>Keys on more than one shard</summary>
    const int SeveralShards = -2;

    /// <summary>One command across shards on its way: its reply slot, the client and database it runs for
    /// (fixed when it was parsed: a SELECT pipelined after it does not change it), and what its steps gathered</summary>
    sealed class Across(long seq, long client, int db, CommandInfo cmd, byte[][] args)
    {
        public readonly long Seq = seq;
        public readonly long Client = client;
        public readonly int Db = db;
        public readonly CommandInfo Cmd = cmd;
        public readonly byte[][] Args = args;
        public bool Finished;
        /// <summary>Answers still awaited from the shards of a step that asks several</summary>
        public int Waiting;
        /// <summary>A shard said no (MSETNX)</summary>
        public bool Refused;
        public int RunOn;
        public readonly List<byte[]> LentKeys = [];
        public readonly List<KeyValueOut?> LentValues = [];
        public KeyValueOut? Taken;
        public bool FromLeft, ToLeft;
        /// <summary>LMPOP/ZMPOP: the key positions, and the one being tried</summary>
        public int[] Keys = [];
        public int Index;
        /// <summary>MSETNX: each shard's keys and values, and the shards that set theirs</summary>
        public byte[][]?[] Pairs = [];
        public bool[] Set = [];
        /// <summary>BLMOVE across shards: this LMOVE is one of its tries, and answers it instead of the client</summary>
        public BlockedAcross? Blocked;
    }

    /// <summary>Takes <paramref name="cmd"/> if it is one of this file's; false leaves it to the routing by key</summary>
    bool RouteAcross(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards)
    {
        switch (cmd.Id)
        {
            case Cmd.Sort or Cmd.SortRo:
                RouteSort(cx, cmd, args, shards);
                return true;
            case Cmd.Object when args.Count >= 3:
                // OBJECT ENCODING key...: the key is its third argument (Redis's table gives it none).
                RunOn(cx, cmd, args, shards, shards.Of(args[2]));
                return true;
        }
        if (cmd.Spec is not { } spec) return false;
        bool counted = spec.Movable;
        int[]? keys;
        if (counted)
        {
            if (!CountedKeys.Knows(cmd.Id)) return false;   // SORT BY/GET...: refused by the routing by key
            keys = CountedKeys.Positions(cmd.Id, args);
            if (keys is null)
            {
                // No keys to be found: the command's own checks give Redis's error, on any shard.
                RunOn(cx, cmd, args, shards, shards.Local);
                return true;
            }
        }
        else keys = [.. RedisCommandTable.KeyPositions(spec, args.Count)];
        int shard = OneShard(args, keys, shards);
        if (shard != SeveralShards)
        {
            if (!counted) return false;
            RunOn(cx, cmd, args, shards, shard < 0 ? shards.Local : shard);
            return true;
        }
        switch (cmd.Id)
        {
            // Values move between shards by calls within a process: a key of another process's shard refuses these
            // (Borrow, below, checks its own shards).
            case Cmd.Rename or Cmd.RenameNx or Cmd.SMove or Cmd.LMove or Cmd.RPopLPush or Cmd.BLPop or Cmd.BRPop or Cmd.BZPopMin
                or Cmd.BZPopMax or Cmd.BLMPop or Cmd.BZMPop or Cmd.BLMove or Cmd.BRPopLPush or Cmd.MSetNx or Cmd.LMPop or Cmd.ZMPop
                when InOtherProcess(shards, keys.Select(i => args[i])):
                Reject(CrossProcess);
                return true;
            case Cmd.SInter or Cmd.SUnion or Cmd.SDiff or Cmd.SInterCard or Cmd.ZUnion or Cmd.ZInter or Cmd.ZDiff or Cmd.ZInterCard or Cmd.Lcs:
                Borrow(cx, cmd, args, shards, keys, shards.Local);
                return true;
            case Cmd.SInterStore or Cmd.SUnionStore or Cmd.SDiffStore or Cmd.ZUnionStore or Cmd.ZInterStore or Cmd.ZDiffStore or Cmd.ZRangeStore:
                Borrow(cx, cmd, args, shards, keys, shards.Of(args[1]));
                return true;
            case Cmd.Copy:
                Borrow(cx, cmd, args, shards, keys, shards.Of(args[2]));
                return true;
            case Cmd.Rename or Cmd.RenameNx:
                RenameAcross(cx, Start(cmd, args));
                return true;
            case Cmd.SMove:
                SMoveAcross(cx, Start(cmd, args));
                return true;
            case Cmd.LMove or Cmd.RPopLPush:
                LMoveAcross(cx, cmd, args);
                return true;
            case Cmd.BLPop or Cmd.BRPop or Cmd.BZPopMin or Cmd.BZPopMax or Cmd.BLMPop or Cmd.BZMPop:
                BlockAcross(cx, cmd, args, shards);
                return true;
            case Cmd.BLMove or Cmd.BRPopLPush:
                BlockingMoveAcross(cx, cmd, args, shards);
                return true;
            case Cmd.MSetNx:
                MSetNxAcross(cx, cmd, args, shards);
                return true;
            case Cmd.LMPop or Cmd.ZMPop:
            {
                Across op = Start(cmd, args);
                op.Keys = keys;
                PopFirstAcross(cx, op);
                return true;
            }
            default:
                if (!counted) return false;
                Reject(CrossSlot);
                return true;
        }
    }

    /// <summary>SORT/SORT_RO on the key's shard; with STORE on another shard, the source borrowed there. BY and
    /// GET patterns with a '*' name keys that could be on any shard: those are borrowed too (Client.SortAcross.cs)</summary>
    void RouteSort(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards)
    {
        int store = -1;
        bool patterns = false;
        for (int j = 2; j < args.Count; j++)
        {
            int left = args.Count - j - 1;
            if (Commands.Is(args[j], "limit") && left >= 2) j += 2;
            else if ((Commands.Is(args[j], "by") || Commands.Is(args[j], "get")) && left >= 1)
            {
                if (Array.IndexOf(args[++j], (byte)'*') >= 0) patterns = true;
            }
            else if (cmd.Id == Cmd.Sort && Commands.Is(args[j], "store") && left >= 1) store = ++j;
        }
        if (patterns) { SortAcross(cx, cmd, args, shards, store); return; }
        int[] keys = store > 0 ? [1, store] : [1];
        int shard = OneShard(args, keys, shards);
        if (shard != SeveralShards) RunOn(cx, cmd, args, shards, shard);
        else Borrow(cx, cmd, args, shards, keys, shards.Of(args[store]));
    }

    /// <summary>What a command on keys of several shards gets on a distributed server when one of them is in another
    /// process: these commands move values between shards with calls that stay within a process (decision 109)</summary>
    const string CrossProcess = "CROSSSLOT Keys in request are held by different processes; keep them together with a {hash tag}";

    /// <summary>True if one of <paramref name="keys"/> is on a shard of another process</summary>
    static bool InOtherProcess(Shards shards, IEnumerable<byte[]> keys)
    {
        if (shards.Distribution is null) return false;
        foreach (byte[] key in keys)
            if (!shards.IsLocal(shards.Of(key))) return true;
        return false;
    }

    static int OneShard(List<byte[]> args, int[] keys, Shards shards)
    {
        int shard = -1;
        foreach (int i in keys)
        {
            int s = shards.Of(args[i]);
            if (shard < 0) shard = s;
            else if (s != shard) return SeveralShards;
        }
        return shard;
    }

    /// <summary>The whole command to one shard, as the routing by key sends it</summary>
    void RunOn(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards, int shard)
    {
        long seq = Reserve();
        if (cmd.Blocking) _blockedSeq = seq;
        shards.Execute(shard, cmd, args.ToArray(), _id, _db, AnswerFor(cx, seq));
    }

    Across Start(CommandInfo cmd, List<byte[]> args) => new(Reserve(), _id, _db, cmd, args.ToArray());

    Shards Sharded => _ctx.Shards!;

    /// <summary>The command's one reply (once: a shard lost on the way after another answered changes nothing)</summary>
    void Finish(Cx<Client> cx, Across op, Reply reply)
    {
        if (op.Finished) return;
        op.Finished = true;
        if (op.Blocked is { } blocked) Moved(cx, blocked, reply);
        else Answered(cx, op.Seq, reply);
    }

    /// <summary>A step's answer into <paramref name="next"/>; a shard gone (shutting down) ends the command</summary>
    static Ret<T> Then<T>(Cx<Client> cx, Across op, Action<Client, Cx<Client>, Across, T> next) =>
        cx.Ret<(Across Op, Action<Client, Cx<Client>, Across, T> Next), T>((op, next), static (c, cx, p, answer) =>
        {
            if (p.Op.Finished) return;
            if (answer.HasValue) p.Next(c, cx, p.Op, answer.Value);
            else c.Finish(cx, p.Op, s_shuttingDown);
        });

    /// <summary><see cref="Then"/> for a step sent to several shards at once, saying which one answered</summary>
    static Ret<T> ThenFrom<T>(Cx<Client> cx, Across op, int shard, Action<Client, Cx<Client>, Across, int, T> next) =>
        cx.Ret<(Across Op, int Shard, Action<Client, Cx<Client>, Across, int, T> Next), T>((op, shard, next), static (c, cx, p, answer) =>
        {
            if (p.Op.Finished) return;
            if (answer.HasValue) p.Next(c, cx, p.Op, p.Shard, answer.Value);
            else c.Finish(cx, p.Op, s_shuttingDown);
        });

    void TypesAt(Cx<Client> cx, Across op, byte[] key, Action<Client, Cx<Client>, Across, string[]> next) =>
        Sharded.All[Sharded.Of(key)].Call(static (k, cx, db, keys, r) => k.TypesOf(cx, db, keys, r), op.Db, new[] { key }, Then(cx, op, next));

    /// <summary>A command made here (SREM, LPUSH...) run on <paramref name="shard"/> for the client</summary>
    void RunAt(Cx<Client> cx, Across op, int shard, CommandInfo cmd, byte[][] a, Action<Client, Cx<Client>, Across, Reply> next) =>
        Sharded.Execute(shard, cmd, a, op.Client, op.Db, Then(cx, op, next));

    void RunAt(Cx<Client> cx, Across op, CommandInfo cmd, byte[][] a, Action<Client, Cx<Client>, Across, Reply> next) =>
        RunAt(cx, op, Sharded.Of(a[1]), cmd, a, next);

    static byte[][] Made(CommandInfo cmd, params byte[][] rest) => [Encoding.ASCII.GetBytes(cmd.Name), .. rest];

    // ---- commands that read other shards' keys: borrow copies, run on one shard ----------------------

    /// <summary>Copies of the keys not on <paramref name="runOn"/> are gathered from their shards, then the
    /// command runs on <paramref name="runOn"/> with them lent in (Keyspace.ExecuteBorrowing)</summary>
    void Borrow(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards, int[] keys, int runOn)
    {
        Across op = Start(cmd, args);
        op.RunOn = runOn;
        Borrow(cx, op, [.. keys.Select(i => args[i])]);
    }

    /// <summary>Copies of <paramref name="keys"/> not on the shard <paramref name="op"/> runs on are gathered from
    /// their shards, then it runs there with them lent in</summary>
    void Borrow(Cx<Client> cx, Across op, byte[][] keys)
    {
        Shards shards = Sharded;
        int runOn = op.RunOn;
        var parts = new HashSet<byte[]>?[shards.Count];
        foreach (byte[] key in keys)
        {
            int s = shards.Of(key);
            if (s != runOn) (parts[s] ??= new HashSet<byte[]>(ByteKeyComparer.Instance)).Add(key);
        }
        if (!shards.IsLocal(runOn) || InOtherProcess(shards, keys))
        {
            Finish(cx, op, Reply.Error(CrossProcess));
            return;
        }
        foreach (HashSet<byte[]>? part in parts) if (part is not null) op.Waiting++;
        if (op.Waiting == 0) { RunBorrowing(cx, op); return; }
        for (int s = 0; s < parts.Length; s++)
        {
            if (parts[s] is not { } part) continue;
            byte[][] lentKeys = [.. part];
            shards.All[s].Call(static (k, cx, db, keys, r) => k.Lend(cx, db, keys, r), op.Db, lentKeys,
                cx.Ret<(Across Op, byte[][] Keys), KeyValueOut?[]>((op, lentKeys), static (c, cx, p, answer) =>
                {
                    if (p.Op.Finished) return;
                    if (!answer.HasValue) { c.Finish(cx, p.Op, s_shuttingDown); return; }
                    p.Op.LentKeys.AddRange(p.Keys);
                    p.Op.LentValues.AddRange(answer.Value);
                    if (--p.Op.Waiting == 0) c.RunBorrowing(cx, p.Op);
                }));
        }
    }

    void RunBorrowing(Cx<Client> cx, Across op) =>
        Sharded.All[op.RunOn].Call(static (k, cx, c, a, lent, r) => k.ExecuteBorrowing(cx, c, a, lent, r), op.Cmd, op.Args,
            (Id: op.Client, Db: op.Db, Keys: op.LentKeys.ToArray(), Values: op.LentValues.ToArray()),
            Then<Reply>(cx, op, static (c, cx, op, reply) => c.Finish(cx, op, reply)));

    // ---- RENAME, RENAMENX: the value taken out of one shard and put into the other ---------------------

    void RenameAcross(Cx<Client> cx, Across op)
    {
        if (op.Cmd.Id == Cmd.Rename)
        {
            TakeOutThenPutIn(cx, op);
            return;
        }
        // RENAMENX: an existing destination leaves the source where it is ("no such key" still comes first).
        TypesAt(cx, op, op.Args[2], static (c, cx, op, dst) =>
        {
            if (dst[0] == "none") c.TakeOutThenPutIn(cx, op);
            else c.TypesAt(cx, op, op.Args[1], static (c, cx, op, src) => c.Finish(cx, op, src[0] == "none" ? s_noSuchKey : Reply.Zero));
        });
    }

    void TakeOutThenPutIn(Cx<Client> cx, Across op) =>
        Sharded.All[Sharded.Of(op.Args[1])].Call(static (k, cx, db, key, r) => k.TakeOut(cx, db, key, r), op.Db, op.Args[1],
            Then<KeyValueOut?>(cx, op, static (c, cx, op, taken) =>
            {
                if (taken is null) { c.Finish(cx, op, s_noSuchKey); return; }
                op.Taken = taken;
                c.PutIn(cx, op, op.Args[2], taken, onlyIfAbsent: op.Cmd.Id == Cmd.RenameNx, renamedFrom: op.Args[1], static (c, cx, op, put) =>
                {
                    bool nx = op.Cmd.Id == Cmd.RenameNx;
                    if (put) { c.Finish(cx, op, nx ? Reply.One : Reply.Ok); return; }
                    // RENAMENX whose destination was written after it looked: the value goes back, unless the
                    // source was written meanwhile too (that write is then the later one, and stays).
                    c.PutIn(cx, op, op.Args[1], op.Taken!, onlyIfAbsent: true, renamedFrom: null, static (c, cx, op, _) => c.Finish(cx, op, Reply.Zero));
                });
            }));

    void PutIn(Cx<Client> cx, Across op, byte[] key, KeyValueOut value, bool onlyIfAbsent, byte[]? renamedFrom, Action<Client, Cx<Client>, Across, bool> next) =>
        Sharded.All[Sharded.Of(key)].Call(static (k, cx, db, key, put, r) => k.PutIn(cx, db, key, put, r), op.Db, key,
            (Value: value, OnlyIfAbsent: onlyIfAbsent, RenamedFrom: renamedFrom), Then(cx, op, next));

    // ---- SMOVE, LMOVE, RPOPLPUSH: the element taken out of one shard and put into the other ------------

    /// <summary>SMOVE: the destination's type first (Redis answers WRONGTYPE for either key before anything),
    /// then SREM on the source's shard, then SADD on the destination's, with those commands' events</summary>
    void SMoveAcross(Cx<Client> cx, Across op) =>
        TypesAt(cx, op, op.Args[2], static (c, cx, op, dst) =>
        {
            if (dst[0] is not ("none" or "set")) { c.Finish(cx, op, Reply.WrongType); return; }
            c.RunAt(cx, op, s_srem, Made(s_srem, op.Args[1], op.Args[3]), static (c, cx, op, removed) =>
            {
                if (removed.Kind == ReplyKind.Error || removed.Integer == 0) { c.Finish(cx, op, removed); return; }
                c.RunAt(cx, op, s_sadd, Made(s_sadd, op.Args[2], op.Args[3]), static (c, cx, op, added) =>
                {
                    if (added.Kind != ReplyKind.Error) { c.Finish(cx, op, Reply.One); return; }
                    // The destination changed type since it was looked at: the member goes back.
                    c.RunAt(cx, op, s_sadd, Made(s_sadd, op.Args[1], op.Args[3]), static (c, cx, op, _) => c.Finish(cx, op, Reply.WrongType));
                });
            });
        });

    void LMoveAcross(Cx<Client> cx, CommandInfo cmd, List<byte[]> args)
    {
        bool fromLeft = false, toLeft = true;   // RPOPLPUSH
        if (cmd.Id == Cmd.LMove && (!End(args[3], out fromLeft) || !End(args[4], out toLeft)))
        {
            Reject("ERR syntax error");
            return;
        }
        Across op = Start(cmd, args);
        op.FromLeft = fromLeft;
        op.ToLeft = toLeft;
        LMoveSteps(cx, op);
    }

    void LMoveSteps(Cx<Client> cx, Across op) =>
        // As Redis: a missing source is nil, a source or destination of another type WRONGTYPE, before anything moves.
        TypesAt(cx, op, op.Args[2], static (c, cx, op, dst) =>
        {
            if (dst[0] is not ("none" or "list"))
            {
                c.TypesAt(cx, op, op.Args[1], static (c, cx, op, src) => c.Finish(cx, op, src[0] == "none" ? Reply.Nil : Reply.WrongType));
                return;
            }
            // Popped with no event, pushed, then the pop's events sent by the destination's shard: Redis's order.
            c.Sharded.All[c.Sharded.Of(op.Args[1])].Call(static (k, cx, db, take, r) => k.TakeElement(cx, db, take, r), op.Db, (op.Args[1], op.FromLeft),
                Then<(Reply Reply, bool Emptied)>(cx, op, static (c, cx, op, popped) =>
            {
                if (popped.Reply.Kind != ReplyKind.Bulk) { c.Finish(cx, op, popped.Reply); return; }
                byte[] element = BulkBytes(popped.Reply);
                op.Taken = new KeyValueOut(element, 0);
                c.Sharded.All[c.Sharded.Of(op.Args[2])].Call(static (k, cx, db, push, from, r) => k.PushMoved(cx, db, push, from, r), op.Db,
                    (op.Args[2], element, op.ToLeft), (op.Args[1], op.FromLeft, popped.Emptied), Then<Reply>(cx, op, static (c, cx, op, pushed) =>
                {
                    var element = (byte[])op.Taken!.Value;
                    if (pushed.Kind != ReplyKind.Error) { c.Finish(cx, op, Reply.Bulk(element)); return; }
                    // The destination changed type since it was looked at: the element goes back to its end.
                    CommandInfo back = op.FromLeft ? s_lpush : s_rpush;
                    c.RunAt(cx, op, back, Made(back, op.Args[1], element), static (c, cx, op, _) => c.Finish(cx, op, Reply.WrongType));
                }));
            }));
        });

    static bool End(byte[] arg, out bool left)
    {
        left = Commands.Is(arg, "left");
        return left || Commands.Is(arg, "right");
    }

    /// <summary>A bulk reply's bytes (the reply may point into a larger array)</summary>
    static byte[] BulkBytes(in Reply reply)
    {
        var data = (byte[])reply.Data!;
        int offset = (int)(reply.Integer >> 32), length = (int)reply.Integer;
        return offset == 0 && length == data.Length ? data : data.AsSpan(offset, length).ToArray();
    }

    // ---- LMPOP, ZMPOP: the keys tried one after another, each on its shard ----------------------------

    /// <summary>Runs the command with one key at a time, in order, until one pops something (or the last is tried):
    /// the first non-empty key wins and WRONGTYPE stops at the first key of another type, as in Redis</summary>
    void PopFirstAcross(Cx<Client> cx, Across op)
    {
        int key = op.Keys[op.Index];
        int after = CountedKeys.After(op.Cmd.Id, op.Args);
        byte[][] a = [op.Args[0], "1"u8.ToArray(), op.Args[key], .. op.Args.AsSpan(after)];
        RunAt(cx, op, Sharded.Of(op.Args[key]), op.Cmd, a, static (c, cx, op, reply) =>
        {
            if (reply.Kind == ReplyKind.NullArray && ++op.Index < op.Keys.Length) c.PopFirstAcross(cx, op);
            else c.Finish(cx, op, reply);
        });
    }

    // ---- MSETNX: every shard checked, then set; undone where set if a shard refused ---------------------

    void MSetNxAcross(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards)
    {
        if (args.Count % 2 == 0) { Reject(Commands.WrongArity("msetnx")); return; }
        var parts = new List<byte[]>?[shards.Count];
        for (int i = 1; i < args.Count; i += 2)
        {
            List<byte[]> part = parts[shards.Of(args[i])] ??= [];
            part.Add(args[i]);
            part.Add(args[i + 1]);
        }
        Across op = Start(cmd, args);
        op.Pairs = [.. parts.Select(p => p?.ToArray())];
        op.Set = new bool[shards.Count];
        for (int s = 0; s < shards.Count; s++)
        {
            if (op.Pairs[s] is not { } pairs) continue;
            op.Waiting++;
            byte[][] keys = [.. pairs.Where((_, j) => j % 2 == 0)];
            shards.All[s].Call(static (k, cx, db, keys, r) => k.TypesOf(cx, db, keys, r), op.Db, keys,
                ThenFrom<string[]>(cx, op, s, static (c, cx, op, _, types) =>
                {
                    if (Array.Exists(types, t => t != "none")) op.Refused = true;
                    if (--op.Waiting > 0) return;
                    if (op.Refused) c.Finish(cx, op, Reply.Zero);
                    else c.MSetNxSet(cx, op);
                }));
        }
    }

    void MSetNxSet(Cx<Client> cx, Across op)
    {
        if (_ctx.Settings.Events.Classes != NotifyClass.None) { MSetNxInKeyOrder(cx, op); return; }
        for (int s = 0; s < op.Pairs.Length; s++) if (op.Pairs[s] is not null) op.Waiting++;
        for (int s = 0; s < op.Pairs.Length; s++)
        {
            if (op.Pairs[s] is not { } pairs) continue;
            Sharded.All[s].Call(static (k, cx, c, a, who, r) => k.Execute(cx, c, a, who.Id, who.Db, r), s_msetnx, Made(s_msetnx, pairs), (Id: op.Client, Db: op.Db),
                ThenFrom<Reply>(cx, op, s, static (c, cx, op, shard, reply) =>
                {
                    if (reply.Kind == ReplyKind.Integer && reply.Integer == 1) op.Set[shard] = true;
                    else op.Refused = true;
                    if (--op.Waiting > 0) return;
                    if (!op.Refused) { c.Finish(cx, op, Reply.One); return; }
                    // A key was written on one shard between the check and the set: the shards that set undo
                    // it, and the answer (0) waits for them, so that no one who has it still sees this MSETNX's values.
                    foreach (bool set in op.Set) if (set) op.Waiting++;
                    if (op.Waiting == 0) { c.Finish(cx, op, Reply.Zero); return; }
                    for (int t = 0; t < op.Set.Length; t++)
                    {
                        if (!op.Set[t]) continue;
                        c.Sharded.All[t].Call(static (k, cx, db, pairs, r) => k.Unset(cx, db, pairs, r), op.Db, op.Pairs[t]!,
                            Then<bool>(cx, op, static (c, cx, op, _) => { if (--op.Waiting == 0) c.Finish(cx, op, Reply.Zero); }));
                    }
                }));
        }
    }
}
