using static Stakker.Redis.Tests.ShardedServer;

namespace Stakker.Redis.Tests;

/// <summary>SORT and SORT_RO with BY and GET patterns on a server of several Cores (decision 106): the keys the
/// patterns name are on every shard, and the replies are those of the single-Core server</summary>
public sealed class ShardedSortTests
{
    /// <summary>Runs the script on a fresh server and returns each reply</summary>
    static List<string> Transcript(int cores, IEnumerable<string[]> script)
    {
        using var host = Start(cores);
        using var c = new RawClient(host.Port);
        return [.. script.Select(cmd => string.Join(" ", cmd) + " -> " + c.Call(cmd))];
    }

    static IEnumerable<string[]> Script()
    {
        string[] ids = ["3", "1", "10", "7", "5", "2", "8"];
        foreach (string id in ids)
        {
            yield return ["RPUSH", "ids", id];
            yield return ["SADD", "idset", id];
            yield return ["ZADD", "idz", id, id];
            yield return ["SET", "weight_" + id, (100 - (int.Parse(id) * 7 % 11)).ToString()];
            yield return ["HSET", "user:" + id, "name", "n" + (char)('a' + (int.Parse(id) * 5 % 7)), "age", (20 + int.Parse(id)).ToString()];
            yield return ["SET", "label_" + id, "L" + id];
        }
        yield return ["DEL", "weight_8", "label_5"];   // some elements name no key
        yield return ["SORT", "ids", "BY", "weight_*"];
        yield return ["SORT", "ids", "BY", "weight_*", "DESC", "GET", "#", "GET", "label_*"];
        yield return ["SORT", "ids", "BY", "user:*->age", "GET", "user:*->name", "LIMIT", "1", "3"];
        yield return ["SORT", "ids", "BY", "user:*->name", "ALPHA", "GET", "#", "GET", "user:*->age"];
        yield return ["SORT", "ids", "BY", "nosort", "GET", "label_*"];
        yield return ["SORT", "ids", "GET", "label_*", "GET", "user:*->missing", "GET", "nokey_*"];
        yield return ["SORT_RO", "idset", "BY", "weight_*", "GET", "#"];
        yield return ["SORT", "idz", "BY", "weight_*", "DESC", "LIMIT", "0", "4", "GET", "label_*"];
        yield return ["SORT", "ids", "BY", "weight_*", "GET", "label_*", "STORE", "sorted"];
        yield return ["LRANGE", "sorted", "0", "-1"];
        yield return ["SORT", "idset", "BY", "nosort", "GET", "label_*", "STORE", "sorted2"];
        yield return ["LRANGE", "sorted2", "0", "-1"];
        yield return ["SORT", "ids", "BY", "label_*"];   // not numbers
        yield return ["SORT", "ids", "BY", "label_*", "ALPHA", "DESC"];
        yield return ["SORT", "missing", "BY", "weight_*", "GET", "label_*"];
        yield return ["SORT", "missing", "BY", "weight_*", "STORE", "sorted"];
        yield return ["EXISTS", "sorted"];
        yield return ["SORT", "label_1", "BY", "weight_*"];   // WRONGTYPE
        yield return ["SORT", "ids", "BY", "weight_*", "LIMIT", "x", "1"];
        yield return ["SORT", "ids", "BY", "weight_*", "BOGUS"];
        yield return ["SORT_RO", "ids", "BY", "weight_*", "STORE", "x"];
        yield return ["SET", "weight_3", "not a number"];
        yield return ["SORT", "ids", "BY", "weight_*", "GET", "#"];
        yield return ["DBSIZE"];
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void SortWithPatterns_AnswersAsTheSingleCoreServer(int cores)
    {
        // The keys of the script are spread over the shards (the premise of the test).
        string[] named = ["ids", "weight_1", "weight_2", "weight_3", "user:1", "user:7", "label_1", "label_10", "sorted"];
        Assert.True(named.Select(k => ShardOf(cores, k)).Distinct().Count() > 1);
        List<string> one = Transcript(1, Script()), several = Transcript(cores, Script());
        Assert.Equal(one, several);
        Assert.DoesNotContain(several, line => line.Contains("not supported across Cores", StringComparison.Ordinal));
    }

    [Fact]
    public void SortByWeightsOnOtherShards_OrdersByThem_FromAClientOnAnotherCore()
    {
        using var host = Start(2);
        var (first, second, all) = OnTwoCores(host);
        try
        {
            string w0 = KeyOn(2, 0, "w"), w1 = KeyOn(2, 1, "w");
            // Elements that make weight keys on both shards: the pattern "*" names the element itself.
            first.Call("RPUSH", "items", w0, w1);
            second.Call("SET", w0, "9");
            second.Call("SET", w1, "1");
            Assert.Equal($"[{w1},{w0}]", second.Call("SORT", "items", "BY", "*"));
            Assert.Equal("[9,1]", first.Call("SORT", "items", "BY", "*", "DESC", "GET", "*"));
            Assert.Equal(":2", second.Call("SORT", "items", "BY", "*", "GET", "*", "STORE", KeyOn(2, 1, "dst")));
            Assert.Equal("[1,9]", first.Call("LRANGE", KeyOn(2, 1, "dst"), "0", "-1"));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }
}
