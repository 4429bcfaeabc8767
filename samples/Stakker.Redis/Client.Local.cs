using System.Buffers;
using System.Text;

namespace Stakker.Redis;

// Commands the connection answers itself: protocol, connection state and subscriptions.
internal sealed partial class Client
{
    void RunLocal(Cx<Client> cx, CommandInfo cmd, List<byte[]> a)
    {
        switch (cmd.Id)
        {
            case Cmd.Ping:
                if (a.Count > 2) Emit(Reply.Error(Commands.WrongArity("ping")));
                else if (Subscribed) Emit(Raw(w => { Resp.WriteHeader(w, (byte)'*', 2); Resp.WriteBulk(w, "pong"u8); Resp.WriteBulk(w, a.Count == 2 ? a[1] : []); }));
                else Emit(a.Count == 2 ? Reply.Bulk(a[1]) : Reply.Simple("PONG"));
                break;
            case Cmd.Echo:
                Emit(Reply.Bulk(a[1]));
                break;
            case Cmd.Select:
                Select(a);
                break;
            case Cmd.Multi:
                Multi();
                break;
            case Cmd.Exec:
                Exec(cx);
                break;
            case Cmd.Discard:
                Discard();
                break;
            case Cmd.Watch:
                Watch(cx, a);
                break;
            case Cmd.Unwatch:
                Unwatch();
                Emit(Reply.Ok);
                break;
            case Cmd.Auth:
                Auth(a);
                break;
            case Cmd.Hello:
                Hello(a);
                break;
            case Cmd.Reset:
                Reset(cx);
                break;
            case Cmd.PubSubCmd:
                PubSubCommand(cx, a);
                break;
            case Cmd.Function:
                FunctionCommand(a);
                break;
            case Cmd.Debug:
                DebugCommand(a);
                break;
            case Cmd.Quit:
                Emit(Reply.Ok);
                _closeWhenDone = true;
                CloseIfDone();
                break;
            case Cmd.Client:
                ClientCommand(cx, a);
                break;
            case Cmd.Command:
                CommandCommand(a);
                break;
            case Cmd.Config:
                ConfigCommand(cx, a);
                break;
            case Cmd.Subscribe:
            case Cmd.PSubscribe:
                Subscribe(cx, a, pattern: cmd.Id == Cmd.PSubscribe);
                break;
            case Cmd.Unsubscribe:
            case Cmd.PUnsubscribe:
                Unsubscribe(cx, a, pattern: cmd.Id == Cmd.PUnsubscribe);
                break;
            default:
                Emit(Reply.Error("ERR command not handled by the connection: " + cmd.Name));
                break;
        }
    }

    /// <summary>Checks a subcommand's arity the way Redis 7 reports it ("client|setname")</summary>
    bool SubArity(List<byte[]> a, string container, string sub, int arity)
    {
        bool ok = arity >= 0 ? a.Count == arity : a.Count >= -arity;
        if (!ok) Emit(Reply.Error(Commands.WrongArity(container + "|" + sub)));
        return ok;
    }

    void UnknownSubcommand(List<byte[]> a, string container) =>
        Emit(Reply.Error("ERR unknown subcommand '" + Commands.Truncate(a[1], 128) + "'. Try " + container.ToUpperInvariant() + " HELP."));

    void ClientCommand(Cx<Client> cx, List<byte[]> a)
    {
        byte[] sub = a[1];
        if (Commands.Is(sub, "setname"))
        {
            if (!SubArity(a, "client", "setname", 3)) return;
            foreach (byte b in a[2])
            {
                if (b < '!' || b > '~')
                {
                    Emit(Reply.Error("ERR Client names cannot contain spaces, newlines or special characters."));
                    return;
                }
            }
            _name = a[2].Length == 0 ? null : a[2];
            Emit(Reply.Ok);
        }
        else if (Commands.Is(sub, "getname"))
        {
            if (SubArity(a, "client", "getname", 2)) Emit(Reply.Bulk(_name));
        }
        else if (Commands.Is(sub, "id"))
        {
            if (SubArity(a, "client", "id", 2)) Emit(Reply.Int(_id));
        }
        else if (Commands.Is(sub, "reply") || Commands.Is(sub, "list") || Commands.Is(sub, "info") || Commands.Is(sub, "kill") || Commands.Is(sub, "unblock"))
        {
            MoreClientCommands(cx, a);
        }
        else if (Commands.Is(sub, "setinfo"))
        {
            if (SubArity(a, "client", "setinfo", 4)) Emit(Reply.Ok);
        }
        else UnknownSubcommand(a, "client");
    }

    void CommandCommand(List<byte[]> a)
    {
        if (a.Count == 1)
        {
            Emit(Raw(w =>
            {
                Resp.WriteHeader(w, (byte)'*', Commands.All.Count());
                foreach (CommandInfo c in Commands.All) WriteCommandEntry(w, c);
            }));
            return;
        }
        byte[] sub = a[1];
        if (Commands.Is(sub, "count"))
        {
            if (SubArity(a, "command", "count", 2)) Emit(Reply.Int(Commands.All.Count()));
        }
        else if (Commands.Is(sub, "docs"))
        {
            // redis-cli asks for the docs to show its hints as you type.
            var docs = new List<(string Name, System.Text.Json.JsonElement Docs)>();
            IEnumerable<CommandInfo?> wanted = a.Count == 2 ? Commands.All : a.Skip(2).Select(n => Commands.Find(n));
            foreach (CommandInfo? c in wanted)
                if (c is not null && RedisCommandTable.Docs(c.Name) is { } d) docs.Add((c.Name, d));
            bool resp3 = _resp3;
            Emit(Raw(w =>
            {
                Resp.WriteHeader(w, resp3 ? (byte)'%' : (byte)'*', resp3 ? docs.Count : docs.Count * 2);
                foreach (var (name, d) in docs)
                {
                    Resp.WriteBulk(w, name);
                    RedisCommandTable.WriteJson(w, d, resp3);
                }
            }));
        }
        else if (Commands.Is(sub, "info"))
        {
            Emit(Raw(w =>
            {
                Resp.WriteHeader(w, (byte)'*', a.Count - 2);
                for (int i = 2; i < a.Count; i++)
                {
                    if (Commands.Find(a[i]) is { } c) WriteCommandEntry(w, c);
                    else Resp.WriteRaw(w, "*-1\r\n"u8);
                }
            }));
        }
        else if (Commands.Is(sub, "list"))
        {
            Emit(Reply.Array([.. Commands.All.Select(c => Encoding.ASCII.GetBytes(c.Name))]));
        }
        else UnknownSubcommand(a, "command");
    }

    /// <summary>A COMMAND entry with Redis 7's ten fields: name, arity, flags, first key, last key, step,
    /// ACL categories, tips, key specs, subcommands (the last three empty here)</summary>
    static void WriteCommandEntry(IBufferWriter<byte> w, CommandInfo c)
    {
        RedisCommandSpec? spec = c.Spec;
        Resp.WriteHeader(w, (byte)'*', 10);
        Resp.WriteBulk(w, c.Name);
        Resp.WriteInteger(w, c.Arity);
        string[] flags = spec?.Flags ?? [];
        Resp.WriteHeader(w, (byte)'*', flags.Length);
        foreach (string f in flags) Resp.WriteSimple(w, f);
        Resp.WriteInteger(w, spec?.FirstKey ?? 0);
        Resp.WriteInteger(w, spec?.LastKey ?? 0);
        Resp.WriteInteger(w, spec?.Step ?? 0);
        string[] acl = spec?.AclCategories ?? [];
        Resp.WriteHeader(w, (byte)'*', acl.Length);
        foreach (string f in acl) Resp.WriteSimple(w, f);
        Resp.WriteHeader(w, (byte)'*', 0);
        Resp.WriteHeader(w, (byte)'*', 0);
        Resp.WriteHeader(w, (byte)'*', 0);
    }

    const string OutputLimitName = "client-output-buffer-limit";

    /// <summary>Every setting CONFIG GET can report, with its current value</summary>
    IEnumerable<(string Name, string Value)> ConfigValues()
    {
        foreach (var (name, value) in _ctx.Settings.Values) yield return (name, value);
        yield return (OutputLimitName, _ctx.Limits.Format());
        yield return ("requirepass", _ctx.Settings.RequirePass ?? "");
    }

    /// <summary>Applies CONFIG SET's checked pairs (from index 2) to one Core's settings, on that Core's thread</summary>
    static void ApplyConfig(ClientContext ctx, byte[][] a)
    {
        for (int i = 2; i < a.Length; i += 2)
        {
            string value = Encoding.UTF8.GetString(a[i + 1]);
            if (Commands.Is(a[i], OutputLimitName)) ctx.Limits.TrySet(value);
            else if (Commands.Is(a[i], "requirepass")) ctx.Settings.RequirePass = value.Length == 0 ? null : value;
            else
            {
                if (Commands.Is(a[i], "maxmemory")) Settings.TryParseBytes(value, out ctx.Settings.MaxMemory);
                string name = Encoding.UTF8.GetString(a[i]);
                if (Commands.Is(a[i], "notify-keyspace-events"))
                {
                    KeyspaceEventSettings.TryParse(value, out ctx.Settings.Events.Classes);
                    value = KeyspaceEventSettings.Format(ctx.Settings.Events.Classes);
                }
                if (!ctx.Settings.Thresholds.Apply(name, value, ctx.Settings.Values)) ctx.Settings.Values[name] = value;
            }
        }
    }

    void ConfigCommand(Cx<Client> cx, List<byte[]> a)
    {
        if (Commands.Is(a[1], "get"))
        {
            if (!SubArity(a, "config", "get", -3)) return;
            var pairs = new List<byte[]?>();
            foreach (var (name, value) in ConfigValues())
            {
                byte[] nameBytes = Encoding.ASCII.GetBytes(name);
                for (int i = 2; i < a.Count; i++)
                {
                    if (Glob.IsMatch(Encoding.ASCII.GetBytes(Encoding.UTF8.GetString(a[i]).ToLowerInvariant()), nameBytes))
                    {
                        pairs.Add(nameBytes);
                        pairs.Add(Encoding.UTF8.GetBytes(value));
                        break;
                    }
                }
            }
            if (!_resp3) { Emit(Reply.Array([.. pairs])); return; }
            Emit(Raw(w =>
            {
                Resp.WriteHeader(w, (byte)'%', pairs.Count / 2);
                foreach (byte[]? p in pairs) Resp.WriteBulk(w, p!);
            }));
        }
        else if (Commands.Is(a[1], "set"))
        {
            if (!SubArity(a, "config", "set", -4)) return;
            if (a.Count % 2 != 0)
            {
                Emit(Reply.Error(Commands.WrongArity("config|set")));
                return;
            }
            // The checks come first, so nothing is half-applied.
            for (int i = 2; i < a.Count; i += 2)
            {
                string name = Encoding.UTF8.GetString(a[i]);
                if (!Commands.Is(a[i], OutputLimitName) && !Commands.Is(a[i], "requirepass") && !_ctx.Settings.Values.ContainsKey(name))
                {
                    Emit(Reply.Error("ERR Unknown option or number of arguments for CONFIG SET - '" + Commands.Truncate(a[i], 128) + "'"));
                    return;
                }
                if (Commands.Is(a[i], "maxmemory") && !Settings.TryParseBytes(Encoding.UTF8.GetString(a[i + 1]), out _))
                {
                    Emit(Reply.Error("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"));
                    return;
                }
                if (EncodingThresholds.Check(name, Encoding.UTF8.GetString(a[i + 1])) is { } invalid)
                {
                    Emit(Reply.Error("ERR CONFIG SET failed (possibly related to argument '" + Commands.Truncate(a[i], 128) + "') - " + invalid));
                    return;
                }
                if (Commands.Is(a[i], "notify-keyspace-events") && !KeyspaceEventSettings.TryParse(Encoding.UTF8.GetString(a[i + 1]), out _))
                {
                    Emit(Reply.Error("ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - " + KeyspaceEventSettings.InvalidError));
                    return;
                }
                if (Commands.Is(a[i], OutputLimitName) && new OutputLimits().TrySet(Encoding.UTF8.GetString(a[i + 1])) is { } error)
                {
                    Emit(Reply.Error("ERR CONFIG SET failed (possibly related to argument '" + OutputLimitName + "') - " + error));
                    return;
                }
            }
            byte[][] pairs = a.ToArray();
            ApplyConfig(_ctx, pairs);
            for (int i = 2; i < a.Count; i += 2)
                // As Redis applies a lower maxmemory at once: evict now under an evicting policy.
                if (Commands.Is(a[i], "maxmemory") || Commands.Is(a[i], "maxmemory-policy")) RefuseForMemory();
            // The other Cores' settings: each applies them on its own thread, through its shard's actor, and
            // the reply waits for all of them, so any connection's next command sees the new values.
            if (_ctx.Shards is { Held: > 1 } shards && _capture is null)
            {
                // This process's Cores: another process has its own settings, as each node of Redis Cluster has.
                var gather = new Gather(Cmd.Config, Reserve(), shards.Held - 1, 0);
                for (int s = shards.First; s < shards.First + shards.Held; s++)
                    if (s != shards.Local)
                        shards.All[s].Call(static (k, cx, p, r) => { ApplyConfig(p.Context, p.Pairs); r.Answer(Reply.Ok); },
                            (Context: shards.Contexts[s]!, Pairs: pairs), GatherRet(cx, gather, null));
                return;
            }
            if (_ctx.Shards is { } inExec)
                for (int s = inExec.First; s < inExec.First + inExec.Held; s++)
                    if (s != inExec.Local) inExec.All[s].Call(static (k, cx, p) => ApplyConfig(p.Context, p.Pairs), (Context: inExec.Contexts[s]!, Pairs: pairs));
            Emit(Reply.Ok);
        }
        else if (Commands.Is(a[1], "resetstat") || Commands.Is(a[1], "rewrite"))
        {
            Emit(Reply.Ok);
        }
        else UnknownSubcommand(a, "config");
    }

    // ---- pub/sub ------------------------------------------------------------------------------

    void Subscribe(Cx<Client> cx, List<byte[]> a, bool pattern)
    {
        _messages ??= cx.Fwd<PubMessage>(static (a, cx, m) => a.OnMessage(cx, m));
        HashSet<byte[]> set = pattern ? (_patterns ??= new(ByteKeyComparer.Instance)) : (_channels ??= new(ByteKeyComparer.Instance));
        for (int i = 1; i < a.Count; i++)
        {
            byte[] name = a[i];
            if (!set.Add(name))
            {
                EmitSubscription(pattern ? "psubscribe"u8 : "subscribe"u8, name);
                continue;
            }
            // The confirmation waits for the pub/sub actor to have the subscription: on a server of several
            // Cores it is on another Core, and a PUBLISH sent by anyone after the confirmation must reach us.
            // The Fwd and the Ret are arguments of their own: only then are they carried back across Cores.
            bool silent = _silent;
            _silent = false;   // Redis 7 pushes these past CLIENT REPLY OFF/SKIP
            long seq = Reserve();
            _silent = silent;
            Reply confirmation = Subscription(pattern ? "psubscribe"u8 : "subscribe"u8, name);
            _ctx.PubSub.Call(static (p, cx, what, id, fwd, r) => { p.Subscribe(what.Name, id, fwd, what.Pattern); r.Answer(Reply.Nil); },
                (Name: name, Pattern: pattern), _id, _messages,
                cx.Ret<(long Seq, Reply Confirmation), Reply>((seq, confirmation), static (c, cx, p, _) => c.Answered(cx, p.Seq, p.Confirmation)));
        }
    }

    void Unsubscribe(Cx<Client> cx, List<byte[]> a, bool pattern)
    {
        HashSet<byte[]>? set = pattern ? _patterns : _channels;
        ReadOnlySpan<byte> kind = pattern ? "punsubscribe"u8 : "unsubscribe"u8;
        List<byte[]> names = a.Count > 1 ? a.GetRange(1, a.Count - 1) : set is null ? [] : [.. set];
        if (names.Count == 0)
        {
            EmitSubscription(kind, null);
            return;
        }
        foreach (byte[] name in names)
        {
            bool had = set is not null && set.Remove(name);
            if (had && _capture is not null)
                // Inside EXEC the reply goes into the transaction's array: nothing to wait for there.
                _ctx.PubSub.Call(static (p, cx, n, id, pat) => p.Unsubscribe(n, id, pat), name, _id, pattern);
            if (!had || _capture is not null)
            {
                EmitSubscription(kind, name);
                continue;
            }
            // As for SUBSCRIBE, the confirmation waits for the pub/sub actor: on a server of several Cores a
            // PUBLISH sent by anyone after the confirmation must no longer count this connection.
            bool silent = _silent;
            _silent = false;
            long seq = Reserve();
            _silent = silent;
            Reply confirmation = Subscription(kind, name);
            _ctx.PubSub.Call(static (p, cx, n, id, pat, r) => { p.Unsubscribe(n, id, pat); r.Answer(Reply.Nil); }, name, _id, pattern,
                cx.Ret<(long Seq, Reply Confirmation), Reply>((seq, confirmation), static (c, cx, p, _) => c.Answered(cx, p.Seq, p.Confirmation)));
        }
    }

    /// <summary>["subscribe", name, count] and friends; count is this connection's channels plus patterns</summary>
    void EmitSubscription(ReadOnlySpan<byte> kind, byte[]? name)
    {
        // Redis 7 pushes these past CLIENT REPLY OFF/SKIP in RESP2 and RESP3 alike.
        bool silent = _silent;
        _silent = false;
        Emit(Subscription(kind, name));
        _silent = silent;
    }

    Reply Subscription(ReadOnlySpan<byte> kind, byte[]? name)
    {
        long count = (_channels?.Count ?? 0) + (_patterns?.Count ?? 0);
        byte[] kindBytes = kind.ToArray();
        bool resp3 = _resp3;
        return Raw(w =>
        {
            Resp.WriteHeader(w, resp3 ? (byte)'>' : (byte)'*', 3);
            Resp.WriteBulk(w, kindBytes);
            if (name is null) Resp.WriteNil(w);
            else Resp.WriteBulk(w, name);
            Resp.WriteInteger(w, count);
        });
    }

    /// <summary>A message from the pub/sub actor (through the Fwd)</summary>
    void OnMessage(Cx<Client> cx, PubMessage m)
    {
        if (!_stream.CanWrite || _dropped) return;
        // Sent before our UNSUBSCRIBE reached the pub/sub actor (on another Core, it can): Redis sends
        // nothing for a channel after confirming the unsubscribe.
        if (m.Pattern is null ? _channels?.Contains(m.Channel) != true : _patterns?.Contains(m.Pattern) != true) return;
        bool resp3 = _resp3;
        _silent = false;
        Emit(Raw(w =>
        {
            if (m.Pattern is null)
            {
                Resp.WriteHeader(w, resp3 ? (byte)'>' : (byte)'*', 3);
                Resp.WriteBulk(w, "message"u8);
            }
            else
            {
                Resp.WriteHeader(w, resp3 ? (byte)'>' : (byte)'*', 4);
                Resp.WriteBulk(w, "pmessage"u8);
                Resp.WriteBulk(w, m.Pattern);
            }
            Resp.WriteBulk(w, m.Channel);
            Resp.WriteBulk(w, m.Payload);
        }));
        CheckOutputLimit(cx);
    }
}
