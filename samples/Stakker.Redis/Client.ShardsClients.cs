namespace Stakker.Redis;

// CLIENT LIST, KILL and UNBLOCK on a server of several Cores (decision 101): each Core's connections are
// in that Core's registry, read or changed only on its thread, through the call to its shard's actor; the
// answers are gathered here. Inside EXEC these see this Core's connections only (the reply is needed at once). On a
// distributed server, LIST and KILL see this process's connections, as a node of Redis Cluster does; UNBLOCK asks
// every shard, since the client may wait on a key of another process.
internal sealed partial class Client
{
    /// <summary>CLIENT LIST [ID ...]: every Core's connections, in id order</summary>
    void ListOnEveryCore(Cx<Client> cx, HashSet<long> ids, Shards shards)
    {
        var answers = new FromEveryShard<(long Id, string Line)[]>(Reserve(), shards.Held, static all =>
            Reply.Verbatim(string.Concat(all.SelectMany(lines => lines).OrderBy(l => l.Id).Select(l => l.Line + "\n"))));
        for (int s = shards.First; s < shards.First + shards.Held; s++)
            shards.All[s].Call(static (k, cx, p, r) => r.Answer(ListLines(p.Context.Registry, p.Ids, cx.Now.Ticks)),
                (Context: shards.Contexts[s]!, Ids: ids), AnswerFrom(cx, answers, s - shards.First));
    }

    /// <summary>One Core's CLIENT LIST lines, on that Core's thread</summary>
    static (long Id, string Line)[] ListLines(ClientRegistry registry, HashSet<long> ids, long nowTicks) =>
        [.. registry.ById.Values.Where(c => ids.Count == 0 || ids.Contains(c.Id)).Select(c => (c.Id, c.Describe(nowTicks, registry.LocalAddr)))];

    /// <summary>CLIENT KILL: the connections <paramref name="filter"/> names on every Core are closed; this one,
    /// if named, closes once the reply is written</summary>
    void KillOnEveryCore(Cx<Client> cx, ClientKillFilter filter, Shards shards)
    {
        long self = 0;
        if (filter.Matches(_state))
        {
            // Decided here, before the next command is parsed: nothing after the kill runs, as in Redis.
            _closeWhenDone = true;
            self = 1;
        }
        var answers = new FromEveryShard<long>(Reserve(), shards.Held, all => filter.Answer(self + all.Sum()));
        for (int s = shards.First; s < shards.First + shards.Held; s++)
            shards.All[s].Call(static (k, cx, p, r) => r.Answer(KillOn(p.Context.Registry, p.Filter)),
                (Context: shards.Contexts[s]!, Filter: filter), AnswerFrom(cx, answers, s - shards.First));
    }

    /// <summary>Closes one Core's connections that <paramref name="filter"/> names (but the asking one), on that Core's thread</summary>
    static long KillOn(ClientRegistry registry, ClientKillFilter filter)
    {
        long killed = 0;
        foreach (ClientState c in registry.ById.Values.ToArray())
        {
            if (c.Id == filter.Me || !filter.Matches(c)) continue;
            c.Actor.Call(static (t, cx) => t.Killed(cx));
            killed++;
        }
        return killed;
    }

    /// <summary>CLIENT UNBLOCK: the client waits on some shard's keys; every shard is asked, the one holding it answers it</summary>
    void UnblockOnEveryShard(Cx<Client> cx, long id, Reply answer, Shards shards)
    {
        var answers = new FromEveryShard<Reply>(Reserve(), shards.Count, static all =>
            all.Any(r => r.Kind == ReplyKind.Integer && r.Integer > 0) ? Reply.One : Reply.Zero);
        for (int s = 0; s < shards.Count; s++)
            shards.UnblockWith(s, id, answer, AnswerFrom(cx, answers, s));
    }
}
