using Stakker.Redis;

namespace Stakker.Redis.Tests;

// Expiry through one timer per database (the expiry heap), on a manual clock: keys go at their time,
// without a read, and a mass expiry is spread over turns.
public sealed class ExpiryTests() : ExpiryCases(1);

public sealed class ExpiryOn2CoresTests() : ExpiryCases(2);

public sealed class ExpiryOn4CoresTests() : ExpiryCases(4);

public abstract class ExpiryCases : IDisposable
{
    readonly ManualTime _time = new();
    readonly RedisHost _host;
    readonly RawClient _c;
    readonly int _cores;

    protected ExpiryCases(int cores)
    {
        _cores = cores;
        _host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores }, _time);
        _c = new RawClient(_host.Port, timeoutMs: 30_000);
    }

    public void Dispose()
    {
        _c.Dispose();
        _host.Dispose();
    }

    void Advance(int ms)
    {
        _time.Advance(TimeSpan.FromMilliseconds(ms));
        _host.Nudge();
    }

    string ExpiredKeys() => _c.Call("INFO", "stats").Split("\r\n").Single(l => l.StartsWith("expired_keys:", StringComparison.Ordinal));

    /// <summary>DBSIZE until it reads <paramref name="expected"/>: each call is a turn of the Core, in which due timers fire</summary>
    void WaitForDbSize(int expected)
    {
        for (int tries = 0; _c.Call("DBSIZE") != ":" + expected; tries++) Assert.True(tries < 10_000, "DBSIZE never reached " + expected);
    }

    [Fact]
    public void KeysGoAtTheirTimes_InOrder_WithoutAnyRead()
    {
        _c.Call("PSETEX", "late", "300", "v");
        _c.Call("PSETEX", "early", "100", "v");
        _c.Call("SET", "kept", "v");
        Advance(100);
        WaitForDbSize(2);
        Assert.Equal(":1", _c.Call("EXISTS", "late"));
        Advance(199);
        Assert.Equal(":2", _c.Call("DBSIZE"));
        Advance(1);
        WaitForDbSize(1);
        Assert.Equal("expired_keys:2", ExpiredKeys());
    }

    [Fact]
    public void AShorterExpiry_MovesTheTimerEarlier_AndPersistKeepsTheKey()
    {
        _c.Call("SET", "k", "v", "EX", "100");
        _c.Call("SET", "p", "v", "PX", "50");
        Assert.Equal(":1", _c.Call("PEXPIRE", "k", "10"));
        Assert.Equal(":1", _c.Call("PERSIST", "p"));
        Advance(10);
        WaitForDbSize(1);
        Assert.Equal(":-1", _c.Call("PTTL", "p"));
        Advance(1000);
        Assert.Equal(":1", _c.Call("DBSIZE"));
        Assert.Equal("expired_keys:1", ExpiredKeys());
    }

    [Fact]
    public void AMassExpiry_IsSpreadOverTurns_AndTakesEveryKey()
    {
        const int keys = 3500;
        for (int i = 0; i < keys; i++) _c.Send(RawClient.Frame("SET", "k" + i, "v", "PX", "100"));
        for (int i = 0; i < keys; i++) Assert.Equal("+OK", _c.ReadReply());
        Assert.Contains("db0:keys=3500,expires=3500,", _c.Call("INFO", "keyspace"));
        // Each shard's keys, for a server of several Cores: every shard expires its own, a thousand a turn.
        int[] perShard = new int[_cores];
        for (int i = 0; i < keys; i++) perShard[ShardedServer.ShardOf(_cores, "k" + i)]++;
        Advance(100);
        // One turn deletes at most a thousand keys and leaves the rest to a timer for "now", which on a
        // manual clock fires once the clock moves again (one Core: 2500, 1500, 500, 0).
        for (int turn = 1; turn <= 4; turn++)
        {
            int left = perShard.Sum(n => Math.Max(0, n - turn * 1000));
            // On several Cores another shard may take the clock's move only after this DBSIZE has asked it:
            // wait for every shard's turn. The count cannot go below the bound until the clock moves again.
            if (_cores > 1) WaitForDbSize(left);
            Assert.Equal(":" + left, _c.Call("DBSIZE"));
            Advance(1);
        }
        Assert.Equal("expired_keys:3500", ExpiredKeys());
    }

    [Fact]
    public void SwapDb_TakesTheExpiriesAlong()
    {
        _c.Call("SET", "k", "v", "PX", "100");
        Assert.Equal("+OK", _c.Call("SWAPDB", "0", "1"));
        Assert.Equal(":0", _c.Call("DBSIZE"));
        Assert.Equal("+OK", _c.Call("SELECT", "1"));
        Assert.Equal(":1", _c.Call("DBSIZE"));
        Advance(100);
        WaitForDbSize(0);
        Assert.Equal("expired_keys:1", ExpiredKeys());
    }

    [Fact]
    public void AKeyMadeAgainAfterAFlush_KeepsItsOwnExpiry()
    {
        _c.Call("SET", "k", "old", "PX", "100");
        Assert.Equal("+OK", _c.Call("FLUSHALL"));
        _c.Call("SET", "k", "new", "PX", "500");
        Advance(100);
        Assert.Equal("new", _c.Call("GET", "k"));
        Advance(400);
        WaitForDbSize(0);
    }
}
