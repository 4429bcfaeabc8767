using System.Text;

namespace Stakker.Redis.Tests;

// Whole-keyspace work (KEYS, pattern subscriptions, FLUSHALL) must not freeze the server's one
// thread: a real server on its own thread, real sockets, bounded waits.
public sealed class KeyspaceScanTests() : KeyspaceScanCases(1);

public sealed class KeyspaceScanOn2CoresTests() : KeyspaceScanCases(2);

public sealed class KeyspaceScanOn4CoresTests() : KeyspaceScanCases(4);

public abstract class KeyspaceScanCases(int cores) : IDisposable
{
    readonly RedisHost _host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores });

    public void Dispose() => _host.Dispose();

    static byte[] Bytes(string s) => Encoding.ASCII.GetBytes(s);

    const string Planted = "*a*a*a*a*a*a*a*ab";

    [Fact]
    public void Keys_WithAPlantedPattern_AnswersPromptly()
    {
        using var c = new RawClient(_host.Port, timeoutMs: 5000);
        Assert.Equal("+OK", c.Call("SET", new string('a', 60), "v"));
        // The socket's 5 s timeout is the bound (redis-server: 12 ms; a backtracking matcher: minutes).
        Assert.Equal("[]", c.Call("KEYS", Planted));
        Assert.Equal("[" + new string('a', 60) + "]", c.Call("KEYS", "*a"));
    }

    [Fact]
    public void Publish_WithAPlantedPatternSubscription_AnswersPromptly()
    {
        using var sub = new RawClient(_host.Port, timeoutMs: 5000);
        Assert.Equal("[psubscribe," + Planted + ",:1]", sub.Call("PSUBSCRIBE", Planted));
        using var pub = new RawClient(_host.Port, timeoutMs: 5000);
        Assert.Equal(":0", pub.Call("PUBLISH", new string('a', 60), "m"));
        Assert.Equal(":1", pub.Call("PUBLISH", new string('a', 60) + "b", "m"));
    }

    [Fact]
    public void LongKeysScan_OtherClientsAreServedMeanwhile()
    {
        // 100,000 keys of 300 bytes against a pattern that costs a few thousand steps per key: a scan
        // of a second or more, in slices.
        using var a = new RawClient(_host.Port, timeoutMs: 60_000);
        var mset = new List<byte[]> { Bytes("MSET") };
        string prefix = new('a', 300);
        for (int i = 0; i < 100_000; i++)
        {
            mset.Add(Bytes(prefix + i));
            mset.Add(Bytes("v"));
        }
        a.Send(RawClient.Frame(mset));
        Assert.Equal("+OK", a.ReadReply());
        a.Send(RawClient.Frame("KEYS", "*" + new string('a', 40) + "b"));
        using var b = new RawClient(_host.Port, timeoutMs: 60_000);
        // Wait for the server's word that the scan has begun: a's entry in CLIENT LIST names KEYS as
        // its command. Each CLIENT LIST is itself served between two slices of the scan.
        for (int i = 0; !b.Call("CLIENT", "LIST").Split('\n').Any(l => l.Contains("cmd=keys")); i++)
            Assert.True(i < 10_000, "the KEYS scan never showed in CLIENT LIST");
        Assert.Equal("+PONG", b.Call("PING"));
        Assert.Equal("+OK", b.Call("SET", "x", "1"));
        // Both were answered while the scan was still going: its reply has not started.
        Assert.Equal(0, a.Socket.Available);
        Assert.Equal("[]", a.ReadReply());
        Assert.Equal(":100001", a.Call("DBSIZE"));
    }

    [Fact]
    public void FlushAll_OfKeysWithExpiries_LeavesNothingBehind()
    {
        using var c = new RawClient(_host.Port, timeoutMs: 30_000);
        var mset = new List<byte[]> { Bytes("MSET") };
        for (int i = 0; i < 50_000; i++)
        {
            mset.Add(Bytes("k" + i));
            mset.Add(Bytes("v"));
        }
        c.Send(RawClient.Frame(mset));
        Assert.Equal("+OK", c.ReadReply());
        for (int i = 0; i < 1000; i++) c.Send(RawClient.Frame("EXPIRE", "k" + i, "1000"));
        for (int i = 0; i < 1000; i++) Assert.Equal(":1", c.ReadReply());
        Assert.Contains("db0:keys=50000,expires=1000,", c.Call("INFO", "keyspace"));
        Assert.Equal("+OK", c.Call("FLUSHALL"));
        Assert.Equal(":0", c.Call("DBSIZE"));
        Assert.Equal("# Keyspace", c.Call("INFO", "keyspace").Trim());
        // A key made again after the flush is not touched by the old key's timer.
        Assert.Equal("+OK", c.Call("SET", "k1", "again"));
        Assert.Equal(":-1", c.Call("TTL", "k1"));
    }
}
