using static Stakker.Redis.Tests.ShardedServer;

namespace Stakker.Redis.Tests;

/// <summary>What a client sees of the order of things on a server of several Cores, as on one Core: keyspace events
/// of commands on keys of several shards in Redis's order, and a small keyspace scanned in one SCAN call</summary>
public sealed class ShardedOrderTests
{
    /// <summary>Every keyspace event the script causes, in the order a subscriber receives them</summary>
    static List<string> Events(int cores, IEnumerable<string[]> script)
    {
        using var host = Start(cores);
        using var subscriber = new RawClient(host.Port);
        using var c = new RawClient(host.Port);
        Assert.Equal("+OK", c.Call("CONFIG", "SET", "notify-keyspace-events", "KEA"));
        Assert.Equal("[psubscribe,__key*,:1]", subscriber.Call("PSUBSCRIBE", "__key*"));
        foreach (string[] command in script) c.Call(command);
        return ReadEvents(c, subscriber, []);
    }

    /// <summary>Appends to <paramref name="events"/> what <paramref name="subscriber"/> got, up to a marker
    /// published now by <paramref name="c"/> (the subscriber's stream is in order, so nothing is missed)</summary>
    static List<string> ReadEvents(RawClient c, RawClient subscriber, List<string> events)
    {
        c.Call("PUBLISH", "__key_end", "end");
        for (string message = subscriber.ReadReply(); !message.Contains("__key_end", StringComparison.Ordinal); message = subscriber.ReadReply())
            events.Add(message);
        return events;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void EventsOfCommandsAcrossShards_ComeInTheOrderOfOneCore(int cores)
    {
        // a and c on one shard, b on another: the keys' runs interleave.
        string a = KeyOn(cores, 0, "a"), b = KeyOn(cores, 1, "b"), c = KeyOn(cores, 0, "c");
        string[][] script =
        [
            ["MSET", a, "1", b, "2", c, "3"], ["DEL", c, a, "missing", b], ["UNLINK", b],
            ["MSETNX", a, "1", b, "2", c, "3"], ["MSETNX", a, "1", "fresh", "2"], ["DEL", a, b, c],
            ["RPUSH", a, "x", "y"], ["LMOVE", a, b, "LEFT", "RIGHT"], ["RPOPLPUSH", a, b], ["LMOVE", a, b, "LEFT", "LEFT"],
            ["SET", c, "old"], ["RENAME", b, c], ["RENAMENX", c, a], ["RENAME", a, b],
        ];
        List<string> one = Events(1, script), several = Events(cores, script);
        Assert.Contains(one, e => e.Contains("rename_from", StringComparison.Ordinal));
        Assert.Equal(one, several);
    }

    /// <summary>The events of clients blocked on keys of two shards being served: as on one Core</summary>
    static List<string> BlockedEvents(int cores, string a, string b)
    {
        using var host = Start(cores);
        using var subscriber = new RawClient(host.Port);
        using var waiter = new RawClient(host.Port);
        using var c = new RawClient(host.Port);
        Assert.Equal("+OK", c.Call("CONFIG", "SET", "notify-keyspace-events", "KEA"));
        Assert.Equal("[psubscribe,__key*,:1]", subscriber.Call("PSUBSCRIBE", "__key*"));
        var replies = new List<string>();
        foreach (string[] blocking in new[] { new[] { "BLPOP", a, b, "0" }, ["BZPOPMIN", a, b, "0"], ["BLMOVE", b, a, "LEFT", "RIGHT", "0"] })
        {
            waiter.Send(RawClient.Frame(blocking));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!c.Call("INFO", "clients").Contains("blocked_clients:1\r\n", StringComparison.Ordinal))
                Assert.True(DateTime.UtcNow < deadline, "never blocked");
            c.Call(blocking[0] switch { "BLPOP" => ["RPUSH", b, "x"], "BZPOPMIN" => ["ZADD", b, "1", "m"], _ => ["RPUSH", b, "x", "y"] });
            replies.Add(waiter.ReadReply());
        }
        return ReadEvents(c, subscriber, replies);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void EventsOfBlockedClientsServedAcrossShards_ComeInTheOrderOfOneCore(int cores)
    {
        string a = KeyOn(cores, 0, "a"), b = KeyOn(cores, 1, "b");
        List<string> one = BlockedEvents(1, a, b), several = BlockedEvents(cores, a, b);
        Assert.Contains(one, e => e.Contains("lpop", StringComparison.Ordinal));
        Assert.Equal(one, several);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void ScanOfASmallKeyspace_ReturnsEveryKeyInOneCall_WithCursorZero(int cores)
    {
        using var host = Start(cores);
        using var c = new RawClient(host.Port);
        string[] keys = [.. Enumerable.Range(0, cores).Select(s => KeyOn(cores, s, "k"))];
        foreach (string key in keys) c.Call("SET", key, "v");
        foreach (string[] options in new[] { Array.Empty<string>(), ["COUNT", "100"], ["MATCH", "k*"], ["TYPE", "string"] })
        {
            string reply = c.Call(["SCAN", "0", .. options]);
            Assert.StartsWith("[0,[", reply);
            Assert.Equal(keys.Order(), reply["[0,[".Length..^2].Split(',').Order());
        }
        Assert.Equal("[0,[]]", c.Call("SCAN", "0", "TYPE", "list"));
        // Past what a call takes (COUNT), the cursor goes on, and the whole iteration still sees every key once.
        for (int i = 0; i < 300; i++) c.Call("SET", "many" + i, "v");
        var seen = new List<string>();
        string cursor = "0";
        do
        {
            string reply = c.Call("SCAN", cursor, "COUNT", "20");
            cursor = reply[1..reply.IndexOf(',')];
            string items = reply[(reply.IndexOf('[', 1) + 1)..^2];
            if (items.Length > 0) seen.AddRange(items.Split(','));
        }
        while (cursor != "0");
        Assert.Equal(300 + cores, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }
}
