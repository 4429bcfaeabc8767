namespace Stakker.Redis.Tests;

// OBJECT ENCODING of hashes and sets at Redis 7.0.15's thresholds (and CONFIG SET of them), COPY, SORT,
// MEMORY USAGE, and the bounds on counts and offsets. Real socket, server on its own thread.
public sealed class EncodingAndKeyCommandTests() : EncodingAndKeyCommandCases(1);

public sealed class EncodingAndKeyCommandOn2CoresTests() : EncodingAndKeyCommandCases(2);

public sealed class EncodingAndKeyCommandOn4CoresTests() : EncodingAndKeyCommandCases(4);

public abstract class EncodingAndKeyCommandCases(int cores) : IDisposable
{
    readonly RedisHost _host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores });

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Hash_IsListpackUntilAThresholdPasses_ThenHashtableForGood()
    {
        using var c = new RawClient(_host.Port);
        Assert.Equal("+OK", c.Call("CONFIG", "SET", "hash-max-ziplist-entries", "4"));
        Assert.Equal("[hash-max-listpack-entries,4]", c.Call("CONFIG", "GET", "hash-max-listpack-entries"));
        Assert.Equal(":4", c.Call("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4"));
        Assert.Equal("listpack", c.Call("OBJECT", "ENCODING", "h"));
        Assert.Equal(":1", c.Call("HSET", "h", "e", "5"));
        Assert.Equal("hashtable", c.Call("OBJECT", "ENCODING", "h"));
        Assert.Equal(":1", c.Call("HDEL", "h", "e"));
        Assert.Equal("hashtable", c.Call("OBJECT", "ENCODING", "h"));

        Assert.Equal("+OK", c.Call("CONFIG", "SET", "hash-max-listpack-value", "8"));
        Assert.Equal(":1", c.Call("HSET", "long", "f", "12345678"));
        Assert.Equal("listpack", c.Call("OBJECT", "ENCODING", "long"));
        // HSETNX looks at the value only when it writes it.
        Assert.Equal(":0", c.Call("HSETNX", "long", "f", "123456789"));
        Assert.Equal("listpack", c.Call("OBJECT", "ENCODING", "long"));
        Assert.Equal(":1", c.Call("HSETNX", "long", "g", "123456789"));
        Assert.Equal("hashtable", c.Call("OBJECT", "ENCODING", "long"));
        Assert.Equal("12345678", c.Call("HGET", "long", "f"));
        Assert.StartsWith("-ERR CONFIG SET failed (possibly related to argument 'hash-max-ziplist-entries') - argument couldn't be parsed",
            c.Call("CONFIG", "SET", "hash-max-ziplist-entries", "many"));
    }

    [Fact]
    public void CompactForms_AreScannedWholeInOneCall()
    {
        using var c = new RawClient(_host.Port);
        var args = new List<string> { "HSET", "h" };
        for (int i = 0; i < 300; i++) args.AddRange(["f" + i, "v"]);
        c.Call([.. args]);
        Assert.Equal("listpack", c.Call("OBJECT", "ENCODING", "h"));
        string page = c.Call("HSCAN", "h", "0", "COUNT", "1");
        Assert.StartsWith("[0,[f0,v,f1,v,", page);
        Assert.Equal(600, page.Split(',').Length - 1);
        args = ["SADD", "s"];
        for (int i = 0; i < 300; i++) args.Add(i.ToString());
        c.Call([.. args]);
        Assert.Equal("intset", c.Call("OBJECT", "ENCODING", "s"));
        Assert.Equal(301, c.Call("SSCAN", "s", "0", "COUNT", "1").Split(',').Length);
    }

    [Fact]
    public void Set_IsIntsetWhileSmallAndAllIntegers()
    {
        using var c = new RawClient(_host.Port);
        Assert.Equal(":3", c.Call("SADD", "s", "3", "-1", "2"));
        Assert.Equal("intset", c.Call("OBJECT", "ENCODING", "s"));
        Assert.Equal("[-1,2,3]", c.Call("SMEMBERS", "s"));
        Assert.Equal(":1", c.Call("SADD", "s", "007"));
        Assert.Equal("hashtable", c.Call("OBJECT", "ENCODING", "s"));

        Assert.Equal("+OK", c.Call("CONFIG", "SET", "set-max-intset-entries", "3"));
        Assert.Equal(":4", c.Call("SADD", "n", "1", "2", "3", "4"));
        Assert.Equal("hashtable", c.Call("OBJECT", "ENCODING", "n"));
        // A store builds its result afresh: small and all integers, it is an intset again.
        c.Call("SADD", "small", "1", "2");
        Assert.Equal(":2", c.Call("SINTERSTORE", "i", "n", "small"));
        Assert.Equal("intset", c.Call("OBJECT", "ENCODING", "i"));
        Assert.Equal(":4", c.Call("SUNIONSTORE", "u", "n"));
        Assert.Equal("hashtable", c.Call("OBJECT", "ENCODING", "u"));
        Assert.Equal(":2", c.Call("SDIFFSTORE", "d", "n", "small"));
        Assert.Equal("intset", c.Call("OBJECT", "ENCODING", "d"));
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'set-max-intset-entries') - argument must be between 0 and 9223372036854775807 inclusive",
            c.Call("CONFIG", "SET", "set-max-intset-entries", "-1"));
    }

    [Fact]
    public void Copy_IsDeep_KeepsTheExpiry_AndHonoursReplaceAndDb()
    {
        using var c = new RawClient(_host.Port);
        c.Call("HSET", "h", "a", "1");
        c.Call("PEXPIRE", "h", "100000");
        Assert.Equal(":1", c.Call("COPY", "h", "h2"));
        Assert.Equal(":1", c.Call("HSET", "h2", "b", "2"));
        Assert.Equal(":1", c.Call("HLEN", "h"));
        Assert.NotEqual(":-1", c.Call("PTTL", "h2"));
        Assert.Equal(":0", c.Call("COPY", "h", "h2"));
        Assert.Equal(":1", c.Call("COPY", "h", "h2", "REPLACE"));
        Assert.Equal(":1", c.Call("HLEN", "h2"));
        Assert.Equal("-ERR source and destination objects are the same", c.Call("COPY", "h", "h"));
        Assert.Equal(":1", c.Call("COPY", "h", "h", "DB", "3"));
        Assert.Equal("-ERR DB index is out of range", c.Call("COPY", "h", "x", "DB", "16"));
        Assert.Equal("-ERR value is not an integer or out of range", c.Call("COPY", "h", "x", "DB", "x"));
        Assert.Equal(":0", c.Call("COPY", "missing", "x"));
        c.Call("SADD", "s", "1", "2");
        Assert.Equal(":1", c.Call("COPY", "s", "s2"));
        Assert.Equal(":1", c.Call("SADD", "s2", "x"));
        Assert.Equal("intset", c.Call("OBJECT", "ENCODING", "s"));
        Assert.Equal(":2", c.Call("SCARD", "s"));
        Assert.Equal("+OK", c.Call("SELECT", "3"));
        Assert.Equal("1", c.Call("HGET", "h", "a"));
    }

    [Fact]
    public void Sort_ByNumberAlphaPatternsLimitAndStore()
    {
        using var c = new RawClient(_host.Port);
        c.Call("RPUSH", "l", "3", "10", "2", "1");
        Assert.Equal("[1,2,3,10]", c.Call("SORT", "l"));
        Assert.Equal("[10,3,2,1]", c.Call("SORT", "l", "DESC"));
        Assert.Equal("[1,10,2,3]", c.Call("SORT", "l", "ALPHA"));
        Assert.Equal("[2,3]", c.Call("SORT", "l", "LIMIT", "1", "2"));
        Assert.Equal("[3,10,2,1]", c.Call("SORT", "l", "BY", "nosort"));
        foreach (var (k, w) in new[] { ("1", "40"), ("2", "30"), ("3", "20"), ("10", "10") })
        {
            c.Call("SET", "w_" + k, w);
            c.Call("HSET", "o_" + k, "name", "n" + k);
        }
        Assert.Equal("[10,3,2,1]", c.Call("SORT", "l", "BY", "w_*"));
        Assert.Equal("[n10,10,n3,3,n2,2,n1,1]", c.Call("SORT", "l", "BY", "w_*", "GET", "o_*->name", "GET", "#"));
        Assert.Equal("[(nil),(nil),(nil),(nil)]", c.Call("SORT", "l", "GET", "missing_*"));
        Assert.Equal(":4", c.Call("SORT", "l", "STORE", "dst"));
        Assert.Equal("[1,2,3,10]", c.Call("LRANGE", "dst", "0", "-1"));
        Assert.Equal("-ERR syntax error", c.Call("SORT_RO", "l", "STORE", "dst"));
        c.Call("RPUSH", "bad", "1", "x");
        Assert.Equal("-ERR One or more scores can't be converted into double", c.Call("SORT", "bad"));
        c.Call("SET", "str", "x");
        Assert.StartsWith("-WRONGTYPE", c.Call("SORT", "str"));
        // An unsorted set stored is sorted, so the stored list does not depend on the set's layout.
        c.Call("SADD", "set", "c", "a", "b");
        Assert.Equal(":3", c.Call("SORT", "set", "BY", "nosort", "STORE", "sdst"));
        Assert.Equal("[a,b,c]", c.Call("LRANGE", "sdst", "0", "-1"));
        Assert.Equal(":0", c.Call("SORT", "missing", "STORE", "sdst"));
        Assert.Equal(":0", c.Call("EXISTS", "sdst"));
    }

    [Fact]
    public void MemoryUsage_GrowsWithTheValue()
    {
        using var c = new RawClient(_host.Port);
        c.Call("SET", "small", "x");
        c.Call("SET", "big", new string('x', 10_000));
        long small = long.Parse(c.Call("MEMORY", "USAGE", "small")[1..]);
        long big = long.Parse(c.Call("MEMORY", "USAGE", "big", "SAMPLES", "0")[1..]);
        Assert.InRange(small, 1, 1000);
        Assert.InRange(big, 10_000, 11_000);
        Assert.Equal("(nil)", c.Call("MEMORY", "USAGE", "missing"));
        Assert.Equal("-ERR syntax error", c.Call("MEMORY", "USAGE", "big", "SAMPLES", "-1"));
    }

    [Fact]
    public void HRandFieldWithValues_NestsPairsInResp3Only()
    {
        using var c = new RawClient(_host.Port);
        c.Call("HSET", "h", "a", "1");
        Assert.Equal("[a,1]", c.Call("HRANDFIELD", "h", "1", "WITHVALUES"));
        c.Call("HELLO", "3");
        Assert.Equal("[[a,1]]", c.Call("HRANDFIELD", "h", "1", "WITHVALUES"));
        Assert.Equal("[a]", c.Call("HRANDFIELD", "h", "1"));
    }

    [Fact]
    public void HugeCountsAndOffsets_AreRefused_AndTheServerStaysUp()
    {
        using var c = new RawClient(_host.Port);
        c.Call("SADD", "s", "a");
        c.Call("HSET", "h", "a", "1");
        // Repeats are built into one reply before it is sent: held to 2^24 elements.
        Assert.StartsWith("-ERR count is too large", c.Call("SRANDMEMBER", "s", "-100000000000"));
        Assert.StartsWith("-ERR count is too large", c.Call("HRANDFIELD", "h", "-100000000000"));
        Assert.Equal("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807", c.Call("SRANDMEMBER", "s", "-9223372036854775808"));
        Assert.Equal("-ERR value is out of range", c.Call("HRANDFIELD", "h", "-9223372036854770000", "WITHVALUES"));
        Assert.Equal("[a]", c.Call("SRANDMEMBER", "s", "9223372036854775807"));
        Assert.Equal("-ERR string exceeds maximum allowed size (proto-max-bulk-len)", c.Call("SETRANGE", "k", "9223372036854775807", "A"));
        c.Call("SET", "e", "v");
        Assert.Equal(":1", c.Call("PEXPIREAT", "e", "9223372036854770000"));
        Assert.Equal("v", c.Call("GET", "e"));
        Assert.Equal("+PONG", c.Call("PING"));
    }
}
