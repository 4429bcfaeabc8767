using Stakker.Remote;

namespace Stakker.Redis;

// The calls a connection makes on a shard, wherever the shard is: on a Core of this process (a cross-Core call, as
// on any server of several Cores) or in another process (a call through this Core's NATS node, decision 109).
internal sealed partial class Shards
{
    /// <summary>This Core's link to NATS on a distributed server</summary>
    RemoteNode? _node;
    /// <summary>This Core's handle on each shard of another process, by shard</summary>
    RemoteActor<IRedisShard>?[]? _remote;
    /// <summary>By shard: its last call went unanswered (its process lost), so calls fail at once while one probe is out</summary>
    bool[]? _down;
    /// <summary>By shard: a ping to see whether it is back is on its way</summary>
    bool[]? _probing;
    /// <summary>By shard, while it is down: when the next ping may go out</summary>
    Instant[]? _probeAfter;

    /// <summary>How often a shard found lost is pinged again, while commands ask for it</summary>
    static readonly TimeSpan s_probeEvery = TimeSpan.FromSeconds(1);

    /// <summary>Links this Core's copy to the other processes' shards through <paramref name="node"/></summary>
    public void Link(RemoteNode node)
    {
        RedisDistribution d = Distribution!;
        _node = node;
        _remote = new RemoteActor<IRedisShard>?[Count];
        _down = new bool[Count];
        _probing = new bool[Count];
        _probeAfter = new Instant[Count];
        for (int s = 0; s < Count; s++)
            if (!IsLocal(s)) _remote[s] = node.Proxy(RedisShardRemote.Interface, d.ShardName(s));
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
        if (IsDown(shard))
        {
            ret.Answer(new ShardFigures("", 0, 0, 0, 0, 0, 0));
            return;
        }
        var back = Ret.From<byte[]>(_node!.Core, answer =>
        {
            ShardFigures? f = null;
            if (!answer.HasValue) MarkDown(shard);
            else _down![shard] = false;
            if (answer.TryGetValue(out byte[]? bytes))
            {
                try { f = ReplyWire.DecodeFigures(bytes); }
                catch (FormatException) { }
            }
            ret.Answer(f ?? new ShardFigures("", 0, 0, 0, 0, 0, 0));
        });
        try { _remote![shard]!.Proxy.Figures(infoArgs, back); }
        catch (Exception e) when (Unsendable(e)) { back.Answer(ReplyWire.Encode(new ShardFigures("", 0, 0, 0, 0, 0, 0))); }
    }

    /// <summary>True while <paramref name="shard"/> is taken for lost: a command on it is answered at once rather than
    /// after the loss bound (seconds, which would stall every pipeline touching it). While commands ask, a ping goes
    /// out at most once a second; its answer, or any other, marks the shard back.</summary>
    bool IsDown(int shard)
    {
        if (!_down![shard]) return false;
        if (!_probing![shard] && _node!.Core.Now >= _probeAfter![shard])
        {
            _probing[shard] = true;
            var alive = Ret.From<bool>(_node.Core, answer =>
            {
                _probing[shard] = false;
                if (answer.HasValue) _down[shard] = false;
                else _probeAfter[shard] = _node.Core.Now + s_probeEvery;
            });
            try { _remote![shard]!.Proxy.Ping(alive); }
            catch (Exception e) when (Unsendable(e)) { alive.Dispose(); }
        }
        return true;
    }

    void MarkDown(int shard)
    {
        if (_down![shard]) return;
        _down[shard] = true;
        _probeAfter![shard] = _node!.Core.Now;
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
        RemoteActor<IRedisShard> proxy = _remote![shard]!;
        if (IsDown(shard))
        {
            ret.Answer(Reply.Error("ERR shard " + shard + " is unreachable: the process holding it did not answer its last call (lost, not started, or cut off from NATS)"));
            return;
        }
        var back = Ret.From<byte[]>(_node!.Core, answer =>
        {
            if (!answer.HasValue) MarkDown(shard);
            else _down![shard] = false;
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
        try { send(proxy.Proxy, call, back); }
        catch (Exception e) when (Unsendable(e))
        {
            string why = e is ArgumentException
                ? "the command is larger than can cross between processes (" + MaxCrossBytes + " bytes, half the NATS server's max_payload)"
                : "too much is waiting for NATS";
            back.Answer(ReplyWire.Encode(Reply.Error("ERR not sent to shard " + shard + ": " + why)));
        }
    }
}
