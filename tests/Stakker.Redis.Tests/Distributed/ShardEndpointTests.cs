using System.Text;

namespace Stakker.Redis.Tests;

/// <summary>What another process sends a shard is checked as a client's command is: whatever a peer (or anything
/// else that can publish on the NATS subject) sends, a bad call is answered with an error and runs nothing</summary>
public sealed class ShardEndpointTests
{
    sealed class Shard : IDisposable
    {
        public readonly Core Core = new(Instant.Zero);
        readonly ActorOwn<Keyspace> _keyspace;
        public readonly ShardEndpoint Endpoint;
        public readonly Shards Shards;

        public Shard()
        {
            var info = new Share<ServerInfo>(Core, new ServerInfo(0));
            _keyspace = Core.Spawn<Keyspace, (Share<ServerInfo>, Settings)>(
                static (cx, p) => new Keyspace(cx, p.Item1, p.Item2), (info, new Settings()), Ret.Shutdown(Core));
            // Shard 0 of 2 held here: keys of shard 1 belong to another process.
            Shards = new Shards(new RedisDistribution { NatsUrl = "nats://127.0.0.1:4222", TotalShards = 2 }).For(0);
            Endpoint = new ShardEndpoint(Core, _keyspace.Actor, Shards);
        }

        public Actor<Keyspace> Keyspace => _keyspace.Actor;

        /// <summary>Sends one call as the dispatcher would, runs the Core, and gives the decoded answer</summary>
        public string Call(Action<ShardEndpoint, Ret<byte[]>> call)
        {
            string? answer = null;
            call(Endpoint, Ret.From<byte[]>(Core, a => answer = a.TryGetValue(out byte[]? b) ? ReplyWire.Decode(b).ToString() : "no value"));
            Core.Run(Core.Now, idle: false);
            return answer ?? "not answered";
        }

        public string Execute(int db, params string?[] args) =>
            Call((e, r) => e.Execute([.. args.Select(a => a is null ? null! : Encoding.UTF8.GetBytes(a))], 7, db, r));

        public string KeyOn(int shard)
        {
            for (int i = 0; ; i++)
                if (Shards.Of(Encoding.ASCII.GetBytes("k" + i)) == shard) return "k" + i;
        }

        public void Dispose() => _keyspace.Dispose();
    }

    [Fact]
    public void AWellFormedCall_RunsOnTheKeyspace()
    {
        using var shard = new Shard();
        string key = shard.KeyOn(0);
        Assert.Equal("Simple OK", shard.Execute(0, "SET", key, "v"));
        Assert.Equal("$v", shard.Execute(0, "get", key));
        Assert.Equal("Simple OK", shard.Execute(3, "SET", key, "in db 3"));
        Assert.Equal("$in db 3", shard.Execute(3, "GET", key));
    }

    [Fact]
    public void BadCalls_AreAnsweredWithAnError_AndRunNothing()
    {
        using var shard = new Shard();
        string mine = shard.KeyOn(0), theirs = shard.KeyOn(1);
        Assert.StartsWith("Error ERR unknown command 'NOSUCH'", shard.Execute(0, "NOSUCH", mine));
        Assert.Equal("Error ERR wrong number of arguments for 'get' command", shard.Execute(0, "GET"));
        Assert.Equal("Error ERR DB index is out of range", shard.Execute(16, "SET", mine, "v"));
        Assert.Equal("Error ERR DB index is out of range", shard.Execute(-1, "SET", mine, "v"));
        Assert.StartsWith("Error ERR empty command", shard.Execute(0));
        Assert.StartsWith("Error ERR empty command", shard.Execute(0, "SET", null, "v"));
        // Commands a connection answers itself are not a shard's to run for another process.
        Assert.StartsWith("Error ERR 'config' is not run on a shard", shard.Execute(0, "CONFIG", "SET", "maxmemory", "1"));
        Assert.StartsWith("Error ERR 'scan' is not run on a shard", shard.Execute(0, "SCAN", "0"));
        // A key this shard does not own: stored here, no process would ever find it.
        Assert.Equal("Error ERR key '" + theirs + "' is not on shard 0 (the processes disagree on the shard count)", shard.Execute(0, "SET", theirs, "v"));
        Assert.StartsWith("Error ERR key '" + theirs + "'", shard.Execute(0, "MSET", mine, "1", theirs, "2"));
        // None of it ran: the keyspace is empty and counted no fault.
        Assert.Equal(":0", shard.Execute(0, "DBSIZE"));
        Assert.Equal(0, shard.Keyspace.Query(static (k, cx) => k.Faults));
    }

    [Fact]
    public void AReplyTooLargeToCross_IsAnErrorSayingSo_NotASilenceTakenForALostProcess()
    {
        using var shard = new Shard();
        shard.Shards.MaxFrameBytes = 4096;   // 1 KiB crosses
        string key = shard.KeyOn(0);
        Assert.Equal("Simple OK", shard.Execute(0, "SET", key, new string('x', 2000)));
        string got = shard.Execute(0, "GET", key);
        Assert.StartsWith("Error ERR the reply of 2005 bytes is larger than can cross between processes (1024 bytes", got);
        Assert.Equal(":2000", shard.Execute(0, "STRLEN", key));
    }

    [Fact]
    public void MalformedUnblockAnswer_IsAnError_AndScanChecksItsCommand()
    {
        using var shard = new Shard();
        Assert.StartsWith("Error ERR malformed CLIENT UNBLOCK answer", shard.Call((e, r) => e.UnblockWith(7, [250], r)));
        Assert.Equal(":0", shard.Call((e, r) => e.UnblockWith(7, ReplyWire.Encode(Reply.Nil), r)));
        Assert.StartsWith("Error ERR 'get' is not run on a shard", shard.Call((e, r) => e.Scan([.. new[] { "GET", "k" }.Select(Encoding.UTF8.GetBytes)], 7, 0, r)));
        string key = shard.KeyOn(0);
        shard.Execute(0, "SET", key, "v");
        Reply? page = null;
        shard.Endpoint.Scan([.. new[] { "SCAN", "0" }.Select(Encoding.UTF8.GetBytes)], 7, 0,
            Ret.From<byte[]>(shard.Core, a => page = ReplyWire.Decode(a.GetValueOrDefault([])!)));
        shard.Core.Run(shard.Core.Now, idle: false);
        Assert.True(ShardCursor.TryRead(page!.Value, out ulong next, out int count, out _));
        Assert.Equal((0ul, 1), (next, count));
    }
}
