using Stakker.IO;
using StackExchange.Redis;
using Stakker.Redis;

namespace Stakker.Redis.Tests;

// A real, demanding client none of us wrote (StackExchange.Redis) against the sample server,
// started in-process on an ephemeral 127.0.0.1 port. Time-dependent tests run the server's Core on
// a manual clock, so expiry and BLPOP timeouts are checked without waiting.
// Every case runs in each I/O mode of the server: the epoll reactor, io_uring, and the
// SocketAsyncEventArgs path.
public sealed class RedisTests() : RedisCases(TcpIoMode.Epoll);

public sealed class RedisUringTests() : RedisCases(TcpIoMode.IoUring);

public sealed class RedisSocketAsyncTests() : RedisCases(TcpIoMode.SocketAsyncEventArgs);

// The same cases on a server of several Cores (more Cores than this machine's processors is meant), on the
// epoll path only: the I/O modes do not differ by Core count.
public sealed class RedisOn2CoresTests() : RedisCases(TcpIoMode.Epoll, 2);

public sealed class RedisOn4CoresTests() : RedisCases(TcpIoMode.Epoll, 4);

public abstract class RedisCases : IDisposable
{
    readonly ManualTime _time = new();
    readonly RedisHost _host;
    readonly ConnectionMultiplexer _mux;
    readonly IDatabase _db;

    protected RedisCases(TcpIoMode io, int cores = 1)
    {
        _host = RedisHost.Start(new RedisServerOptions { Port = 0, Io = io, Cores = cores }, _time);
        var options = ConfigurationOptions.Parse($"127.0.0.1:{_host.Port}");
        options.ConnectTimeout = 5000;
        options.SyncTimeout = 5000;
        options.AsyncTimeout = 5000;
        options.AbortOnConnectFail = true;
        _mux = ConnectionMultiplexer.Connect(options);
        _db = _mux.GetDatabase();
    }

    public void Dispose()
    {
        _mux.Dispose();
        _host.Dispose();
    }

    /// <summary>Moves the server's clock and makes its Core look at it</summary>
    void Advance(TimeSpan by)
    {
        _time.Advance(by);
        _host.Nudge();
    }

    [Fact]
    public void Strings_SetGetIncrAppend()
    {
        Assert.True(_db.StringSet("s", "hello"));
        Assert.Equal("hello", (string?)_db.StringGet("s"));
        Assert.Equal(10, _db.StringAppend("s", "world"));
        Assert.Equal(10, _db.StringLength("s"));
        Assert.Equal("helloworld", (string?)_db.StringGetSet("s", "x"));
        Assert.Equal(1, _db.StringIncrement("n"));
        Assert.Equal(11, _db.StringIncrement("n", 10));
        Assert.Equal(8, _db.StringDecrement("n", 3));
        Assert.Equal(7, _db.StringDecrement("n"));
        Assert.True(_db.Execute("SET", "s", "y", "NX").IsNull);
        Assert.Equal("OK", (string?)_db.Execute("SET", "t", "y", "NX"));
        Assert.False(_db.StringSet("missing", "z", TimeSpan.FromMinutes(1), when: When.Exists));
        _db.StringSet([new("a", "1"), new("b", "2")]);
        var values = _db.StringGet(["a", "b", "nothere"]);
        Assert.Equal(["1", "2", null], values.Select(v => (string?)v));
        Assert.Equal(2, _db.KeyDelete(["a", "b", "zz"]));
        Assert.True(_db.KeyExists("s"));
        Assert.False(_db.KeyExists("a"));
    }

    [Fact]
    public void StringSet_WithExpiry_AndTheLegacyForms()
    {
        // StringSet with a TimeSpan sends SETEX (PSETEX below a second); When.NotExists alone sends SETNX.
        Assert.True(_db.StringSet("ex", "v", TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromSeconds(10), _db.KeyTimeToLive("ex"));
        Assert.True(_db.StringSet("px", "v", TimeSpan.FromMilliseconds(250)));
        Assert.Equal(TimeSpan.FromMilliseconds(250), _db.KeyTimeToLive("px"));
        Assert.True(_db.StringSet("nx", "first", when: When.NotExists));
        Assert.False(_db.StringSet("nx", "second", when: When.NotExists));
        Assert.Equal("first", (string?)_db.StringGet("nx"));
        // GETEX and GETDEL.
        Assert.Equal("v", (string?)_db.StringGetSetExpiry("ex", TimeSpan.FromSeconds(100)));
        Assert.Equal(TimeSpan.FromSeconds(100), _db.KeyTimeToLive("ex"));
        Assert.Equal("v", (string?)_db.StringGetSetExpiry("ex", null));
        Assert.Null(_db.KeyTimeToLive("ex"));
        Assert.Equal("first", (string?)_db.StringGetDelete("nx"));
        Assert.False(_db.KeyExists("nx"));
        Advance(TimeSpan.FromSeconds(1));
        Assert.False(_db.KeyExists("px"));
    }

    [Fact]
    public void Errors_AreRedisErrors()
    {
        _db.ListLeftPush("list", "x");
        var wrongType = Assert.Throws<RedisServerException>(() => _db.StringGet("list"));
        Assert.StartsWith("WRONGTYPE", wrongType.Message);
        _db.StringSet("text", "abc");
        var notInt = Assert.Throws<RedisServerException>(() => _db.StringIncrement("text"));
        Assert.Equal("ERR value is not an integer or out of range", notInt.Message);
        var unknown = Assert.Throws<RedisServerException>(() => _db.Execute("NOSUCH", "a"));
        Assert.StartsWith("ERR unknown command 'NOSUCH'", unknown.Message);
    }

    [Fact]
    public void Expiry_OnVirtualTime()
    {
        _db.Execute("SET", "e", "v", "EX", "10");
        Assert.Equal(TimeSpan.FromSeconds(10), _db.KeyTimeToLive("e"));
        Advance(TimeSpan.FromSeconds(9));
        Assert.Equal("v", (string?)_db.StringGet("e"));
        Advance(TimeSpan.FromSeconds(2));
        Assert.Null((string?)_db.StringGet("e"));
        _db.StringSet("p", "v");
        Assert.True(_db.KeyExpire("p", TimeSpan.FromMilliseconds(1500)));
        Assert.Equal(1500, _db.Execute("PTTL", "p").ToString() is { } s ? long.Parse(s) : -99);
        Assert.True(_db.KeyPersist("p"));
        Assert.Null(_db.KeyTimeToLive("p"));
        Advance(TimeSpan.FromHours(1));
        Assert.Equal("v", (string?)_db.StringGet("p"));
    }

    [Fact]
    public void Lists_PushPopRange()
    {
        Assert.Equal(3, _db.ListRightPush("l", ["a", "b", "c"]));
        Assert.Equal(4, _db.ListLeftPush("l", "z"));
        Assert.Equal(["z", "a", "b", "c"], _db.ListRange("l").Select(v => (string?)v));
        Assert.Equal(["a", "b"], _db.ListRange("l", 1, 2).Select(v => (string?)v));
        Assert.Equal("z", (string?)_db.ListLeftPop("l"));
        Assert.Equal("c", (string?)_db.ListRightPop("l"));
        Assert.Equal(2, _db.ListLength("l"));
        Assert.Equal(["a", "b"], _db.ListLeftPop("l", 5).Select(v => (string?)v));
        Assert.False(_db.KeyExists("l"));
    }

    [Fact]
    public async Task Blpop_ServedByPush()
    {
        Task<RedisResult> pop = _db.ExecuteAsync("BLPOP", "q", "0");
        // Wait until the server has the client parked (not a fixed sleep: the server says so).
        using var other = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_host.Port},allowAdmin=true");
        IServer server = other.GetServer($"127.0.0.1:{_host.Port}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!((await server.InfoRawAsync("clients")) ?? "").Contains("blocked_clients:1"))
            Assert.True(DateTime.UtcNow < deadline, "BLPOP never blocked on the server");
        Assert.False(pop.IsCompleted);
        // Another connection pushes; the blocked client gets the element.
        Assert.Equal(1, await other.GetDatabase().ListRightPushAsync("q", "job"));
        var result = (RedisResult[])(await pop.WaitAsync(TimeSpan.FromSeconds(5)))!;
        Assert.Equal(["q", "job"], result.Select(r => (string?)r));
        Assert.Equal(0, await _db.ListLengthAsync("q"));
    }

    [Fact]
    public async Task Blpop_TimesOutOnVirtualTime()
    {
        Task<RedisResult> pop = _db.ExecuteAsync("BRPOP", "empty", "30");
        // Nothing happens while the clock stands still: the server holds the client blocked...
        using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_host.Port},allowAdmin=true");
        IServer server = admin.GetServer($"127.0.0.1:{_host.Port}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!((await server.InfoRawAsync("clients")) ?? "").Contains("blocked_clients:1"))
            Assert.True(DateTime.UtcNow < deadline, "BRPOP never blocked on the server");
        Assert.False(pop.IsCompleted);
        // ...and thirty virtual seconds later the wait ends with a null reply.
        Advance(TimeSpan.FromSeconds(31));
        RedisResult r = await pop.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(r.IsNull);
    }

    [Fact]
    public async Task PubSub_ChannelAndPattern()
    {
        var sub = _mux.GetSubscriber();
        var got = new System.Collections.Concurrent.BlockingCollection<string>();
        await sub.SubscribeAsync(RedisChannel.Literal("news"), (ch, msg) => got.Add(ch + ":" + msg));
        await sub.SubscribeAsync(RedisChannel.Pattern("n*"), (ch, msg) => got.Add("p " + ch + ":" + msg));
        long receivers = await _db.PublishAsync(RedisChannel.Literal("news"), "hi");
        Assert.Equal(2, receivers);
        var seen = new HashSet<string>();
        for (int i = 0; i < 2; i++)
        {
            Assert.True(got.TryTake(out string? m, 5000), "message not delivered within 5 s");
            seen.Add(m!);
        }
        Assert.Equal(["news:hi", "p news:hi"], seen.Order());
        await sub.UnsubscribeAsync(RedisChannel.Literal("news"));
        Assert.Equal(1, await _db.PublishAsync(RedisChannel.Literal("news"), "again"));
    }

    [Fact]
    public async Task Pipelining_ManyCommandsInFlight_AnsweredInOrder()
    {
        var tasks = new List<Task<long>>();
        for (int i = 0; i < 2000; i++) tasks.Add(_db.StringIncrementAsync("counter"));
        long[] results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => (long)i), results);
    }

    [Fact]
    public void ServerCommands_PingEchoDbsizeInfoKeys()
    {
        var server = _mux.GetServer(_mux.GetEndPoints()[0]);
        Assert.True(server.Ping() < TimeSpan.FromSeconds(5));
        Assert.Equal("yo", (string?)_db.Execute("ECHO", "yo"));
        _db.StringSet("k1", "1");
        _db.StringSet("k2", "2");
        Assert.Equal(2, server.DatabaseSize());
        // The client would use SCAN for server.Keys; KEYS is the command in our list.
        Assert.Equal(["k1", "k2"], ((RedisResult[])_db.Execute("KEYS", "k*")!).Select(k => (string?)k).Order());
        Assert.Contains("redis_version", (string?)_db.Execute("INFO", "server"));
        _db.Execute("FLUSHDB");
        Assert.Equal(0, server.DatabaseSize());
    }

    [Fact]
    public void MalformedFrame_ClosesOnlyThatConnection()
    {
        using var bad = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        bad.Connect(System.Net.IPAddress.Loopback, _host.Port);
        bad.Send("*1\r\nxyz\r\n"u8.ToArray());
        var reply = System.Text.Encoding.ASCII.GetString(bad.ReadToEnd());
        Assert.Equal("-ERR Protocol error: expected '$', got 'x'\r\n", reply);
        // The client library's connection is unaffected.
        Assert.True(_db.StringSet("still", "fine"));
        Assert.Equal("fine", (string?)_db.StringGet("still"));
    }

    [Fact]
    public void InlineCommand_AsTypedInTelnet()
    {
        using var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        s.Connect(System.Net.IPAddress.Loopback, _host.Port);
        s.Send("set greeting \"hello world\"\r\nget greeting\r\nquit\r\n"u8.ToArray());
        Assert.Equal("+OK\r\n$11\r\nhello world\r\n+OK\r\n", System.Text.Encoding.ASCII.GetString(s.ReadToEnd()));
    }
}
