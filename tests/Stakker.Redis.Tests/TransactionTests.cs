using StackExchange.Redis;
using Stakker.Redis;

namespace Stakker.Redis.Tests;

// Databases, transactions, AUTH and RESP3 through StackExchange.Redis and through plain sockets
// (for what the library hides: a second client's write between WATCH and EXEC, RESP3 frames).
public sealed class TransactionTests() : TransactionCases(1);

public sealed class TransactionOn2CoresTests() : TransactionCases(2);

public sealed class TransactionOn4CoresTests() : TransactionCases(4);

public abstract class TransactionCases : IDisposable
{
    readonly RedisHost _host;
    readonly ConnectionMultiplexer _mux;

    protected TransactionCases(int cores)
    {
        _host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores });
        var options = ConfigurationOptions.Parse($"127.0.0.1:{_host.Port}");
        options.ConnectTimeout = 5000;
        options.SyncTimeout = 5000;
        options.AbortOnConnectFail = true;
        _mux = ConnectionMultiplexer.Connect(options);
    }

    public void Dispose()
    {
        _mux.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task Transaction_RunsQueuedCommandsTogether()
    {
        IDatabase db = _mux.GetDatabase();
        ITransaction tran = db.CreateTransaction();
        Task<bool> set = tran.StringSetAsync("t:a", "1");
        Task<long> incr = tran.StringIncrementAsync("t:a", 5);
        Task<long> push = tran.ListRightPushAsync("t:l", ["x", "y"]);
        Assert.True(await tran.ExecuteAsync());
        Assert.True(await set);
        Assert.Equal(6, await incr);
        Assert.Equal(2, await push);
        Assert.Equal("6", (string?)await db.StringGetAsync("t:a"));
    }

    [Fact]
    public async Task Transaction_ConditionFailsWhenTheValueDiffers()
    {
        IDatabase db = _mux.GetDatabase();
        await db.StringSetAsync("t:c", "old");
        ITransaction tran = db.CreateTransaction();
        tran.AddCondition(Condition.StringEqual("t:c", "expected"));
        _ = tran.StringSetAsync("t:c", "new");
        Assert.False(await tran.ExecuteAsync());
        Assert.Equal("old", (string?)await db.StringGetAsync("t:c"));

        ITransaction ok = db.CreateTransaction();
        ok.AddCondition(Condition.StringEqual("t:c", "old"));
        _ = ok.StringSetAsync("t:c", "new");
        Assert.True(await ok.ExecuteAsync());
        Assert.Equal("new", (string?)await db.StringGetAsync("t:c"));
    }

    [Fact]
    public async Task Databases_KeepTheirKeysApart()
    {
        IDatabase db0 = _mux.GetDatabase(0), db3 = _mux.GetDatabase(3);
        await db0.StringSetAsync("same", "zero");
        await db3.StringSetAsync("same", "three");
        Assert.Equal("zero", (string?)await db0.StringGetAsync("same"));
        Assert.Equal("three", (string?)await db3.StringGetAsync("same"));
        Assert.True(await db3.KeyMoveAsync("only3", 5) == false);
        await db3.StringSetAsync("only3", "v");
        Assert.True(await db3.KeyMoveAsync("only3", 5));
        Assert.Equal("v", (string?)await _mux.GetDatabase(5).StringGetAsync("only3"));
        Assert.False(await db3.KeyExistsAsync("only3"));
    }

    [Fact]
    public void Watch_FailsExecWhenAnotherClientWrites()
    {
        using var a = new RawClient(_host.Port);
        using var b = new RawClient(_host.Port);
        Assert.Equal("+OK", a.Call("SET", "w", "1"));
        Assert.Equal("+OK", a.Call("WATCH", "w"));
        Assert.Equal("+OK", b.Call("SET", "w", "2"));
        Assert.Equal("+OK", a.Call("MULTI"));
        Assert.Equal("+QUEUED", a.Call("SET", "w", "3"));
        Assert.Equal("(nil)", a.Call("EXEC"));
        Assert.Equal("2", a.Call("GET", "w"));

        // After EXEC nothing is watched any more, and a write in another database is another key.
        Assert.Equal("+OK", a.Call("WATCH", "w"));
        Assert.Equal("+OK", b.Call("SELECT", "1"));
        Assert.Equal("+OK", b.Call("SET", "w", "elsewhere"));
        Assert.Equal("+OK", a.Call("MULTI"));
        Assert.Equal("+QUEUED", a.Call("INCR", "w"));
        Assert.Equal("[:3]", a.Call("EXEC"));
    }

    [Fact]
    public void Watch_FlushAllTouchesExistingKeys()
    {
        using var a = new RawClient(_host.Port);
        using var b = new RawClient(_host.Port);
        Assert.Equal("+OK", a.Call("SET", "f", "1"));
        Assert.Equal("+OK", a.Call("WATCH", "f", "missing"));
        Assert.Equal("+OK", b.Call("FLUSHALL"));
        Assert.Equal("+OK", a.Call("MULTI"));
        Assert.Equal("+QUEUED", a.Call("PING"));
        Assert.Equal("(nil)", a.Call("EXEC"));
    }

    [Fact]
    public void Exec_AbortsAfterAnErrorWhileQueueing()
    {
        using var a = new RawClient(_host.Port);
        Assert.Equal("+OK", a.Call("MULTI"));
        Assert.Equal("+QUEUED", a.Call("SET", "e", "1"));
        Assert.StartsWith("-ERR wrong number of arguments for 'get'", a.Call("GET"));
        Assert.Equal("-EXECABORT Transaction discarded because of previous errors.", a.Call("EXEC"));
        Assert.Equal("(nil)", a.Call("GET", "e"));
        Assert.Equal("+OK", a.Call("MULTI"));
        Assert.Equal("+QUEUED", a.Call("SET", "e", "x"));
        Assert.Equal("+QUEUED", a.Call("INCR", "e"));
        Assert.Equal("[+OK,-ERR value is not an integer or out of range]", a.Call("EXEC"));
    }

    [Fact]
    public void Resp3_NullsAndPubSubPushes()
    {
        using var sub = new RawClient(_host.Port);
        using var pub = new RawClient(_host.Port);
        string hello = sub.Call("HELLO", "3");
        Assert.StartsWith("%[server,redis,version,7.0.15,proto,:3,", hello);
        Assert.Equal("(nil)", sub.Call("GET", "nothing"));
        Assert.Equal(">[subscribe,ch,:1]", sub.Call("SUBSCRIBE", "ch"));
        // In RESP3 a subscribed connection may still run ordinary commands.
        Assert.Equal("+OK", sub.Call("SET", "k", "v"));
        Assert.Equal(":1", pub.Call("PUBLISH", "ch", "hi"));
        Assert.Equal(">[message,ch,hi]", sub.ReadReply());
        Assert.Equal("[ch,:1]", pub.Call("PUBSUB", "NUMSUB", "ch"));
    }
}

public sealed class AuthTests() : AuthCases(1);

public sealed class AuthOn2CoresTests() : AuthCases(2);

public sealed class AuthOn4CoresTests() : AuthCases(4);

public abstract class AuthCases(int cores) : IDisposable
{
    readonly RedisHost _host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores, RequirePass = "s3cret" });

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Commands_NeedAuthFirst()
    {
        using var c = new RawClient(_host.Port);
        Assert.Equal("-NOAUTH Authentication required.", c.Call("GET", "k"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.", c.Call("AUTH", "nope"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.", c.Call("AUTH", "bob", "s3cret"));
        Assert.Equal("+OK", c.Call("AUTH", "s3cret"));
        Assert.Equal("(nil)", c.Call("GET", "k"));
        Assert.Equal("+RESET", c.Call("RESET"));
        Assert.Equal("-NOAUTH Authentication required.", c.Call("PING"));
        Assert.StartsWith("[server,redis,", c.Call("HELLO", "2", "AUTH", "default", "s3cret"));
        Assert.Equal("+PONG", c.Call("PING"));
    }

    [Fact]
    public async Task StackExchangeRedis_ConnectsWithPassword()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{_host.Port},password=s3cret");
        options.AbortOnConnectFail = true;
        using var mux = await ConnectionMultiplexer.ConnectAsync(options);
        IDatabase db = mux.GetDatabase();
        Assert.True(await db.StringSetAsync("k", "v"));
        Assert.Equal("v", (string?)await db.StringGetAsync("k"));
    }
}
