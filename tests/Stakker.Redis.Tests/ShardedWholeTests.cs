using System.Diagnostics;
using System.Text;
using StackExchange.Redis;

using static Stakker.Redis.Tests.ShardedServer;

namespace Stakker.Redis.Tests;

/// <summary>A server of several Cores: the commands about the whole keyspace or server (SCAN, RANDOMKEY, SWAPDB,
/// INFO, CLIENT LIST/KILL/UNBLOCK) see every shard and every Core, whichever Core the asking connection is on
/// (decisions 100 and 101)</summary>
public sealed class ShardedWholeTests
{
    static long IdOf(RawClient c) => long.Parse(c.Call("CLIENT", "ID")[1..]);

    /// <summary>Connections until every Core serves one; the first on each Core by index, and every connection opened</summary>
    static (RawClient[] ByCore, List<RawClient> All) OnEveryCore(RedisHost host, int cores)
    {
        var byCore = new RawClient?[cores];
        var all = new List<RawClient>();
        for (int i = 0; i < 256 && byCore.Any(c => c is null); i++)
        {
            var c = new RawClient(host.Port);
            all.Add(c);
            byCore[CoreOf(c)] ??= c;
        }
        if (byCore.Any(c => c is null))
        {
            foreach (RawClient c in all) c.Dispose();
            throw new InvalidOperationException("256 connections did not reach every Core");
        }
        return ([.. byCore.Select(c => c!)], all);
    }

    /// <summary>One SCAN call, as (next cursor, keys)</summary>
    static (string Cursor, string[] Keys) ScanOnce(RawClient c, string cursor, params string[] options)
    {
        string reply = c.Call(["SCAN", cursor, .. options]);
        Assert.StartsWith("[", reply);
        int comma = reply.IndexOf(',');
        string keys = reply[(comma + 2)..^2];   // "[cursor,[k1,k2]]"
        return (reply[1..comma], keys.Length == 0 ? [] : keys.Split(','));
    }

    /// <summary>A whole SCAN iteration; <paramref name="between"/> runs after each call</summary>
    static (List<string> Keys, List<string> Cursors) ScanAll(RawClient c, string[] options, Action? between = null)
    {
        var keys = new List<string>();
        var cursors = new List<string>();
        string cursor = "0";
        do
        {
            (cursor, string[] page) = ScanOnce(c, cursor, options);
            keys.AddRange(page);
            cursors.Add(cursor);
            between?.Invoke();
            Assert.True(cursors.Count < 10_000, "the scan does not end");
        }
        while (cursor != "0");
        return (keys, cursors);
    }

    static void DisposeAll(List<RawClient> all)
    {
        foreach (RawClient c in all) c.Dispose();
    }

    /// <summary>Waits for a state the server shows (a client parked in a blocking command), within 10 s</summary>
    static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("Not seen within 10 s: " + what);
            Thread.Sleep(5);
        }
    }

    static Dictionary<string, string> InfoFields(string info) =>
        info.Split("\r\n").Where(l => l.Contains(':')).ToDictionary(l => l[..l.IndexOf(':')], l => l[(l.IndexOf(':') + 1)..]);

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Scan_VisitsEveryShard_OneAfterTheOther_AndKeepsMatchCountAndType(int cores)
    {
        using var host = Start(cores);
        var (byCore, all) = OnEveryCore(host, cores);
        try
        {
            var strings = Enumerable.Range(0, 500).Select(i => "s:" + i).ToList();
            var hashes = Enumerable.Range(0, 30).Select(i => "h:" + i).ToList();
            foreach (string k in strings) Assert.Equal("+OK", byCore[0].Call("SET", k, "v"));
            foreach (string k in hashes) Assert.Equal(":1", byCore[1].Call("HSET", k, "f", "v"));
            Assert.Equal(cores, strings.Concat(hashes).Select(k => ShardOf(cores, k)).Distinct().Count());

            foreach (RawClient scanner in byCore)
            {
                var (keys, cursors) = ScanAll(scanner, ["COUNT", "25"]);
                Assert.Equal(strings.Concat(hashes).Order(), keys.Order());
                // The cursor names the shard (its value modulo the shard count): every shard is visited in turn.
                for (int s = 1; s < cores; s++) Assert.Contains(cursors, c => c != "0" && ulong.Parse(c) % (ulong)cores == (ulong)s);
            }

            var (typed, _) = ScanAll(byCore[^1], ["MATCH", "h:*", "TYPE", "hash", "COUNT", "7"]);
            Assert.Equal(hashes.Order(), typed.Order());
            var (none, _) = ScanAll(byCore[0], ["MATCH", "h:*", "TYPE", "string"]);
            Assert.Empty(none);
            var (matched, _) = ScanAll(byCore[0], ["MATCH", "s:1?", "COUNT", "1000"]);
            Assert.Equal(Enumerable.Range(10, 10).Select(i => "s:" + i).Order(), matched.Order());

            Assert.Equal("-ERR invalid cursor", byCore[0].Call("SCAN", "abc"));
            Assert.Equal("-ERR syntax error", byCore[0].Call("SCAN", "1", "COUNT", "0"));
        }
        finally
        {
            DisposeAll(all);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Scan_ReturnsEveryKeyPresentForTheWholeScan_WhileOtherCoresAddAndDeleteKeys(int cores)
    {
        using var host = Start(cores);
        var (byCore, all) = OnEveryCore(host, cores);
        try
        {
            RawClient scanner = byCore[0], writer = byCore[^1];
            var stay = Enumerable.Range(0, 400).Select(i => "stay:" + i).ToList();
            var gone = Enumerable.Range(0, 200).Select(i => "gone:" + i).ToList();
            var before = Enumerable.Range(0, 50).Select(i => "before:" + i).ToList();
            foreach (string k in stay.Concat(gone).Concat(before)) Assert.Equal("+OK", writer.Call("SET", k, "v"));
            Assert.Equal(":50", writer.Call(["DEL", .. before]));

            var added = new List<string>();
            int step = 0;
            var (keys, _) = ScanAll(scanner, ["COUNT", "10"], () =>
            {
                // Between the calls, another Core deletes two keys and adds three, on any shard.
                for (int i = 0; i < 2 && step * 2 + i < gone.Count; i++) writer.Call("DEL", gone[step * 2 + i]);
                for (int i = 0; i < 3; i++)
                {
                    string k = "new:" + (step * 3 + i);
                    writer.Call("SET", k, "v");
                    added.Add(k);
                }
                step++;
            });

            var seen = keys.ToHashSet();
            Assert.All(stay, k => Assert.Contains(k, seen));   // every key there for the whole scan, at least once
            Assert.All(before, k => Assert.DoesNotContain(k, seen));   // deleted before it began: never
            var possible = stay.Concat(gone).Concat(added).ToHashSet();
            Assert.All(seen, k => Assert.Contains(k, possible));
            Assert.True(step > cores, "the scan took more than one call per shard");
        }
        finally
        {
            DisposeAll(all);
        }
    }

    [Fact]
    public async Task ServerKeys_OfStackExchangeRedis_PagesWithScanThroughEveryShard()
    {
        using var host = Start(2);
        var options = ConfigurationOptions.Parse($"127.0.0.1:{host.Port}");
        options.ConnectTimeout = 5000;
        options.SyncTimeout = 5000;
        options.AbortOnConnectFail = true;
        using var mux = await ConnectionMultiplexer.ConnectAsync(options);
        IDatabase db = mux.GetDatabase();
        IServer server = mux.GetServer(mux.GetEndPoints()[0]);
        for (int i = 0; i < 1000; i++) await db.StringSetAsync("key:" + i, i);
        await db.HashSetAsync("other", "f", "v");
        IDatabase db3 = mux.GetDatabase(3);
        for (int i = 0; i < 10; i++) await db3.StringSetAsync("three:" + i, i);

        var keys = server.Keys(pattern: "key:*", pageSize: 100).Select(k => (string)k!).ToList();
        Assert.Equal(1000, keys.Count);
        Assert.Equal(1000, keys.Distinct().Count());
        Assert.Equal(1001, server.Keys(pageSize: 250).Count());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "three:" + i).Order(), server.Keys(database: 3, pageSize: 4).Select(k => (string)k!).Order());
        Assert.Equal(1001, await server.DatabaseSizeAsync());
        Assert.Equal(10, await server.DatabaseSizeAsync(3));
    }

    [Fact]
    public void RandomKey_DrawsFromEveryShardWithKeys_AndIsNilOnlyWhenEveryShardIsEmpty()
    {
        using var host = Start(2);
        var (byCore, all) = OnEveryCore(host, 2);
        try
        {
            RawClient asker = byCore[0];
            Assert.Equal("(nil)", asker.Call("RANDOMKEY"));
            // Only the other Core's shard has a key: it is found from here.
            string far = KeyOn(2, 1, "far:");
            Assert.Equal("+OK", byCore[1].Call("SET", far, "v"));
            for (int i = 0; i < 20; i++) Assert.Equal(far, asker.Call("RANDOMKEY"));

            string near = KeyOn(2, 0, "near:");
            Assert.Equal("+OK", asker.Call("SET", near, "v"));
            var drawn = Enumerable.Range(0, 200).Select(_ => byCore[1].Call("RANDOMKEY")).ToHashSet();
            Assert.Equal(new[] { far, near }.Order(), drawn.Order());

            Assert.Equal("+OK", asker.Call("SELECT", "2"));
            Assert.Equal("(nil)", asker.Call("RANDOMKEY"));
        }
        finally
        {
            DisposeAll(all);
        }
    }

    [Fact]
    public void SwapDb_SwapsEveryShardBeforeItAnswers_AndDbSizeAndFlushDbFollowTheSelectedDatabase()
    {
        using var host = Start(2);
        var (byCore, all) = OnEveryCore(host, 2);
        try
        {
            string a = KeyOn(2, 0, "a:"), b = KeyOn(2, 1, "b:");
            RawClient first = byCore[0], second = byCore[1];
            Assert.Equal("+OK", first.Call("MSET", a, "zero", b, "zero"));
            Assert.Equal("+OK", first.Call("SELECT", "1"));
            Assert.Equal("+OK", first.Call("SET", a, "one"));

            Assert.Equal("+OK", first.Call("SWAPDB", "0", "1"));
            // The other Core's connection, right after the reply: both shards have swapped.
            Assert.Equal("one", second.Call("GET", a));
            Assert.Equal("(nil)", second.Call("GET", b));
            Assert.Equal(":1", second.Call("DBSIZE"));
            Assert.Equal("+OK", second.Call("SELECT", "1"));
            Assert.Equal("zero", second.Call("GET", a));
            Assert.Equal("zero", second.Call("GET", b));
            Assert.Equal(":2", second.Call("DBSIZE"));

            Assert.Equal("+OK", second.Call("FLUSHDB"));
            Assert.Equal(":0", second.Call("DBSIZE"));
            Assert.Equal(":0", first.Call("DBSIZE"));   // first also has db 1 selected
            Assert.Equal("+OK", first.Call("SELECT", "0"));
            Assert.Equal(":1", first.Call("DBSIZE"));
            Assert.Equal("one", first.Call("GET", a));

            Assert.Equal("-ERR DB index is out of range", first.Call("SWAPDB", "0", "99"));
            Assert.Equal("-ERR invalid first DB index", first.Call("SWAPDB", "x", "1"));
            Assert.Equal("one", first.Call("GET", a));   // unchanged by the refused swaps
        }
        finally
        {
            DisposeAll(all);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Info_SumsTheShardsFigures_AndListsEachShard(int cores)
    {
        using var host = Start(cores);
        var (byCore, all) = OnEveryCore(host, cores);
        try
        {
            var keys = Enumerable.Range(0, 60).Select(i => "info:" + i).ToList();
            // Each Core's connection sends its share of the SETs; every fifth key has a time to live.
            for (int i = 0; i < keys.Count; i++)
            {
                RawClient c = byCore[i % cores];
                Assert.Equal("+OK", i % 5 == 0 ? c.Call("SET", keys[i], "v", "EX", "1000") : c.Call("SET", keys[i], "v"));
            }
            Assert.Equal("+OK", byCore[0].Call("SELECT", "4"));
            Assert.Equal("+OK", byCore[0].Call("SET", "in4", "v"));

            string info = byCore[^1].Call("INFO");
            Dictionary<string, string> fields = InfoFields(info);
            Assert.Equal("keys=60,expires=12,avg_ttl=0", fields["db0"]);
            Assert.Equal("keys=1,expires=0,avg_ttl=0", fields["db4"]);
            Assert.Equal(all.Count.ToString(), fields["connected_clients"]);
            Assert.Equal(cores.ToString(), fields["shards"]);
            long commands = 0;
            for (int s = 0; s < cores; s++)
            {
                Dictionary<string, string> shard = fields["shard" + s].Split(',').ToDictionary(p => p.Split('=')[0], p => p.Split('=')[1]);
                Assert.Equal(s.ToString(), shard["core"]);
                int expected = keys.Count(k => ShardOf(cores, k) == s) + (ShardOf(cores, "in4") == s ? 1 : 0);
                Assert.Equal(expected.ToString(), shard["keys"]);
                Assert.Equal(keys.Where((k, i) => i % 5 == 0 && ShardOf(cores, k) == s).Count().ToString(), shard["expires"]);
                commands += long.Parse(shard["commands"]);
            }
            Assert.Equal(commands.ToString(), fields["total_commands_processed"]);
            Assert.True(commands >= 62);
            Assert.Contains("\r\n# Server\r\n", "\r\n" + info);
            Assert.Contains("\r\n\r\n# Shards\r\n", info);

            string stats = byCore[0].Call("INFO", "commandstats");
            Assert.Contains("cmdstat_set:calls=61,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0\r\n", stats);
            Assert.Equal(1, stats.Split("cmdstat_set:").Length - 1);

            string keyspace = byCore[0].Call("INFO", "keyspace");
            Assert.Equal("# Keyspace\r\ndb0:keys=60,expires=12,avg_ttl=0\r\ndb4:keys=1,expires=0,avg_ttl=0\r\n", keyspace);
            string onlyShards = byCore[0].Call("INFO", "shards");
            Assert.StartsWith("# Shards\r\nshards:" + cores + "\r\nshard0:core=0,", onlyShards);
        }
        finally
        {
            DisposeAll(all);
        }
    }

    [Fact]
    public void ClientList_ShowsTheConnectionsOfEveryCore_InIdOrder()
    {
        using var host = Start(2);
        var (byCore, all) = OnEveryCore(host, 2);
        try
        {
            Assert.Equal("+OK", byCore[1].Call("CLIENT", "SETNAME", "far"));
            string list = byCore[0].Call("CLIENT", "LIST");
            string[] lines = list.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            long[] ids = [.. lines.Select(l => long.Parse(l.Split(' ')[0]["id=".Length..]))];
            Assert.Equal(all.Select(IdOf).Order(), ids);
            Assert.Contains(lines, l => l.EndsWith(" core=0", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.EndsWith(" core=1", StringComparison.Ordinal) && l.Contains(" name=far "));

            long farId = IdOf(byCore[1]);
            string one = byCore[0].Call("CLIENT", "LIST", "ID", farId.ToString());
            Assert.StartsWith("id=" + farId + " ", one);
            Assert.EndsWith(" core=1\n", one);
            Assert.Single(one.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            DisposeAll(all);
        }
    }

    [Fact]
    public void ClientKill_ClosesConnectionsOnAnyCore()
    {
        using var host = Start(2);
        var (byCore, all) = OnEveryCore(host, 2);
        try
        {
            RawClient killer = byCore[0], victim = byCore[1];
            string victimId = IdOf(victim).ToString();
            Assert.Equal(":1", killer.Call("CLIENT", "KILL", "ID", victimId));
            Assert.True(victim.ServerClosed());
            Assert.Equal(":0", killer.Call("CLIENT", "KILL", "ID", victimId));

            // The old form, by address, of a connection on the other Core.
            RawClient other;
            do
            {
                other = new RawClient(host.Port);
                all.Add(other);
            }
            while (CoreOf(other) != 1);
            string addr = other.Call("CLIENT", "INFO").Split(' ').Single(f => f.StartsWith("addr=", StringComparison.Ordinal))["addr=".Length..];
            Assert.Equal("+OK", killer.Call("CLIENT", "KILL", addr));
            Assert.True(other.ServerClosed());
            Assert.Equal("-ERR No such client", killer.Call("CLIENT", "KILL", addr));

            // Every other normal connection, on both Cores; the asker stays.
            int open = all.Count(c => c != victim && c != other);
            Assert.Equal(":" + (open - 1), killer.Call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"));
            Assert.Equal("+PONG", killer.Call("PING"));
            Assert.True(all.Where(c => c != killer).All(c => c.ServerClosed()));
            Assert.Equal("1", InfoFields(killer.Call("INFO", "clients"))["connected_clients"]);

            // Itself, when the filter names it: the reply is written, then the connection closes, and what it
            // sent after the KILL is not run.
            killer.Send([.. RawClient.Frame("CLIENT", "KILL", "ID", IdOf(killer).ToString(), "SKIPME", "no"), .. RawClient.Frame("SET", "after", "kill")]);
            Assert.Equal(":1", killer.ReadReply());
            Assert.True(killer.ServerClosed());
            using var check = new RawClient(host.Port);
            Assert.Equal("(nil)", check.Call("GET", "after"));
        }
        finally
        {
            DisposeAll(all);
        }
    }

    [Fact]
    public void ClientUnblock_AnswersAClientBlockedOnAnotherCoresShard()
    {
        using var host = Start(2);
        var (byCore, all) = OnEveryCore(host, 2);
        try
        {
            RawClient asker = byCore[0], blocked = byCore[1];
            long id = IdOf(blocked);
            Assert.Equal(":0", asker.Call("CLIENT", "UNBLOCK", id.ToString()));
            // First on a key of the blocked client's own shard, then on one of the asker's.
            string key = KeyOn(2, 1, "wait:");
            string Blocked() => InfoFields(asker.Call("INFO", "clients"))["blocked_clients"];

            blocked.Send(RawClient.Frame("BLPOP", key, "0"));
            WaitUntil(() => Blocked() == "1", "the client waits in BLPOP");
            Assert.Equal(":1", asker.Call("CLIENT", "UNBLOCK", id.ToString()));
            Assert.Equal("(nil)", blocked.ReadReply());

            blocked.Send(RawClient.Frame("BLPOP", KeyOn(2, 0, "wait:"), "0"));
            WaitUntil(() => Blocked() == "1", "the client waits in BLPOP again");
            Assert.Equal(":1", asker.Call("CLIENT", "UNBLOCK", id.ToString(), "ERROR"));
            Assert.Equal("-UNBLOCKED client unblocked via CLIENT UNBLOCK", blocked.ReadReply());
            Assert.Equal("+PONG", blocked.Call("PING"));
            Assert.Equal("0", Blocked());
        }
        finally
        {
            DisposeAll(all);
        }
    }
}
