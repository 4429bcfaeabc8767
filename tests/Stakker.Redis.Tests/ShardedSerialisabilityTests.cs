using Stakker.Redis;
using Xunit.Abstractions;

using static Stakker.Redis.Tests.ShardedServer;

namespace Stakker.Redis.Tests;

/// <summary>Random transactions from many clients on a server of several Cores are serialisable: replayed one
/// after another on one Core in the order they committed (each increments a clock key), every EXEC's reply and
/// the final value of every key are the same</summary>
public sealed class ShardedSerialisabilityTests(ITestOutputHelper output)
{
    const int Clients = 8;
    const int TransactionsPerClient = 40;
    static readonly string[] Counters = ["c0", "c1", "c2", "c3", "c4"];
    static readonly string[] Strings = ["s0", "s1", "s2", "s3"];
    static readonly string[] Lists = ["l0", "l1", "l2", "l3"];

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task RandomTransactionsOfManyClients_AreSerialisable_InTheirCommitOrder(int cores)
    {
        int seed = Environment.TickCount;
        output.WriteLine("seed " + seed + ", " + cores + " Cores");
        using var host = Start(cores);
        var committed = new List<(long Clock, string[][] Steps, string Reply)>();
        var coresSeen = new HashSet<int>();
        var clients = new Task[Clients];
        for (int c = 0; c < Clients; c++)
        {
            var random = new Random(seed + c);
            clients[c] = Task.Run(() =>
            {
                using var client = new RawClient(host.Port);
                lock (coresSeen) coresSeen.Add(CoreOf(client));
                for (int t = 0; t < TransactionsPerClient; t++)
                {
                    string[][] steps = RandomTransaction(random);
                    string reply = Run(client, steps);
                    long clock = long.Parse(reply[2..reply.IndexOf(',')]);
                    lock (committed) committed.Add((clock, steps, reply));
                }
            });
        }
        await Task.WhenAll(clients);
        Assert.True(coresSeen.Count > 1, "the clients were all served by one Core");
        // The clock is the first step of every transaction: its values are 1..n, once each.
        committed.Sort((x, y) => x.Clock.CompareTo(y.Clock));
        Assert.Equal(Enumerable.Range(1, committed.Count).Select(i => (long)i), committed.Select(x => x.Clock));

        using var single = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = 1 });
        using var replay = new RawClient(single.Port);
        foreach (var (clock, steps, reply) in committed)
            Assert.True(Run(replay, steps) == reply, "transaction " + clock + " replied differently on one Core (seed " + seed + ")");

        using var sharded = new RawClient(host.Port);
        foreach (string key in Counters.Concat(Strings).Append("clock"))
            Assert.Equal(replay.Call("GET", key), sharded.Call("GET", key));
        foreach (string key in Lists)
            Assert.Equal(replay.Call("LRANGE", key, "0", "-1"), sharded.Call("LRANGE", key, "0", "-1"));
    }

    static string Run(RawClient client, string[][] steps)
    {
        Assert.Equal("+OK", client.Call("MULTI"));
        foreach (string[] step in steps) Assert.Equal("+QUEUED", client.Call(step));
        return client.Call("EXEC");
    }

    /// <summary>INCR clock, then two to six commands on keys spread over the shards</summary>
    static string[][] RandomTransaction(Random random)
    {
        var steps = new List<string[]> { new[] { "INCR", "clock" } };
        int n = random.Next(2, 7);
        for (int i = 0; i < n; i++)
        {
            string counter = Counters[random.Next(Counters.Length)];
            string text = Strings[random.Next(Strings.Length)];
            string list = Lists[random.Next(Lists.Length)];
            steps.Add(random.Next(9) switch
            {
                0 => ["INCRBY", counter, random.Next(-5, 10).ToString()],
                1 => ["GET", counter],
                2 => ["SET", text, "v" + random.Next(100)],
                3 => ["APPEND", text, "+" + random.Next(10)],
                4 => ["GET", text],
                5 => ["LPUSH", list, "e" + random.Next(100)],
                6 => ["RPOP", list],
                7 => ["LRANGE", list, "0", "-1"],
                _ => ["MGET", counter, text, Counters[random.Next(Counters.Length)]],
            });
        }
        return [.. steps];
    }
}
