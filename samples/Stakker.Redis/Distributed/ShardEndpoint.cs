namespace Stakker.Redis;

/// <summary>Takes the calls other processes make on this Core's shard (<see cref="IRedisShard"/>) and hands them to
/// its keyspace. What arrives from NATS is checked as a client's command is: an unknown command, a wrong
/// arity, a database out of range, or a key another shard owns is answered with an error and runs nothing.</summary>
internal sealed class ShardEndpoint(Core core, Actor<Keyspace> keyspace, Shards shards) : IRedisShard
{
    public void Execute(byte[][] args, long client, int db, Ret<byte[]> reply)
    {
        if (Check(args, db, scan: false, out CommandInfo? cmd) is { } refused) { reply.Answer(ReplyWire.Encode(Reply.Error(refused))); return; }
        keyspace.Call(static (k, cx, c, a, who, r) => k.Execute(cx, c, a, who.Id, who.Db, r), cmd!, args, (Id: client, Db: db), Encoded(reply));
    }

    public void Scan(byte[][] args, long client, int db, Ret<byte[]> reply)
    {
        if (Check(args, db, scan: true, out CommandInfo? cmd) is { } refused) { reply.Answer(ReplyWire.Encode(Reply.Error(refused))); return; }
        keyspace.Call(static (k, cx, c, a, who, r) => k.ScanOfShard(cx, c, a, who.Id, who.Db, r), cmd!, args, (Id: client, Db: db), Encoded(reply));
    }

    public void Unblock(long client) => keyspace.Call(static (k, cx, id) => k.Unblock(cx, id), client);

    public void UnblockWith(long client, byte[] answer, Ret<byte[]> reply)
    {
        Reply decoded;
        try { decoded = ReplyWire.Decode(answer); }
        catch (FormatException e)
        {
            reply.Answer(ReplyWire.Encode(Reply.Error("ERR malformed CLIENT UNBLOCK answer from another process: " + e.Message)));
            return;
        }
        keyspace.Call(static (k, cx, id, ans, r) => k.UnblockWith(cx, id, ans, r), client, decoded, Encoded(reply));
    }

    public void Figures(byte[][] infoArgs, Ret<byte[]> figures)
    {
        if (infoArgs is null || Array.IndexOf(infoArgs, null) >= 0) { figures.Dispose(); return; }
        keyspace.Call(static (k, cx, a, r) => k.Figures(cx, a, r), infoArgs,
            Ret.From<ShardFigures>(core, answer =>
            {
                if (answer.TryGetValue(out ShardFigures? f)) figures.Answer(ReplyWire.Encode(f));
                else figures.Dispose();
            }));
    }

    public void Ping(Ret<bool> alive) => alive.Answer(true);

    /// <summary>The keyspace's answer, encoded for the asking process; no answer stays no answer. A reply too large to
    /// cross is answered with an error saying so: sent, NATS would refuse it, and the asker would take the
    /// missing answer for a lost process.</summary>
    Ret<Reply> Encoded(Ret<byte[]> reply) => Ret.From<Reply>(core, answer =>
    {
        if (!answer.TryGetValue(out Reply r)) { reply.Dispose(); return; }
        byte[] bytes = ReplyWire.Encode(r);
        if (bytes.Length > shards.MaxCrossBytes)
            bytes = ReplyWire.Encode(Reply.Error("ERR the reply of " + bytes.Length + " bytes is larger than can cross between processes ("
                + shards.MaxCrossBytes + " bytes, half the NATS server's max_payload); the command ran on shard " + shards.Local));
        reply.Answer(bytes);
    });

    /// <summary>Why the call is refused, or null: the same checks a connection makes before it routes a command, and
    /// that its keys are this shard's (a peer routing by another slot map would otherwise store keys no one finds)</summary>
    string? Check(byte[][]? args, int db, bool scan, out CommandInfo? cmd)
    {
        cmd = null;
        if (args is not { Length: > 0 } || Array.IndexOf(args, null) >= 0) return "ERR empty command from another process";
        if ((cmd = Commands.Find(args[0])) is null) return Commands.UnknownCommand([.. args]);
        if (cmd.Route != Route.Keyspace || scan != (cmd.Id == Cmd.Scan)) return "ERR '" + cmd.Name + "' is not run on a shard for another process";
        if (!cmd.ArityOk(args.Length)) return Commands.WrongArity(cmd.Name);
        if (db is < 0 or >= Keyspace.Databases) return "ERR DB index is out of range";
        if (cmd.Spec is { FirstKey: > 0, Step: > 0, Movable: false } spec)
            for (int i = spec.FirstKey, last = spec.LastKeyAt(args.Length); i <= last; i += spec.Step)
                if (shards.Of(args[i]) != shards.Local)
                    return "ERR key '" + System.Text.Encoding.UTF8.GetString(args[i]) + "' is not on shard " + shards.Local + " (the processes disagree on the shard count)";
        return null;
    }
}
