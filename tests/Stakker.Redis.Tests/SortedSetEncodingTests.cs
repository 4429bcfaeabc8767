namespace Stakker.Redis.Tests;

// OBJECT ENCODING of sorted sets and lists by Redis 7.0's rules, the multi-key sorted-set commands,
// and the bounds on counts a client may send.
public sealed class SortedSetEncodingTests() : SortedSetEncodingCases(1);

public sealed class SortedSetEncodingOn2CoresTests() : SortedSetEncodingCases(2);

public sealed class SortedSetEncodingOn4CoresTests() : SortedSetEncodingCases(4);

public abstract class SortedSetEncodingCases : IDisposable
{
    readonly RedisHost _host;
    readonly RawClient _c;

    protected SortedSetEncodingCases(int cores)
    {
        _host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores });
        _c = new RawClient(_host.Port);
    }

    public void Dispose()
    {
        _c.Dispose();
        _host.Dispose();
    }

    string Encoding(string key) => _c.Call("OBJECT", "ENCODING", key);

    [Fact]
    public void SmallSet_IsListpack_GrowsToSkiplist_AndStaysOne()
    {
        for (int i = 0; i < 128; i++) _c.Call("ZADD", "z", i.ToString(), "m" + i);
        Assert.Equal("listpack", Encoding("z"));
        _c.Call("ZADD", "z", "200", "one-more");
        Assert.Equal("skiplist", Encoding("z"));
        // Redis does not convert back when the set shrinks.
        Assert.Equal(":128", _c.Call("ZREMRANGEBYRANK", "z", "0", "127"));
        Assert.Equal("skiplist", Encoding("z"));
        // Deleted and made again, it starts small.
        _c.Call("DEL", "z");
        _c.Call("ZADD", "z", "1", "a");
        Assert.Equal("listpack", Encoding("z"));
        _c.Call("ZADD", "z", "2", new string('x', 65));
        Assert.Equal("skiplist", Encoding("z"));
    }

    [Fact]
    public void Thresholds_FollowConfigSet_UnderBothNames()
    {
        Assert.Equal("+OK", _c.Call("CONFIG", "SET", "zset-max-ziplist-entries", "2"));
        Assert.Equal("[zset-max-listpack-entries,2]", _c.Call("CONFIG", "GET", "zset-max-listpack-entries"));
        _c.Call("ZADD", "z", "1", "a", "2", "b");
        Assert.Equal("listpack", Encoding("z"));
        _c.Call("ZADD", "z", "3", "c");
        Assert.Equal("skiplist", Encoding("z"));
        Assert.Equal("+OK", _c.Call("CONFIG", "SET", "zset-max-listpack-value", "3"));
        _c.Call("ZADD", "short", "1", "abcd");
        Assert.Equal("skiplist", Encoding("short"));
        _c.Call("CONFIG", "SET", "zset-max-listpack-entries", "0");
        _c.Call("ZADD", "none", "1", "a");
        Assert.Equal("skiplist", Encoding("none"));
    }

    [Fact]
    public void StoredResults_AreListpackWhenSmall()
    {
        for (int i = 0; i < 200; i++) _c.Call("ZADD", "big", i.ToString(), "m" + i);
        Assert.Equal("skiplist", Encoding("big"));
        Assert.Equal(":3", _c.Call("ZRANGESTORE", "dst", "big", "0", "2"));
        Assert.Equal("listpack", Encoding("dst"));
        Assert.Equal(":200", _c.Call("ZUNIONSTORE", "u", "2", "big", "dst"));
        Assert.Equal("skiplist", Encoding("u"));
        Assert.Equal(":3", _c.Call("ZINTERSTORE", "i", "2", "big", "dst"));
        Assert.Equal("listpack", Encoding("i"));
        _c.Call("RPUSH", "l", "a");
        Assert.Equal("quicklist", Encoding("l"));
    }

    [Fact]
    public void SetOperations_WeightsAggregateAndPlainSets()
    {
        _c.Call("ZADD", "a", "1", "x", "2", "y");
        _c.Call("ZADD", "b", "10", "y", "20", "z");
        _c.Call("SADD", "s", "y", "z");
        Assert.Equal("[x,1,y,22,z,40]", _c.Call("ZUNION", "2", "a", "b", "WEIGHTS", "1", "2", "AGGREGATE", "SUM", "WITHSCORES"));
        Assert.Equal("[y,1]", _c.Call("ZINTER", "3", "a", "b", "s", "AGGREGATE", "MIN", "WITHSCORES"));
        Assert.Equal("[x]", _c.Call("ZDIFF", "2", "a", "b"));
        Assert.Equal(":1", _c.Call("ZINTERCARD", "2", "a", "b"));
        Assert.Equal("-ERR at least 1 input key is needed for 'zunionstore' command", _c.Call("ZUNIONSTORE", "d", "0", "a"));
        Assert.Equal("-ERR syntax error", _c.Call("ZDIFF", "1", "a", "WEIGHTS", "2"));
        // inf + -inf sums to 0 rather than NaN.
        _c.Call("ZADD", "p", "inf", "m");
        _c.Call("ZADD", "n", "-inf", "m");
        Assert.Equal("[m,0]", _c.Call("ZUNION", "2", "p", "n", "WITHSCORES"));
        // An empty result deletes the destination.
        _c.Call("SET", "d", "old");
        Assert.Equal(":0", _c.Call("ZINTERSTORE", "d", "2", "a", "nothing"));
        Assert.Equal(":0", _c.Call("EXISTS", "d"));
    }

    [Fact]
    public void LargestDouble_WrittenInFull_IsAScore()
    {
        string dblMax = System.Numerics.BigInteger.Parse("17976931348623157" + new string('0', 292)).ToString() + ".00000000000000000";
        Assert.Equal(":1", _c.Call("ZADD", "z", dblMax, "m"));
        Assert.Equal("1.7976931348623157e+308", _c.Call("ZSCORE", "z", "m"));
        Assert.Equal("-ERR value is not a valid float", _c.Call("ZADD", "z", "1e400", "m"));
        // Too small to be anything but 0 is refused too, as strtod's range error is in Redis.
        Assert.Equal("-ERR value is not a valid float", _c.Call("ZADD", "z", "1e-400", "m"));
        Assert.Equal(":0", _c.Call("ZADD", "z", "0e-400", "m"));
    }

    [Fact]
    public void Counts_AreBounded()
    {
        _c.Call("RPUSH", "l", "a", "b");
        // COUNT 2^62 takes what there is, allocating for what there is.
        Assert.Equal("[l,[a,b]]", _c.Call("LMPOP", "1", "l", "LEFT", "COUNT", "4611686018427387904"));
        _c.Call("ZADD", "z", "1", "a");
        Assert.Equal("[z,[[a,1]]]", _c.Call("ZMPOP", "1", "z", "MIN", "COUNT", "4611686018427387904"));
        // numkeys past the arguments is a syntax error, not an index past the end.
        Assert.Equal("-ERR syntax error", _c.Call("LMPOP", "9223372036854775807", "l", "LEFT"));
        _c.Call("ZADD", "z", "1", "a", "2", "b");
        Assert.Equal("[b,a]", _c.Call("ZRANDMEMBER", "z", "4611686018427387904"));
        // Draws with repetition are built in memory: past the bound they are refused.
        Assert.Equal("-ERR value is out of range", _c.Call("ZRANDMEMBER", "z", "-1099511627776"));
        Assert.Equal(5, _c.Call("ZRANDMEMBER", "z", "-5").Split(',').Length);
    }
}
