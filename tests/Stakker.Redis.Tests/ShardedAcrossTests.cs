using System.Text;
using Stakker.Redis;

using static Stakker.Redis.Tests.ShardedServer;

namespace Stakker.Redis.Tests;

/// <summary>Commands on keys of several shards (decision 102): the same replies, errors and effects as on one
/// Core, with the keys on different shards and the clients on different Cores</summary>
public sealed class ShardedAcrossTests
{
    /// <summary>One key per prefix, the i-th on shard i modulo <paramref name="cores"/> (so neighbours are on different shards)</summary>
    static string[] Spread(int cores, params string[] prefixes) =>
        [.. prefixes.Select((p, i) => KeyOn(cores, i % cores, p))];

    /// <summary>Runs a script of commands on a fresh server and returns each reply</summary>
    static List<string> Transcript(int cores, IEnumerable<string[]> script)
    {
        using var host = Start(cores);
        using var c = new RawClient(host.Port);
        return [.. script.Select(cmd => string.Join(" ", cmd) + " -> " + c.Call(cmd))];
    }

    /// <summary>Every command of this piece, with its errors, on keys that are on different shards: the replies
    /// are those of the single-Core server, line by line</summary>
    static IEnumerable<string[]> Script(string[] k)
    {
        // k[0..5] alternate over the shards; the same names are used for --cores 1.
        var (a, b, c, d, e, f) = (k[0], k[1], k[2], k[3], k[4], k[5]);
        string[][] script =
        [
            ["SADD", a, "1", "2", "3", "4"], ["SADD", b, "3", "4", "5"], ["SADD", c, "4", "9"],
            ["SINTER", a, b], ["SINTER", a, b, c], ["SUNION", a, b, c], ["SDIFF", a, b], ["SDIFF", a, b, c],
            ["SINTERSTORE", d, a, b], ["SMEMBERS", d], ["SUNIONSTORE", d, a, c], ["SMEMBERS", d],
            ["SDIFFSTORE", d, c, a, b], ["SMEMBERS", d], ["SDIFFSTORE", d, a, a], ["EXISTS", d],
            ["SINTER", a, "missing"], ["SINTERSTORE", e, a, "missing"], ["EXISTS", e],
            ["SINTERCARD", "2", a, b], ["SINTERCARD", "3", a, b, c, "LIMIT", "1"], ["SINTERCARD", "0", a], ["SINTERCARD", "5", a, b],
            ["SET", f, "text"], ["SINTER", a, f], ["SUNIONSTORE", d, a, f], ["SMEMBERS", d],
            ["SMOVE", a, b, "1"], ["SMEMBERS", a], ["SMEMBERS", b], ["SMOVE", a, b, "nope"], ["SMOVE", "missing", b, "1"],
            ["SMOVE", a, f, "2"], ["SMOVE", f, a, "2"], ["SMEMBERS", a],
            ["ZADD", a + "z", "1", "x", "2", "y"], ["DEL", a], ["ZADD", a, "1", "x", "2", "y", "3", "z"], ["ZADD", b + "z", "5", "y"],
            ["DEL", b], ["ZADD", b, "10", "y", "20", "w"], ["DEL", c], ["SADD", c, "y", "z"],
            ["ZUNIONSTORE", d, "2", a, b], ["ZRANGE", d, "0", "-1", "WITHSCORES"],
            ["ZUNIONSTORE", d, "3", a, b, c, "WEIGHTS", "1", "2", "3", "AGGREGATE", "MAX"], ["ZRANGE", d, "0", "-1", "WITHSCORES"],
            ["ZINTERSTORE", d, "2", a, b], ["ZRANGE", d, "0", "-1", "WITHSCORES"], ["ZDIFFSTORE", d, "2", a, b], ["ZRANGE", d, "0", "-1"],
            ["ZUNION", "2", a, b, "WITHSCORES"], ["ZINTER", "3", a, b, c, "AGGREGATE", "MIN", "WITHSCORES"], ["ZDIFF", "2", a, c],
            ["ZINTERCARD", "2", a, b], ["ZINTERCARD", "2", a, b, "LIMIT", "0"], ["ZUNION", "2", a, f], ["ZUNIONSTORE", d, "2", a, f],
            ["ZUNION", "x", a, b], ["ZUNION", "3", a, b], ["ZINTERSTORE", e, "2", a, "missing"], ["EXISTS", e],
            ["ZRANGESTORE", d, a, "1", "-1"], ["ZRANGE", d, "0", "-1", "WITHSCORES"], ["ZRANGESTORE", d, a, "(1", "+inf", "BYSCORE", "LIMIT", "0", "1"],
            ["ZRANGE", d, "0", "-1"], ["ZRANGESTORE", d, f, "0", "-1"], ["ZRANGESTORE", d, "missing", "0", "-1"], ["EXISTS", d],
            ["RPUSH", a + "l", "1"], ["DEL", a, b, c, d, e], ["RPUSH", a, "1", "2", "3"], ["RPUSH", b, "x"],
            ["LMOVE", a, b, "LEFT", "RIGHT"], ["LRANGE", a, "0", "-1"], ["LRANGE", b, "0", "-1"], ["RPOPLPUSH", a, b], ["LRANGE", b, "0", "-1"],
            ["LMOVE", a, b, "UP", "LEFT"], ["LMOVE", "missing", b, "LEFT", "LEFT"], ["LMOVE", a, f, "LEFT", "LEFT"], ["LRANGE", a, "0", "-1"],
            ["LMOVE", f, b, "LEFT", "LEFT"], ["LMOVE", "missing", f, "LEFT", "LEFT"], ["LMOVE", a, b, "RIGHT", "LEFT"], ["EXISTS", a],
            ["LMPOP", "2", a, b, "LEFT"], ["LMPOP", "2", a, b, "RIGHT", "COUNT", "5"], ["LMPOP", "2", a, b, "LEFT"],
            ["LMPOP", "2", a, f, "LEFT"], ["LMPOP", "2", a, b, "MIDDLE"], ["LMPOP", "0", a, "LEFT"], ["LMPOP", "2", a, b, "LEFT", "COUNT", "0"],
            ["ZADD", c, "1", "m", "2", "n"], ["ZMPOP", "2", a, c, "MAX"], ["ZMPOP", "2", a, c, "MIN", "COUNT", "9"], ["ZMPOP", "2", a, c, "MIN"],
            ["SET", a, "va"], ["PEXPIRE", a, "500000"], ["RENAME", a, b], ["GET", b], ["EXISTS", a], ["TTL", b],
            ["RENAME", a, b], ["RENAMENX", a, b], ["SET", a, "again"], ["RENAMENX", a, b], ["GET", a], ["GET", b],
            ["RENAMENX", a, c], ["GET", c], ["EXISTS", a], ["RPUSH", d, "p", "q"], ["RENAME", d, e], ["LRANGE", e, "0", "-1"], ["TYPE", d],
            ["COPY", b, c], ["COPY", b, c, "REPLACE"], ["GET", c], ["TTL", c], ["COPY", e, d], ["LRANGE", d, "0", "-1"],
            ["COPY", "missing", d], ["COPY", e, f, "DB", "3"], ["SELECT", "3"], ["LRANGE", f, "0", "-1"], ["SELECT", "0"], ["COPY", e, f, "BOGUS"],
            ["DEL", a, b, c, d], ["MSETNX", a, "1", b, "2", c, "3"], ["MGET", a, b, c], ["MSETNX", d, "4", a, "x"], ["MGET", d, a],
            ["MSETNX", d, "4", e], ["EXISTS", d],
            ["DEL", a, b, c, d, e], ["SET", a, "ohmytext"], ["SET", b, "mynewtext"], ["LCS", a, b], ["LCS", a, b, "LEN"],
            ["LCS", a, b, "IDX", "MINMATCHLEN", "2", "WITHMATCHLEN"], ["LCS", a, "missing"], ["RPUSH", c, "3", "1", "2"], ["LCS", a, c],
            ["SORT", c], ["SORT", c, "DESC", "LIMIT", "0", "2", "STORE", d], ["LRANGE", d, "0", "-1"], ["SORT", c, "BY", "nosort", "STORE", e],
            ["LRANGE", e, "0", "-1"], ["SORT", a, "STORE", d], ["SORT", "missing", "STORE", d], ["EXISTS", d], ["SORT_RO", c, "ALPHA"],
            ["OBJECT", "ENCODING", c], ["OBJECT", "ENCODING", b], ["OBJECT", "FREQ", "missing"],
            ["DBSIZE"],
        ];
        return script;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void EveryCommandAcrossShards_AnswersAsTheSingleCoreServer(int cores)
    {
        string[] keys = Spread(cores, "a", "b", "c", "d", "e", "f");
        var shards = new Shards(cores);
        Assert.NotEqual(shards.Of(Encoding.ASCII.GetBytes(keys[0])), shards.Of(Encoding.ASCII.GetBytes(keys[1])));

        List<string> one = Transcript(1, Script(keys));
        List<string> several = Transcript(cores, Script(keys));
        Assert.DoesNotContain(several, line => line.Contains("CROSSSLOT", StringComparison.Ordinal) || line.Contains("not supported", StringComparison.Ordinal));
        for (int i = 0; i < one.Count; i++) Assert.Equal(one[i], several[i]);
    }

    [Fact]
    public void CountedKeyCommands_OnOneShard_RunThere_AlsoInATransaction()
    {
        using var host = Start(2);
        var (first, second, all) = OnTwoCores(host);
        try
        {
            string a = KeyOn(2, 1, "za"), b = KeyOn(2, 1, "zb"), dst = KeyOn(2, 1, "zd");
            Assert.Equal(":2", first.Call("ZADD", a, "1", "x", "2", "y"));
            Assert.Equal(":1", first.Call("ZADD", b, "5", "y"));
            foreach (RawClient c in new[] { first, second })
            {
                Assert.Equal(":2", c.Call("ZUNIONSTORE", dst, "2", a, b));
                Assert.Equal("[x,1,y,7]", c.Call("ZRANGE", dst, "0", "-1", "WITHSCORES"));
                Assert.Equal(":1", c.Call("ZINTERCARD", "2", a, b));
                Assert.Equal("-ERR numkeys should be greater than 0", c.Call("SINTERCARD", "0", a));
                Assert.Equal("[x,y]", c.Call("SORT", a, "BY", "nosort", "ALPHA"));
                // A pattern names keys that may be on any shard (none here: every weight is 0, ties by the member).
                Assert.Equal("[x,y]", c.Call("SORT", a, "BY", "w_*"));
            }
            Assert.Equal("+OK", second.Call("MULTI"));
            Assert.Equal("+QUEUED", second.Call("ZINTERSTORE", dst, "2", a, b));
            Assert.Equal("+QUEUED", second.Call("LMPOP", "2", KeyOn(2, 1, "nol"), KeyOn(2, 1, "nol2"), "LEFT"));
            Assert.Equal("[:1,(nil)]", second.Call("EXEC"));
            Assert.Equal("[y,7]", first.Call("ZRANGE", dst, "0", "-1", "WITHSCORES"));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void SetAndSortedSetOperations_GatherFromEveryShard_AndStoreOnTheDestinationsShard(int cores)
    {
        using var host = Start(cores);
        var (writer, reader, all) = OnTwoCores(host);
        try
        {
            string[] k = Spread(cores, "s", "t", "u", "dst");
            for (int i = 0; i < 300; i++) writer.Call("SADD", k[i % 3], "m" + i, "shared");
            Assert.Equal("[shared]", reader.Call("SINTER", k[0], k[1], k[2]));
            Assert.Equal(":301", reader.Call("SUNIONSTORE", k[3], k[0], k[1], k[2]));
            Assert.Equal(":301", writer.Call("SCARD", k[3]));
            Assert.Equal(":100", reader.Call("SDIFFSTORE", k[3], k[0], k[1]));
            Assert.Equal(":0", writer.Call("SISMEMBER", k[3], "shared"));
            Assert.Equal(":1", reader.Call("SISMEMBER", k[3], "m3"));

            // The sources are read, never changed, and a wrong type anywhere leaves the destination alone.
            Assert.Equal(":101", writer.Call("SCARD", k[0]));
            Assert.Equal("+OK", writer.Call("SET", k[2], "text"));
            Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value", reader.Call("SINTERSTORE", k[3], k[0], k[2]));
            Assert.Equal(":100", writer.Call("SCARD", k[3]));

            Assert.Equal("+OK", writer.Call("FLUSHALL"));
            writer.Call("ZADD", k[0], "1", "a", "2", "b");
            writer.Call("ZADD", k[1], "10", "b", "20", "c");
            Assert.Equal(":3", reader.Call("ZUNIONSTORE", k[3], "2", k[0], k[1], "WEIGHTS", "2", "1"));
            Assert.Equal("[a,2,b,14,c,20]", writer.Call("ZRANGE", k[3], "0", "-1", "WITHSCORES"));
            Assert.Equal("[b,12]", reader.Call("ZINTER", "2", k[0], k[1], "WITHSCORES"));
            Assert.Equal(":2", reader.Call("ZRANGESTORE", k[2], k[3], "1", "-1"));
            Assert.Equal("[b,14,c,20]", writer.Call("ZRANGE", k[2], "0", "-1", "WITHSCORES"));
            Assert.Equal(":1", reader.Call("ZINTERCARD", "3", k[0], k[1], k[3]));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    [Fact]
    public void RenameAndCopy_MoveTheValueWithItsTimeToLive_AndKeepTheSourceWhenTheyRefuse()
    {
        using var host = Start(2);
        var (writer, reader, all) = OnTwoCores(host);
        try
        {
            string[] k = Spread(2, "from", "to");
            Assert.Equal(":3", writer.Call("RPUSH", k[0], "1", "2", "3"));
            Assert.Equal(":1", writer.Call("EXPIRE", k[0], "1000"));
            Assert.Equal("+OK", reader.Call("RENAME", k[0], k[1]));
            Assert.Equal(":0", writer.Call("EXISTS", k[0]));
            Assert.Equal("[1,2,3]", writer.Call("LRANGE", k[1], "0", "-1"));
            Assert.InRange(int.Parse(writer.Call("TTL", k[1])[1..]), 990, 1000);
            Assert.Equal("-ERR no such key", reader.Call("RENAME", k[0], k[1]));

            Assert.Equal("+OK", writer.Call("SET", k[0], "x"));
            Assert.Equal(":0", reader.Call("RENAMENX", k[0], k[1]));
            Assert.Equal("x", writer.Call("GET", k[0]));
            Assert.Equal("[1,2,3]", writer.Call("LRANGE", k[1], "0", "-1"));

            // COPY leaves the source as it was; the copy is a value of its own.
            Assert.Equal(":1", reader.Call("COPY", k[1], k[0], "REPLACE"));
            Assert.Equal(":4", writer.Call("RPUSH", k[0], "4"));
            Assert.Equal("[1,2,3]", reader.Call("LRANGE", k[1], "0", "-1"));
            Assert.InRange(int.Parse(writer.Call("TTL", k[0])[1..]), 990, 1000);

            // A client blocked on the destination is served by the value that arrives there.
            Assert.Equal(":1", writer.Call("DEL", k[0]));
            // (Whether the BLPOP or the RENAME reaches the shard first, the BLPOP gets the first element.)
            reader.Send(RawClient.Frame("BLPOP", k[0], "5"));
            Assert.Equal("+OK", writer.Call("RENAME", k[1], k[0]));
            Assert.Equal($"[{k[0]},1]", reader.ReadReply());
            Assert.Equal("[2,3]", writer.Call("LRANGE", k[0], "0", "-1"));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    [Fact]
    public void SMoveAndLMove_MoveOneElement_WithTheEventsOfEachShard()
    {
        using var host = Start(2);
        var (writer, reader, all) = OnTwoCores(host);
        using var subscriber = new RawClient(host.Port);
        try
        {
            string[] k = Spread(2, "src", "dst");
            Assert.Equal("+OK", writer.Call("CONFIG", "SET", "notify-keyspace-events", "Eslg"));
            Assert.Equal("[psubscribe,__keyevent@0__:*,:1]", subscriber.Call("PSUBSCRIBE", "__keyevent@0__:*"));
            // PSUBSCRIBE answers before the pub/sub actor (on the first Core) has the pattern: publish until it is heard.
            while (writer.Call("PUBLISH", "__keyevent@0__:probe", "x") != ":1") { }
            Assert.Equal("[pmessage,__keyevent@0__:*,__keyevent@0__:probe,x]", subscriber.ReadReply());

            Assert.Equal(":1", writer.Call("SADD", k[0], "m"));
            Assert.Equal(":1", reader.Call("SMOVE", k[0], k[1], "m"));
            Assert.Equal(":0", writer.Call("EXISTS", k[0]));
            Assert.Equal("[m]", writer.Call("SMEMBERS", k[1]));

            Assert.Equal(":1", writer.Call("RPUSH", k[0], "e"));
            Assert.Equal(":1", writer.Call("DEL", k[1]));
            Assert.Equal("e", reader.Call("LMOVE", k[0], k[1], "RIGHT", "LEFT"));
            Assert.Equal("[e]", writer.Call("LRANGE", k[1], "0", "-1"));

            // Each shard's events in its order; the two shards' may interleave (decision 099), so compared as a whole.
            var events = new List<string>();
            for (int i = 0; i < 9; i++) events.Add(subscriber.ReadReply());
            string Ev(string name, string key) => $"[pmessage,__keyevent@0__:*,__keyevent@0__:{name},{key}]";
            string[] expected =
            [
                Ev("sadd", k[0]), Ev("srem", k[0]), Ev("del", k[0]), Ev("sadd", k[1]),
                Ev("rpush", k[0]), Ev("del", k[1]), Ev("rpop", k[0]), Ev("del", k[0]), Ev("lpush", k[1]),
            ];
            Assert.Equal(expected.Order(StringComparer.Ordinal), events.Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }

    /// <summary>Two clients on different Cores race MSETNX on the same keys of two shards, many times: what holds
    /// is all or nothing (every key holds one winner's values, or none exists), and at most one of them wins</summary>
    [Fact]
    public void MSetNx_RacedFromTwoCores_IsAllOrNothing()
    {
        using var host = Start(2);
        var (first, second, all) = OnTwoCores(host);
        try
        {
            string[] k = Spread(2, "x", "y");
            int wins = 0;
            for (int round = 0; round < 300; round++)
            {
                first.Send(RawClient.Frame("MSETNX", k[0], "first", k[1], "first"));
                second.Send(RawClient.Frame("MSETNX", k[1], "second", k[0], "second"));
                string r1 = first.ReadReply(), r2 = second.ReadReply();
                Assert.False(r1 == ":1" && r2 == ":1", "both won");
                string values = first.Call("MGET", k[0], k[1]);
                if (r1 == ":1") Assert.Equal("[first,first]", values);
                else if (r2 == ":1") Assert.Equal("[second,second]", values);
                else Assert.Equal("[(nil),(nil)]", values);
                if (r1 == ":1" || r2 == ":1") wins++;
                first.Call("DEL", k[0], k[1]);
            }
            Assert.True(wins > 0);
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }
}
