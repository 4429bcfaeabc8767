namespace Stakker.Redis;

/// <summary>One queued command of an EXEC as the keyspace runs it</summary>
internal sealed record ExecStep(ExecBatch Batch, CommandInfo Cmd, byte[][] Args, long ClientId, int Db);

// MULTI/EXEC/DISCARD/WATCH/UNWATCH (decision 026). Commands after MULTI are queued here; EXEC sends
// them all at once, so they reach the keyspace back to back and no other client's command runs
// between them. The keyspace first checks the client's watched keys (ExecBegin); if one changed,
// every step is skipped and EXEC answers a null array.
internal sealed partial class Client
{
    static readonly Reply Queued = Reply.Simple("QUEUED");
    List<(CommandInfo Cmd, byte[][] Args)>? _multi;
    /// <summary>A command was refused while queueing: EXEC answers EXECABORT</summary>
    bool _multiError;
    /// <summary>The keyspace holds watched keys for this client</summary>
    bool _watching;
    /// <summary>Where a local command's replies go while it runs as a step of EXEC</summary>
    List<Reply>? _capture;

    /// <summary>An error for a command that is not run; inside MULTI it also dooms the transaction</summary>
    void Reject(string error)
    {
        if (_multi is not null) _multiError = true;
        Emit(Reply.Error(error));
    }

    /// <summary>Inside MULTI, Redis refuses its "no_multi" commands (SAVE, SHUTDOWN...) before anything else is
    /// looked at, so they get its error here too, though this server does not have them</summary>
    string? NotInMulti(byte[] name) =>
        _multi is not null && RedisCommandTable.Find(System.Text.Encoding.ASCII.GetString(name).ToLowerInvariant())?.Has("no_multi") == true
            ? "ERR Command not allowed inside a transaction" : null;

    void Multi()
    {
        if (_multi is not null) { Emit(Reply.Error("ERR MULTI calls can not be nested")); return; }
        _multi = [];
        Emit(Reply.Ok);
    }

    void Discard()
    {
        if (_multi is null) { Emit(Reply.Error("ERR DISCARD without MULTI")); return; }
        EndMulti();
        Unwatch();
        Emit(Reply.Ok);
    }

    void EndMulti()
    {
        _multi = null;
        _multiError = false;
        if (!_watching) ForgetTransactionShards();
    }

    void Watch(Cx<Client> cx, List<byte[]> a)
    {
        if (_multi is not null) { Emit(Reply.Error("ERR WATCH inside MULTI is not allowed")); return; }
        // Refused before anything is watched: a key of another process's shard (decision 109).
        if (_ctx.Shards is { } held && InOtherProcess(held, a.Skip(1))) { Reject(TransactionAcrossProcesses("watch")); return; }
        _watching = true;
        if (_ctx.Shards is { } shards) { WatchOnShards(cx, a, shards); return; }
        long seq = Reserve();
        TransactionKeyspace.Call(static (k, cx, who, keys, r) => k.Watch(cx, who.Id, who.Db, keys, r), (Id: _id, Db: _db), a.GetRange(1, a.Count - 1).ToArray(), AnswerFor(cx, seq));
    }

    void Unwatch()
    {
        if (!_watching) return;
        _watching = false;
        if (_ctx.Shards is { } shards)
        {
            foreach (int s in _watchShards!) shards.All[s].Call(static (k, cx, id) => k.Unwatch(id), _id);
            _watchShards.Clear();
            if (_multi is null) ForgetTransactionShards();
            return;
        }
        TransactionKeyspace.Call(static (k, cx, id) => k.Unwatch(id), _id);
    }

    void Exec(Cx<Client> cx)
    {
        if (_multi is null) { Emit(Reply.Error("ERR EXEC without MULTI")); return; }
        var steps = _multi;
        // Before EndMulti, which forgets the transaction's shards when nothing is watched.
        CrossCoreActor<Keyspace> keyspace = TransactionKeyspace;
        int[]? held = _ctx.Shards is { } shards && (NamesSeveralShards || steps.Count > MaxStepsAcrossCores) ? ShardsToHold(shards) : null;
        if (_multiError)
        {
            EndMulti();
            Unwatch();
            Emit(Reply.Error("EXECABORT Transaction discarded because of previous errors."));
            return;
        }
        EndMulti();
        if (steps.Exists(st => st.Cmd.DenyOom) && RefuseForMemory())
        {
            Unwatch();
            Emit(Reply.Error("EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'."));
            return;
        }
        // The watches are checked and dropped by the keyspace, as the EXEC's first step.
        _watching = false;
        _watchShards?.Clear();
        ForgetTransactionShards();
        if (held is not null)
        {
            // Keys on several shards, or more commands than one batch of calls carries: hold the shards (decision 103).
            ExecAcross(cx, steps, held);
            return;
        }
        var batch = new ExecBatch(steps.Count);
        long seq = Reserve();
        // One extra pending answer for the watch check, so an empty transaction still waits for it.
        batch.Pending++;
        keyspace.Call(static (k, cx, id, b, r) => k.ExecBegin(id, b, r), _id, batch, StepAnswer(cx, seq, batch, -1));
        for (int i = 0; i < steps.Count; i++)
        {
            var (cmd, args) = steps[i];
            Ret<Reply> ret = StepAnswer(cx, seq, batch, i);
            switch (cmd.Route)
            {
                case Route.Keyspace:
                    keyspace.Call(static (k, cx, step, r) => k.ExecItem(cx, step.Batch, step.Cmd, step.Args, (step.ClientId, step.Db), r),
                        new ExecStep(batch, cmd, args, _id, _db), ret);
                    break;
                case Route.PubSub:
                    _ctx.PubSub.Call(static (p, cx, b, ch, msg, r) => { if (b.Aborted) r.Answer(Reply.Nil); else p.Publish(ch, msg, r); }, batch, args[1], args[2], ret);
                    break;
                default:
                    ret.Answer(RunCaptured(cx, cmd, args));
                    break;
            }
        }
        // Clients blocked on keys the transaction filled are served now, seeing only its end state.
        keyspace.Call(static (k, cx) => k.ExecDone(cx));
    }

    /// <summary>A connection command queued in a transaction, run now (in queue order, so SELECT affects the steps after it); its reply</summary>
    Reply RunCaptured(Cx<Client> cx, CommandInfo cmd, byte[][] args)
    {
        _capture = [];
        RunLocal(cx, cmd, [.. args]);
        Reply reply = _capture.Count > 0 ? _capture[0] : Reply.Nil;
        _capture = null;
        return reply;
    }

    Ret<Reply> StepAnswer(Cx<Client> cx, long seq, ExecBatch batch, int index) =>
        cx.Ret<(long Seq, ExecBatch Batch, int Index), Reply>((seq, batch, index), static (c, cx, p, answer) => c.StepAnswered(cx, p.Seq, p.Batch, p.Index, answer));

    void StepAnswered(Cx<Client> cx, long seq, ExecBatch batch, int index, Answer<Reply> answer)
    {
        if (index >= 0) batch.Replies[index] = answer.HasValue ? answer.Value : Reply.Error("ERR server is shutting down");
        if (--batch.Pending > 0) return;
        if (batch.Aborted) { Answered(cx, seq, Reply.NullArray); return; }
        bool resp3 = _resp3;
        Answered(cx, seq, Raw(w =>
        {
            Resp.WriteHeader(w, (byte)'*', batch.Replies.Length);
            foreach (Reply r in batch.Replies) r.WriteTo(w, resp3);
        }));
    }
}
