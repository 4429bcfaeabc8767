using System.Buffers;
using System.Text;

namespace Stakker.Redis;

// Connection and server commands: SELECT, AUTH, HELLO, RESET, PUBSUB, FUNCTION, DEBUG.
internal sealed partial class Client
{
    void Select(List<byte[]> a)
    {
        if (!RedisParse.Long(a[1], out long db)) Emit(Reply.NotInteger);
        else if (db < 0 || db >= Keyspace.Databases) Emit(Reply.Error("ERR DB index is out of range"));
        else
        {
            _db = (int)db;
            Emit(Reply.Ok);
        }
    }

    void Auth(List<byte[]> a)
    {
        if (a.Count > 3) { Emit(Reply.SyntaxError); return; }
        if (AuthError(a.Count == 3 ? a[1] : null, a[^1]) is { } error) Emit(Reply.Error(error));
        else Emit(Reply.Ok);
    }

    /// <summary>Checks a user (only "default" exists) and password; null when they are right</summary>
    string? AuthError(byte[]? user, byte[] password)
    {
        string? required = _ctx.Settings.RequirePass;
        if (user is null && required is null)
            return "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?";
        bool userOk = user is null || Commands.Is(user, "default");
        bool passOk = required is null || Encoding.UTF8.GetString(password) == required;
        if (!userOk || !passOk) return "WRONGPASS invalid username-password pair or user is disabled.";
        _authenticated = true;
        return null;
    }

    /// <summary>HELLO [protover [AUTH user pass] [SETNAME name]]: switches RESP2/RESP3 and describes the server (decision 027)</summary>
    void Hello(List<byte[]> a)
    {
        int proto = _resp3 ? 3 : 2;
        if (a.Count >= 2)
        {
            if (!RedisParse.Long(a[1], out long v)) { Emit(Reply.Error("ERR Protocol version is not an integer or out of range")); return; }
            if (v is < 2 or > 3) { Emit(Reply.Error("NOPROTO unsupported protocol version")); return; }
            proto = (int)v;
        }
        byte[]? name = null;
        for (int i = 2; i < a.Count; i++)
        {
            if (Commands.Is(a[i], "auth") && a.Count - i - 1 >= 2)
            {
                if (AuthError(a[i + 1], a[i + 2]) is { } error) { Emit(Reply.Error(error)); return; }
                i += 2;
            }
            else if (Commands.Is(a[i], "setname") && a.Count - i - 1 >= 1) name = a[++i];
            else { Emit(Reply.Error("ERR Syntax error in HELLO option '" + Commands.Truncate(a[i], 128) + "'")); return; }
        }
        if (!_authenticated)
        {
            Emit(Reply.Error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"));
            return;
        }
        if (name is not null) _name = name.Length == 0 ? null : name;
        _resp3 = proto == 3;
        bool resp3 = _resp3;
        long id = _id;
        Emit(Raw(w =>
        {
            Resp.WriteHeader(w, resp3 ? (byte)'%' : (byte)'*', resp3 ? 7 : 14);
            Resp.WriteBulk(w, "server"u8); Resp.WriteBulk(w, "redis"u8);
            Resp.WriteBulk(w, "version"u8); Resp.WriteBulk(w, "7.0.15"u8);
            Resp.WriteBulk(w, "proto"u8); Resp.WriteInteger(w, resp3 ? 3 : 2);
            Resp.WriteBulk(w, "id"u8); Resp.WriteInteger(w, id);
            Resp.WriteBulk(w, "mode"u8); Resp.WriteBulk(w, "standalone"u8);
            Resp.WriteBulk(w, "role"u8); Resp.WriteBulk(w, "master"u8);
            Resp.WriteBulk(w, "modules"u8); Resp.WriteHeader(w, (byte)'*', 0);
        }));
    }

    /// <summary>RESET: the connection as new (no transaction, watches, subscriptions, name; db 0, RESP2)</summary>
    void Reset(Cx<Client> cx)
    {
        EndMulti();
        Unwatch();
        if (Subscribed)
            _ctx.PubSub.Call(static (p, cx, id, ch, pat) => p.RemoveClient(id, ch, pat), _id, _channels?.ToArray() ?? [], _patterns?.ToArray() ?? []);
        _channels?.Clear();
        _patterns?.Clear();
        _db = 0;
        _resp3 = false;
        _name = null;
        _authenticated = _ctx.Settings.RequirePass is null;
        Emit(Reply.Simple("RESET"));
    }

    void PubSubCommand(Cx<Client> cx, List<byte[]> a)
    {
        long seq = Reserve();
        _ctx.PubSub.Call(static (p, cx, args, r) => p.Query(args, r), a.ToArray(), AnswerFor(cx, seq));
    }

    /// <summary>FUNCTION: there is no scripting engine, so FLUSH has nothing to flush and LIST nothing to list</summary>
    void FunctionCommand(List<byte[]> a)
    {
        if (Commands.Is(a[1], "flush"))
        {
            if (a.Count > 3 || (a.Count == 3 && !Commands.Is(a[2], "async") && !Commands.Is(a[2], "sync"))) Emit(Reply.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option"));
            else Emit(Reply.Ok);
        }
        else if (Commands.Is(a[1], "list")) Emit(Reply.EmptyArray);
        else UnknownSubcommand(a, "function");
    }

    void DebugCommand(List<byte[]> a) =>
        Emit(Reply.Error("ERR DEBUG " + Commands.Truncate(a[1], 64).ToUpperInvariant() + " is not supported by this server"));
}

// CLIENT REPLY/LIST/INFO/KILL/UNBLOCK
internal sealed partial class Client
{
    void SyncState()
    {
        _state.Name = _name;
        _state.Db = _db;
        _state.Subscriptions = _channels?.Count ?? 0;
        _state.Patterns = _patterns?.Count ?? 0;
        _state.Multi = _multi?.Count ?? -1;
        _state.Resp3 = _resp3;
        _state.Blocked = _blockedSeq >= 0;
    }

    void MoreClientCommands(Cx<Client> cx, List<byte[]> a)
    {
        byte[] sub = a[1];
        if (Commands.Is(sub, "reply"))
        {
            if (!SubArity(a, "client", "reply", 3)) return;
            if (Commands.Is(a[2], "on")) { _replyOff = false; _silent = false; Emit(Reply.Ok); }
            else if (Commands.Is(a[2], "off")) { _replyOff = true; _silent = true; }
            else if (Commands.Is(a[2], "skip")) { if (!_replyOff) _skipNext = true; _silent = true; }
            else Emit(Reply.SyntaxError);
        }
        else if (Commands.Is(sub, "info"))
        {
            if (!SubArity(a, "client", "info", 2)) return;
            SyncState();
            _state.LastCommand = "client|info";
            Emit(Reply.Verbatim(_state.Describe(cx.Now.Ticks, _ctx.Registry.LocalAddr) + "\n"));
        }
        else if (Commands.Is(sub, "list"))
        {
            SyncState();
            _state.LastCommand = "client|list";
            var ids = new HashSet<long>();
            for (int i = 2; i < a.Count; i++)
            {
                if (Commands.Is(a[i], "id"))
                {
                    for (i++; i < a.Count; i++)
                    {
                        if (!RedisParse.Long(a[i], out long id) || id <= 0) { Emit(Reply.Error("ERR Invalid client ID")); return; }
                        ids.Add(id);
                    }
                }
                else if (Commands.Is(a[i], "type") && i + 1 < a.Count) i++;
                else { Emit(Reply.SyntaxError); return; }
            }
            if (_ctx.Shards is { } shards && _capture is null) { ListOnEveryCore(cx, ids, shards); return; }
            var sb = new StringBuilder();
            foreach (ClientState c in _ctx.Registry.ById.Values.OrderBy(c => c.Id))
                if (ids.Count == 0 || ids.Contains(c.Id)) sb.Append(c.Describe(cx.Now.Ticks, _ctx.Registry.LocalAddr)).Append('\n');
            Emit(Reply.Verbatim(sb.ToString()));
        }
        else if (Commands.Is(sub, "kill")) ClientKill(cx, a);
        else if (Commands.Is(sub, "unblock"))
        {
            if (a.Count is < 3 or > 4) { Emit(Reply.Error(Commands.WrongArity("client|unblock"))); return; }
            if (!RedisParse.Long(a[2], out long id)) { Emit(Reply.NotInteger); return; }
            bool error = false;
            if (a.Count == 4)
            {
                if (Commands.Is(a[3], "error")) error = true;
                else if (!Commands.Is(a[3], "timeout")) { Emit(Reply.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")); return; }
            }
            Reply answer = error ? Reply.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK") : Reply.NullArray;
            if (_ctx.Shards is { } shards && _capture is null) { UnblockOnEveryShard(cx, id, answer, shards); return; }
            if (!_ctx.Registry.ById.TryGetValue(id, out ClientState? target) || !target.Blocked) { Emit(Reply.Zero); return; }
            long seq = Reserve();
            _ctx.Keyspace.Call(static (k, cx, id, ans, r) => k.UnblockWith(cx, id, ans, r), id, answer, AnswerFor(cx, seq));
        }
    }

    /// <summary>CLIENT KILL addr, or CLIENT KILL [ID id] [ADDR addr] [LADDR addr] [SKIPME yes/no] [USER u] [TYPE t]</summary>
    void ClientKill(Cx<Client> cx, List<byte[]> a)
    {
        if (ClientKillFilter.Parse(a, _ctx.Registry.LocalAddr, _id, out ClientKillFilter filter) is { } error) { Emit(error); return; }
        if (_ctx.Shards is { } shards && _capture is null) { KillOnEveryCore(cx, filter, shards); return; }
        long killed = 0;
        foreach (ClientState c in _ctx.Registry.ById.Values.ToArray())
        {
            if (!filter.Matches(c)) continue;
            Kill(c);
            killed++;
        }
        Emit(filter.Answer(killed));
    }

    void Kill(ClientState c)
    {
        if (c.Id == _id)
        {
            _closeWhenDone = true;
            return;
        }
        c.Actor.Call(static (t, cx) => t.Killed(cx));
    }

    /// <summary>Another client's CLIENT KILL: the connection closes at once, unanswered commands and all</summary>
    void Killed(Cx<Client> cx) => cx.Stop();
}
