using System.Net.Sockets;
using StackExchange.Redis;
using Stakker.Redis;

using static Stakker.Redis.Tests.ShardedServer;

namespace Stakker.Redis.Tests;

/// <summary>MULTI/EXEC/WATCH with keys on several shards (decision 103): EXEC holds the shards in order, runs
/// the steps where their keys are, and releases them; other clients never see half a transaction</summary>
public sealed class ShardedTransactionTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void ATransactionOnKeysOfSeveralShards_RunsWithItsRepliesInOrder(int cores)
    {
        using var host = Start(cores);
        var (first, second, all) = OnTwoCores(host);
        try
        {
            string[] keys = [.. Enumerable.Range(0, cores).Select(s => KeyOn(cores, s, "t"))];
            Assert.Equal("+OK", first.Call("MULTI"));
            foreach (string k in keys) Assert.Equal("+QUEUED", first.Call("SET", k, "v" + k));
            Assert.Equal("+QUEUED", first.Call("INCR", keys[0]));
            Assert.Equal("+QUEUED", first.Call("APPEND", keys[^1], "!"));
            Assert.Equal("+QUEUED", first.Call(["MGET", .. keys]));
            Assert.Equal("+QUEUED", first.Call("DBSIZE"));
            Assert.Equal("+QUEUED", first.Call("PING"));
            string sets = string.Join(",", keys.Select(_ => "+OK"));
            string values = string.Join(",", keys.Select((k, i) => i == keys.Length - 1 ? "v" + k + "!" : "v" + k));
            Assert.Equal("[" + sets + ",-ERR value is not an integer or out of range,:" + ("v" + keys[^1] + "!").Length + ",[" + values + "],:" + cores + ",+PONG]",
                first.Call("EXEC"));
            foreach (string k in keys[..^1]) Assert.Equal("v" + k, second.Call("GET", k));

            // SELECT inside the transaction changes the database of the steps after it, on every shard.
            Assert.Equal("+OK", first.Call("MULTI"));
            Assert.Equal("+QUEUED", first.Call("SELECT", "3"));
            foreach (string k in keys) Assert.Equal("+QUEUED", first.Call("SET", k, "three"));
            Assert.Equal("+QUEUED", first.Call(["DEL", .. keys]));
            Assert.Equal("[+OK," + sets + ",:" + cores + "]", first.Call("EXEC"));
            Assert.Equal(":0", first.Call("DBSIZE"));
            Assert.Equal("+OK", first.Call("SELECT", "0"));
            Assert.Equal(":" + cores, first.Call("DBSIZE"));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task AReaderOnAnotherCore_NeverSeesHalfATransaction(int cores)
    {
        using var host = Start(cores);
        var (writer, reader, all) = OnTwoCores(host);
        try
        {
            var (a, b) = KeysOnTwoShards(cores);
            Assert.Equal("+OK", writer.Call("MSET", a, "0", b, "0"));
            const int rounds = 300;
            var writing = Task.Run(() =>
            {
                for (int i = 1; i <= rounds; i++)
                {
                    writer.Call("MULTI");
                    writer.Call("INCR", a);
                    writer.Call("INCR", b);
                    Assert.Equal("[:" + i + ",:" + i + "]", writer.Call("EXEC"));
                }
            });
            int seen = 0;
            while (!writing.IsCompleted)
            {
                reader.Call("MULTI");
                reader.Call("GET", a);
                reader.Call("GET", b);
                string both = reader.Call("EXEC");
                string[] parts = both.Trim('[', ']').Split(',');
                Assert.Equal(parts[0], parts[1]);
                // Plain commands wait for a held shard too: once a reads n, that transaction has released
                // every shard, so b, read after it, is at least n.
                long first = long.Parse(reader.Call("GET", a));
                long then = long.Parse(reader.Call("GET", b));
                Assert.True(first <= then, a + " read " + first + " before " + b + " read " + then);
                seen++;
            }
            await writing;
            Assert.True(seen > 0);
            Assert.Equal("[" + rounds + "," + rounds + "]", reader.Call("MGET", a, b));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void WatchedKeysOnTwoShards_AWriteToEitherFromAnotherCoreAborts_UnchangedRuns(int cores)
    {
        using var host = Start(cores);
        var (first, second, all) = OnTwoCores(host);
        try
        {
            var (a, b) = KeysOnTwoShards(cores);
            foreach (string changed in new[] { a, b })
            {
                Assert.Equal("+OK", first.Call("WATCH", a, b));
                Assert.Equal("+OK", second.Call("SET", changed, "other"));
                Assert.Equal("+OK", first.Call("MULTI"));
                Assert.Equal("+QUEUED", first.Call("SET", a, "mine"));
                Assert.Equal("+QUEUED", first.Call("SET", b, "mine"));
                Assert.Equal("(nil)", first.Call("EXEC"));
                Assert.Equal("other", second.Call("GET", changed));
                Assert.Equal(":1", second.Call("DEL", a, b));
            }

            // Watched on two shards, unchanged: the transaction runs; the watches are gone after EXEC.
            Assert.Equal("+OK", first.Call("WATCH", a));
            Assert.Equal("+OK", first.Call("WATCH", b));
            Assert.Equal("+OK", first.Call("MULTI"));
            Assert.Equal("+QUEUED", first.Call("SET", a, "mine"));
            Assert.Equal("+QUEUED", first.Call("SET", b, "mine"));
            Assert.Equal("[+OK,+OK]", first.Call("EXEC"));
            Assert.Equal("[mine,mine]", second.Call("MGET", a, b));
            Assert.Equal("+OK", second.Call("SET", a, "later"));
            Assert.Equal("+OK", first.Call("MULTI"));
            Assert.Equal("+QUEUED", first.Call("GET", b));
            Assert.Equal("[mine]", first.Call("EXEC"));

            // A watch on one shard and a transaction on the other: a write to the watched key still aborts.
            Assert.Equal("+OK", first.Call("WATCH", a));
            Assert.Equal("+OK", second.Call("SET", a, "again"));
            Assert.Equal("+OK", first.Call("MULTI"));
            Assert.Equal("+QUEUED", first.Call("SET", b, "never"));
            Assert.Equal("(nil)", first.Call("EXEC"));
            Assert.Equal("mine", second.Call("GET", b));

            // UNWATCH forgets the watches on every shard.
            Assert.Equal("+OK", first.Call("WATCH", a, b));
            Assert.Equal("+OK", second.Call("SET", b, "changed"));
            Assert.Equal("+OK", first.Call("UNWATCH"));
            Assert.Equal("+OK", first.Call("MULTI"));
            Assert.Equal("+QUEUED", first.Call("SET", a, "x"));
            Assert.Equal("+QUEUED", first.Call("SET", b, "y"));
            Assert.Equal("[+OK,+OK]", first.Call("EXEC"));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    [Fact]
    public void WholeKeyspaceCommandsInATransaction_SeeEveryShard_AtOneInstant()
    {
        using var host = Start(2);
        var (first, second, all) = OnTwoCores(host);
        try
        {
            var (a, b) = KeysOnTwoShards(2);
            Assert.Equal("+OK", first.Call("MULTI"));
            Assert.Equal("+QUEUED", first.Call("SET", a, "1"));
            Assert.Equal("+QUEUED", first.Call("SET", b, "2"));
            Assert.Equal("+QUEUED", first.Call("KEYS", "*"));
            Assert.Equal("+QUEUED", first.Call("FLUSHALL"));
            Assert.Equal("+QUEUED", first.Call("DBSIZE"));
            Assert.Equal("+QUEUED", first.Call("SET", b, "3"));
            string reply = first.Call("EXEC");
            Assert.StartsWith("[+OK,+OK,[", reply);
            Assert.Contains(a, reply);
            Assert.Contains(b, reply);
            Assert.EndsWith("],+OK,:0,+OK]", reply);
            Assert.Equal(":1", second.Call("DBSIZE"));
            Assert.Equal("3", second.Call("GET", b));

            // SWAPDB swaps the two databases of every shard at one instant.
            Assert.Equal("+OK", first.Call("MULTI"));
            Assert.Equal("+QUEUED", first.Call("SET", a, "zero"));
            Assert.Equal("+QUEUED", first.Call("SWAPDB", "0", "5"));
            Assert.Equal("+QUEUED", first.Call("DBSIZE"));
            Assert.Equal("[+OK,+OK,:0]", first.Call("EXEC"));
            Assert.Equal("+OK", second.Call("SELECT", "5"));
            Assert.Equal("[zero,3]", second.Call("MGET", a, b));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    [Fact]
    public void ACommandWhoseOwnKeysSpanShards_IsRefusedWhenQueued_NamingIt_AndTheTransactionAborts()
    {
        using var host = Start(2);
        using var c = new RawClient(host.Port);
        var (a, b) = KeysOnTwoShards(2);
        Assert.Equal("+OK", c.Call("SET", a, "1"));
        Assert.Equal("+OK", c.Call("MULTI"));
        Assert.Equal("+QUEUED", c.Call("SET", b, "2"));
        Assert.Equal("-ERR 'rename' with keys on several shards is not supported inside a transaction (run with --cores 1)", c.Call("RENAME", a, b));
        Assert.Equal("-EXECABORT Transaction discarded because of previous errors.", c.Call("EXEC"));
        Assert.Equal("[1,(nil)]", c.Call("MGET", a, b));
    }

    [Fact]
    public void ATransactionLongerThanOneBatchOfCalls_RunsWhole()
    {
        using var host = Start(2);
        var (first, second, all) = OnTwoCores(host);
        try
        {
            string key = KeyOn(2, 1, "long");
            var frames = new List<byte>();
            frames.AddRange(RawClient.Frame("MULTI"));
            for (int i = 0; i < 1000; i++) frames.AddRange(RawClient.Frame("INCR", key));
            frames.AddRange(RawClient.Frame("EXEC"));
            first.Send([.. frames]);
            Assert.Equal("+OK", first.ReadReply());
            for (int i = 0; i < 1000; i++) Assert.Equal("+QUEUED", first.ReadReply());
            string exec = first.ReadReply();
            Assert.StartsWith("[:1,:2,", exec);
            Assert.EndsWith(",:1000]", exec);
            Assert.Equal("1000", second.Call("GET", key));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    [Fact]
    public void ACommandAcrossShardsPipelinedBeforeExec_IsWholeWhenTheTransactionRuns()
    {
        using var host = Start(2);
        using var c = new RawClient(host.Port);
        var (a, b) = KeysOnTwoShards(2);
        for (int i = 0; i < 50; i++)
        {
            string from = i % 2 == 0 ? a : b, to = i % 2 == 0 ? b : a;
            var frames = new List<byte>();
            frames.AddRange(RawClient.Frame("RENAME", from, to));
            frames.AddRange(RawClient.Frame("MULTI"));
            frames.AddRange(RawClient.Frame("GET", from));
            frames.AddRange(RawClient.Frame("GET", to));
            frames.AddRange(RawClient.Frame("EXEC"));
            Assert.Equal("+OK", c.Call("SET", from, "v" + i));
            c.Send([.. frames]);
            Assert.Equal("+OK", c.ReadReply());
            Assert.Equal("+OK", c.ReadReply());
            Assert.Equal("+QUEUED", c.ReadReply());
            Assert.Equal("+QUEUED", c.ReadReply());
            Assert.Equal("[(nil),v" + i + "]", c.ReadReply());
        }
    }

    [Fact]
    public async Task TransactionsAcrossShards_WaitForRoomOnTheWayToAShard_AndAllAnswer()
    {
        // Eight calls on the way from one Core to another at most: holds and parts wait for room.
        using var host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = 2, CrossCoreCapacity = 8 });
        var (a, b) = KeysOnTwoShards(2);
        var frames = new List<byte>();
        for (int i = 0; i < 200; i++)
        {
            frames.AddRange(RawClient.Frame("MULTI"));
            frames.AddRange(RawClient.Frame("INCR", a));
            frames.AddRange(RawClient.Frame("SET", "p:" + i, "x"));
            frames.AddRange(RawClient.Frame("INCR", b));
            frames.AddRange(RawClient.Frame("EXEC"));
        }
        byte[] burst = [.. frames];
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            using var c = new RawClient(host.Port);
            c.Send(burst);
            for (int i = 0; i < 200; i++)
            {
                for (int r = 0; r < 4; r++) c.ReadReply();
                Assert.Matches(@"^\[:\d+,\+OK,:\d+\]$", c.ReadReply());
            }
        })).ToArray();
        await Task.WhenAll(clients);
        using var check = new RawClient(host.Port);
        Assert.Equal("[800,800]", check.Call("MGET", a, b));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task StackExchangeRedisTransactions_WithConditions_AcrossShards(int cores)
    {
        using var host = Start(cores);
        using var mux = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{host.Port}");
        IDatabase db = mux.GetDatabase();
        var (a, b) = KeysOnTwoShards(cores);

        ITransaction tran = db.CreateTransaction();
        tran.AddCondition(Condition.KeyNotExists(a));
        tran.AddCondition(Condition.KeyNotExists(b));
        Task<bool> setA = tran.StringSetAsync(a, "1");
        Task<long> incrB = tran.StringIncrementAsync(b, 5);
        Assert.True(await tran.ExecuteAsync());
        Assert.True(await setA);
        Assert.Equal(5, await incrB);

        // The condition on the other shard's key now fails: nothing runs.
        ITransaction again = db.CreateTransaction();
        again.AddCondition(Condition.KeyNotExists(b));
        _ = again.StringSetAsync(a, "2");
        Assert.False(await again.ExecuteAsync());
        Assert.Equal("1", (string?)await db.StringGetAsync(a));

        ITransaction equal = db.CreateTransaction();
        equal.AddCondition(Condition.StringEqual(a, "1"));
        equal.AddCondition(Condition.StringEqual(b, "5"));
        _ = equal.KeyDeleteAsync(a);
        _ = equal.StringSetAsync(b, "done");
        Assert.True(await equal.ExecuteAsync());
        Assert.False(await db.KeyExistsAsync(a));
        Assert.Equal("done", (string?)await db.StringGetAsync(b));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task ClientsKilledMidTransaction_LeaveNoShardHeld(int cores)
    {
        using var host = Start(cores);
        string[] keys = [.. Enumerable.Range(0, cores).Select(s => KeyOn(cores, s, "kill"))];
        var frames = new List<byte>();
        for (int round = 0; round < 20; round++)
        {
            frames.AddRange(RawClient.Frame("MULTI"));
            foreach (string k in keys) frames.AddRange(RawClient.Frame("INCR", k));
            frames.AddRange(RawClient.Frame("EXEC"));
        }
        byte[] burst = [.. frames];
        using var killer = new RawClient(host.Port);
        var killed = new List<Task>();
        for (int i = 0; i < 40; i++)
        {
            killed.Add(Task.Run(() =>
            {
                using var victim = new RawClient(host.Port);
                long id = long.Parse(victim.Call("CLIENT", "ID")[1..]);
                victim.Send(burst);
                if (id % 2 == 0)
                {
                    // Reset: the server sees the connection go at once, whatever it was doing.
                    victim.Socket.LingerState = new LingerOption(true, 0);
                }
                else
                {
                    lock (killer) killer.Call("CLIENT", "KILL", "ID", id.ToString());
                }
            }));
        }
        await Task.WhenAll(killed);
        // Every shard answers: none was left held by a transaction whose client is gone.
        using var after = new RawClient(host.Port, timeoutMs: 5_000);
        foreach (string k in keys)
        {
            Assert.Equal("+OK", after.Call("SET", k + ":after", "1"));
            Assert.Matches(@"^:\d+$", after.Call("INCR", k));
        }
        Assert.Equal("+OK", after.Call("MULTI"));
        foreach (string k in keys) Assert.Equal("+QUEUED", after.Call("GET", k));
        string values = after.Call("EXEC");
        // Each killed transaction ran whole or not at all: every key was incremented the same number of times.
        string[] parts = values.Trim('[', ']').Split(',');
        Assert.All(parts, p => Assert.Equal(parts[0], p));
    }
}

/// <summary>A shard held by a coordinator on another Core that ends without releasing it (its Ret dropped):
/// both Cores run by hand on the test thread, so every step is deterministic</summary>
public sealed class HoldReleaseTests
{
    sealed class Coordinator : IShardHolder<Coordinator>
    {
        public Ret<bool>? Release;
        public bool? Dirty;

        public void Ask(Cx<Coordinator> cx, CrossCoreActor<Keyspace> shard, long clientId) =>
            shard.Call(static (k, cx, id, me, run) => k.HoldFor(cx, id, me, run), clientId, cx.This.CrossCore(), (object)"transaction");

        public void ShardHeld(Cx<Coordinator> cx, object transaction, bool dirty, Ret<bool> release)
        {
            Assert.Equal("transaction", transaction);
            Dirty = dirty;
            Release = release;
        }
    }

    readonly Core _coordinatorCore = new(Instant.Zero);
    readonly Core _shardCore = new(Instant.Zero);
    readonly List<string> _answers = [];

    void Pump()
    {
        for (int i = 0; i < 8; i++)
        {
            _coordinatorCore.Run(_coordinatorCore.Now, idle: false);
            _shardCore.Run(_shardCore.Now, idle: false);
        }
    }

    ActorOwn<Keyspace> StartShard()
    {
        var info = new Share<ServerInfo>(_shardCore, new ServerInfo(0));
        return _shardCore.Spawn<Keyspace, (Share<ServerInfo>, Settings)>(
            static (cx, p) => new Keyspace(cx, p.Item1, p.Item2), (info, new Settings()), Ret.Shutdown(_shardCore));
    }

    void Send(ActorOwn<Keyspace> keyspace, long clientId, params string[] args)
    {
        CommandInfo cmd = Commands.Find(System.Text.Encoding.ASCII.GetBytes(args[0]))!;
        byte[][] a = [.. args.Select(System.Text.Encoding.UTF8.GetBytes)];
        Ret<Reply> ret = Ret.From<Reply>(_shardCore, r => _answers.Add(r.GetValueOrDefault(Reply.Nil).ToString()!));
        keyspace.Actor.Call(static (k, cx, p) => k.Execute(cx, p.cmd, p.a, p.clientId, 0, p.ret), (cmd, a, clientId, ret));
    }

    void RunStep(ActorOwn<Keyspace> keyspace, long clientId, params string[] args)
    {
        CommandInfo cmd = Commands.Find(System.Text.Encoding.ASCII.GetBytes(args[0]))!;
        byte[][] a = [.. args.Select(System.Text.Encoding.UTF8.GetBytes)];
        var steps = new HeldSteps([cmd], [a], [0]);
        Ret<Reply[]> ret = Ret.From<Reply[]>(_shardCore, r => _answers.AddRange(r.GetValueOrDefault([]).Select(x => x.ToString()!)));
        keyspace.Actor.Call(static (k, cx, p) => k.RunHeld(cx, p.clientId, p.steps, p.ret), (clientId, steps, ret));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ACoordinatorThatEnds_ReleasesItsShard_AndTheParkedCommandsRunInOrder(bool released)
    {
        using ActorOwn<Keyspace> keyspace = StartShard();
        CrossCoreActor<Keyspace> shard = keyspace.Actor.CrossCore();
        var coordinator = _coordinatorCore.Spawn<Coordinator>(static cx => new Coordinator(), Ret.Shutdown(_coordinatorCore));
        coordinator.Actor.Call(static (c, cx, s) => c.Ask(cx, s, 7), shard);
        Pump();
        Assert.False(coordinator.Actor.Query(static (c, cx) => c.Dirty));
        Assert.True(keyspace.Actor.Query(static (k, cx) => k.IsHeld));

        // Another client's commands wait while the shard is held; the holder's own run.
        Send(keyspace, 1, "SET", "k", "other");
        Send(keyspace, 1, "GET", "k");
        Send(keyspace, 7, "GET", "k");   // the holder's id alone does not pass: only its steps do
        RunStep(keyspace, 7, "SET", "k", "holder");
        Pump();
        Assert.Equal(["Simple OK"], _answers);
        Assert.Equal(3, keyspace.Actor.Query(static (k, cx) => k.ParkedCount));

        if (released) coordinator.Actor.Call(static (c, cx) => c.Release!.Value.Answer(true));
        else coordinator.Dispose();   // ends without answering: the runtime answers "no value"
        Pump();
        Assert.False(keyspace.Actor.Query(static (k, cx) => k.IsHeld));
        Assert.Equal(["Simple OK", "Simple OK", "$other", "$other"], _answers);
        Assert.Equal(0, keyspace.Actor.Query(static (k, cx) => k.ParkedCount));
        if (released) coordinator.Dispose();
    }

    [Fact]
    public void AHoldAskedByACoordinatorAlreadyGone_IsReleasedAsSoonAsItIsTaken()
    {
        using ActorOwn<Keyspace> keyspace = StartShard();
        CrossCoreActor<Keyspace> shard = keyspace.Actor.CrossCore();
        var first = _coordinatorCore.Spawn<Coordinator>(static cx => new Coordinator(), Ret.Shutdown(_coordinatorCore));
        var second = _coordinatorCore.Spawn<Coordinator>(static cx => new Coordinator(), Ret.Shutdown(_coordinatorCore));
        first.Actor.Call(static (c, cx, s) => c.Ask(cx, s, 7), shard);
        Pump();
        // The second one's hold waits behind the first; it ends before it gets the shard.
        second.Actor.Call(static (c, cx, s) => c.Ask(cx, s, 8), shard);
        Pump();
        Assert.Equal(1, keyspace.Actor.Query(static (k, cx) => k.ParkedCount));
        second.Dispose();
        Send(keyspace, 1, "SET", "k", "v");
        Pump();
        Assert.Empty(_answers);
        first.Actor.Call(static (c, cx) => c.Release!.Value.Answer(true));
        Pump();
        Assert.False(keyspace.Actor.Query(static (k, cx) => k.IsHeld));
        Assert.Equal(["Simple OK"], _answers);
        first.Dispose();
    }
}
