using Stakker.Remote;

namespace Stakker.Redis;

// The calls a connection makes on a shard, wherever the shard is: on a Core of this process (a cross-Core call, as
// on any server of several Cores) or in another process (a call through this Core's NATS node, decision 109).
internal sealed partial class Shards
{
    /// <summary>This Core's link to NATS on a distributed server</summary>
    RemoteNode? _node;
    /// <summary>This Core's handle on each shard of another process, by shard</summary>
    RemoteShard?[]? _remote;

    /// <summary>What INFO shows of a shard it could not reach</summary>
    static readonly ShardFigures s_noFigures = new("", 0, 0, 0, 0, 0, 0);

    /// <summary>Links this Core's copy to the other processes' shards through <paramref name="node"/></summary>
    public void Link(RemoteNode node)
    {
        RedisDistribution d = Distribution!;
        _node = node;
        _remote = new RemoteShard?[Count];
        for (int s = 0; s < Count; s++)
            if (!IsLocal(s)) _remote[s] = new RemoteShard(node.Proxy(RedisShardRemote.Interface, d.ShardName(s)), node.Core);
    }

    /// <summary>Runs <paramref name="cmd"/> for the client on <paramref name="shard"/></summary>
    public void Execute(int shard, CommandInfo cmd, byte[][] a, long client, int db, Ret<Reply> ret)
    {
        if (IsLocal(shard))
            _common.All[shard].Call(static (k, cx, c, a, who, r) => k.Execute(cx, c, a, who.Id, who.Db, r), cmd, a, (Id: client, Db: db), ret);
        else
            ToRemote(shard, ret, (a, Id: Tagged(client), Db: db), static (p, call, back) => p.Execute(call.a, call.Id, call.Db, back));
    }

    /// <summary>SCAN of <paramref name="shard"/> alone</summary>
    public void Scan(int shard, CommandInfo cmd, byte[][] a, long client, int db, Ret<Reply> ret)
    {
        if (IsLocal(shard))
            _common.All[shard].Call(static (k, cx, c, a, who, r) => k.ScanOfShard(cx, c, a, who.Id, who.Db, r), cmd, a, (Id: client, Db: db), ret);
        else
            ToRemote(shard, ret, (a, Id: Tagged(client), Db: db), static (p, call, back) => p.Scan(call.a, call.Id, call.Db, back));
    }

    /// <summary>The client's connection ended: every shard gives up what it waits for there</summary>
    public void UnblockEverywhere(long client)
    {
        for (int s = 0; s < Count; s++)
        {
            if (IsLocal(s)) _common.All[s].Call(static (k, cx, id) => k.Unblock(cx, id), client);
            else
            {
                // Not sent (NATS is not keeping up, or the node is closing): the wait there ends at its timeout, or when
                // that process sees its answer's destination gone.
                try { _remote![s]!.Proxy.Unblock(Tagged(client)); }
                catch (Exception e) when (Unsendable(e)) { }
            }
        }
    }

    /// <summary>CLIENT UNBLOCK on <paramref name="shard"/>: the client's wait there, if any, answered with <paramref name="answer"/></summary>
    public void UnblockWith(int shard, long client, Reply answer, Ret<Reply> ret)
    {
        if (IsLocal(shard))
            _common.All[shard].Call(static (k, cx, id, ans, r) => k.UnblockWith(cx, id, ans, r), client, answer, ret);
        else
            ToRemote(shard, ret, (Id: Tagged(client), Answer: ReplyWire.Encode(answer)), static (p, call, back) => p.UnblockWith(call.Id, call.Answer, back));
    }

    /// <summary>INFO of <paramref name="shard"/>; a shard of another process that cannot be reached reports nothing rather than fail INFO</summary>
    public void Figures(int shard, byte[][] infoArgs, Ret<ShardFigures> ret)
    {
        if (IsLocal(shard))
        {
            _common.All[shard].Call(static (k, cx, a, r) => k.Figures(cx, a, r), infoArgs, ret);
            return;
        }
        RemoteShard remote = _remote![shard]!;
        if (remote.IsDown())
        {
            ret.Answer(s_noFigures);
            return;
        }
        var back = Ret.From<byte[]>(_node!.Core, answer =>
        {
            remote.Heard(answer.HasValue);
            ShardFigures? f = null;
            if (answer.TryGetValue(out byte[]? bytes))
            {
                try { f = ReplyWire.DecodeFigures(bytes); }
                catch (FormatException) { }
            }
            ret.Answer(f ?? s_noFigures);
        });
        try { remote.Proxy.Figures(infoArgs, back); }
        catch (Exception e) when (Unsendable(e)) { back.Answer(ReplyWire.Encode(s_noFigures)); }
    }

    /// <summary>A client id as another process's keyspace sees it: tagged with this process's first shard, so the ids
    /// of two processes' connections never meet there (BLPOP waiters and CLIENT UNBLOCK are found by id)</summary>
    long Tagged(long client) => ((long)(First + 1) << 44) | client;

    /// <summary>A call Stakker.Remote would not take: too much waiting for NATS, larger than a record may be, or the node closing</summary>
    internal static bool Unsendable(Exception e) => e is RemoteFullException or ArgumentException or ObjectDisposedException;

    /// <summary>A call on another process's shard whose reply comes back as <see cref="ReplyWire"/> bytes, decoded into
    /// <paramref name="ret"/>. Not sent, not answered in time, or not readable: an error that says which.</summary>
    void ToRemote<TCall>(int shard, Ret<Reply> ret, TCall call, Action<IRedisShard, TCall, Ret<byte[]>> send)
    {
        RemoteShard remote = _remote![shard]!;
        if (remote.IsDown())
        {
            ret.Answer(Reply.Error("ERR shard " + shard + " is unreachable: the process holding it did not answer its last call (lost, not started, or cut off from NATS)"));
            return;
        }
        var back = Ret.From<byte[]>(_node!.Core, answer =>
        {
            remote.Heard(answer.HasValue);
            if (!answer.TryGetValue(out byte[]? bytes))
            {
                ret.Answer(Reply.Error("ERR shard " + shard + " did not answer: the process holding it is lost, not started, or cut off from NATS"));
                return;
            }
            Reply reply;
            try { reply = ReplyWire.Decode(bytes); }
            catch (FormatException e) { reply = Reply.Error("ERR malformed reply from shard " + shard + ": " + e.Message); }
            ret.Answer(reply);
        });
        try { send(remote.Proxy, call, back); }
        catch (Exception e) when (Unsendable(e))
        {
            string why = e is ArgumentException
                ? "the command is larger than can cross between processes (" + MaxCrossBytes + " bytes, half the NATS server's max_payload)"
                : "too much is waiting for NATS";
            back.Answer(ReplyWire.Encode(Reply.Error("ERR not sent to shard " + shard + ": " + why)));
        }
    }
}
