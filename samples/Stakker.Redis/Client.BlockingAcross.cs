namespace Stakker.Redis;

// Blocking commands whose keys are on several shards (decision 105): notify, then try. The client tries its keys
// in order, one shard at a time, without blocking; if none has elements it waits on every shard it names with a
// waiter that pops nothing (Keyspace.BlockingAcross.cs). The first shard to say "ready" keeps the key for it; the
// client lets the other shards go and tries again from its first key, and waits again if another client was first.
// The client owns the timeout; BLMOVE/BRPOPLPUSH try with LMOVE across shards (Client.ShardsAcross.cs).
internal sealed partial class Client
{
    static readonly CommandInfo s_lmove = CommandNamed("lmove");

    /// <summary>A blocking command across shards on its way: what it waits for, and where it is</summary>
    sealed class BlockedAcross(long seq, int db, byte[][] args)
    {
        public readonly long Seq = seq;
        public readonly int Db = db;
        public readonly byte[][] Args = args;
        public WaitKind Kind;
        /// <summary>Lists: from the left; sorted sets: the lowest scores</summary>
        public bool Left;
        /// <summary>BLMOVE: onto the destination's left</summary>
        public bool ToLeft;
        public long Count = 1;
        /// <summary>The keys in the command's order (BLMOVE: its source)</summary>
        public byte[][] Keys = [];
        /// <summary>The shards of the keys</summary>
        public int[] Shards = [];
        /// <summary>Counts the times it waited: answers to an earlier wait are stale</summary>
        public int Round;
        /// <summary>Registered on its shards; false while trying</summary>
        public bool Waiting;
        public int Index;
        /// <summary>The timeout or CLIENT UNBLOCK came while trying: the answer if the try finds nothing</summary>
        public Reply? Interrupt;
        public bool Finished;
        public FixedTimerKey Timer;
    }

    /// <summary>BLPOP, BRPOP, BZPOPMIN, BZPOPMAX, BLMPOP, BZMPOP with keys on several shards; errors as the shard would give them</summary>
    void BlockAcross(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards)
    {
        byte[][] a = args.ToArray();
        WaitKind kind;
        bool left;
        long count = 1;
        byte[][] keys;
        double seconds = 0;
        Reply? error;
        switch (cmd.Id)
        {
            case Cmd.BLMPop or Cmd.BZMPop:
                bool zset = cmd.Id == Cmd.BZMPop;
                kind = zset ? WaitKind.ZsetMultiPop : WaitKind.ListMultiPop;
                error = Keyspace.ParseMultiPop(a, 2, zset, out keys, out left, out count) ?? Keyspace.ParseTimeout(a[1], out seconds);
                break;
            default:
                kind = cmd.Id is Cmd.BZPopMin or Cmd.BZPopMax ? WaitKind.ZsetPop : WaitKind.ListPop;
                left = cmd.Id is Cmd.BLPop or Cmd.BZPopMin;
                keys = a[1..^1];
                error = Keyspace.ParseTimeout(a[^1], out seconds);
                break;
        }
        if (error is { } refused) { Emit(refused); return; }
        var b = new BlockedAcross(Reserve(), _db, a) { Kind = kind, Left = left, Count = count, Keys = keys, Shards = [.. keys.Select(k => shards.Of(k)).Distinct()] };
        StartBlocking(cx, b, seconds);
        TryKeys(cx, b);
    }

    /// <summary>BLMOVE/BRPOPLPUSH with source and destination on different shards</summary>
    void BlockingMoveAcross(Cx<Client> cx, CommandInfo cmd, List<byte[]> args, Shards shards)
    {
        bool fromLeft = false, toLeft = true;   // BRPOPLPUSH
        int timeoutAt = 3;
        if (cmd.Id == Cmd.BLMove)
        {
            if (!End(args[3], out fromLeft) || !End(args[4], out toLeft)) { Emit(Reply.SyntaxError); return; }
            timeoutAt = 5;
        }
        if (Keyspace.ParseTimeout(args[timeoutAt], out double seconds) is { } refused) { Emit(refused); return; }
        var b = new BlockedAcross(Reserve(), _db, args.ToArray())
        {
            Kind = WaitKind.ListMove, Left = fromLeft, ToLeft = toLeft, Keys = [args[1]], Shards = [shards.Of(args[1])],
        };
        StartBlocking(cx, b, seconds);
        MoveOnce(cx, b);
    }

    void StartBlocking(Cx<Client> cx, BlockedAcross b, double seconds)
    {
        _blockedSeq = b.Seq;
        if (seconds <= 0) return;
        var delay = TimeSpan.FromTicks((long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond));
        b.Timer = cx.After(delay, static (c, cx, b) => c.BlockTimedOut(cx, b), b);
    }

    void BlockTimedOut(Cx<Client> cx, BlockedAcross b)
    {
        if (b.Finished) return;
        // A try on its way may pop: its answer decides.
        if (b.Waiting) EndBlock(cx, b, Reply.NullArray);
        else b.Interrupt ??= Reply.NullArray;
    }

    // ---- trying: the keys in order, each on its shard, popping as a waiter there would be served ----------------

    void TryKeys(Cx<Client> cx, BlockedAcross b)
    {
        b.Waiting = false;
        b.Index = 0;
        TryKey(cx, b);
    }

    void TryKey(Cx<Client> cx, BlockedAcross b)
    {
        byte[] key = b.Keys[b.Index];
        Sharded.All[Sharded.Of(key)].Call(static (k, cx, db, who, key, r) => k.TryServe(cx, db, who, key, r), b.Db, (Client: _id, b.Kind, b.Left, b.Count), key,
            cx.Ret<BlockedAcross, Reply>(b, static (c, cx, b, answer) => c.Tried(cx, b, answer)));
    }

    void Tried(Cx<Client> cx, BlockedAcross b, Answer<Reply> answer)
    {
        if (b.Finished) return;
        if (!answer.HasValue) { EndBlock(cx, b, s_shuttingDown); return; }
        Reply reply = answer.Value;
        // A key of another type stops the first try (WRONGTYPE, as the command on one shard); once woken it is
        // passed over, as Redis serves a blocked client only from keys of its type.
        bool nothing = reply.Kind == ReplyKind.Nil || (b.Round > 0 && reply.Kind == ReplyKind.Error && ReferenceEquals(reply.Data, Reply.WrongType.Data));
        if (!nothing) EndBlock(cx, b, reply);
        else if (++b.Index < b.Keys.Length) TryKey(cx, b);
        else FoundNothing(cx, b);
    }

    void MoveOnce(Cx<Client> cx, BlockedAcross b)
    {
        b.Waiting = false;
        LMoveSteps(cx, new Across(b.Seq, _id, b.Db, s_lmove, b.Args) { FromLeft = b.Left, ToLeft = b.ToLeft, Blocked = b });
    }

    /// <summary>The answer of one LMOVE across shards for a BLMOVE: nil (the source is empty) waits</summary>
    void Moved(Cx<Client> cx, BlockedAcross b, Reply reply)
    {
        if (b.Finished) return;
        if (reply.Kind == ReplyKind.Nil) FoundNothing(cx, b);
        else EndBlock(cx, b, reply);
    }

    // ---- waiting: a waiter on every shard of the keys, the first "ready" wins -----------------------------------

    void FoundNothing(Cx<Client> cx, BlockedAcross b)
    {
        if (b.Interrupt is { } interrupted) { EndBlock(cx, b, interrupted); return; }
        b.Round++;
        b.Waiting = true;
        bool zset = b.Kind is WaitKind.ZsetPop or WaitKind.ZsetMultiPop;
        foreach (int s in b.Shards)
        {
            byte[][] keys = [.. b.Keys.Where(k => Sharded.Of(k) == s)];
            // Counted in INFO's blocked_clients by its first shard only.
            Sharded.All[s].Call(static (k, cx, db, who, keys, r) => k.AwaitReady(cx, db, who, keys, r), b.Db, (Client: _id, Zset: zset, Counted: s == b.Shards[0]), keys,
                cx.Ret<(BlockedAcross B, int Round, int Shard), Reply>((b, b.Round, s), static (c, cx, p, answer) => c.Woken(cx, p.B, p.Round, p.Shard, answer)));
        }
    }

    void Woken(Cx<Client> cx, BlockedAcross b, int round, int shard, Answer<Reply> answer)
    {
        // A waiter let go (StopAwaiting) answers nothing; an earlier round's answer is stale.
        if (b.Finished || round != b.Round || !answer.HasValue) return;
        Reply reply = answer.Value;
        bool ready = reply.Kind == Keyspace.KeyReady.Kind;
        if (!b.Waiting)
        {
            // Another shard woke it first: a "ready" here is let go by the try's end; an unblock waits for it.
            if (!ready) b.Interrupt ??= reply;
            return;
        }
        if (!ready) { EndBlock(cx, b, reply); return; }   // CLIENT UNBLOCK
        foreach (int s in b.Shards)
            if (s != shard) StopAwaiting(s);
        if (b.Kind == WaitKind.ListMove) MoveOnce(cx, b);
        else TryKeys(cx, b);
    }

    void StopAwaiting(int shard) => Sharded.All[shard].Call(static (k, cx, id) => k.StopAwaiting(cx, id), _id);

    /// <summary>The command's reply; every shard it waited on lets go of its waiter and of what it held for it</summary>
    void EndBlock(Cx<Client> cx, BlockedAcross b, Reply reply)
    {
        if (b.Finished) return;
        b.Finished = true;
        cx.TimerDel(b.Timer);
        if (b.Round > 0)
            foreach (int s in b.Shards) StopAwaiting(s);
        Answered(cx, b.Seq, reply);
    }
}
