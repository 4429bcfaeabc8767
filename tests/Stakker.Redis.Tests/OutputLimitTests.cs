namespace Stakker.Redis.Tests;

// client-output-buffer-limit: a client that does not read its output is dropped, with its buffers,
// once its pending output passes its class's limit. Real sockets, a server on its own thread.
public sealed class OutputLimitTests() : OutputLimitCases(1);

public sealed class OutputLimitOn2CoresTests() : OutputLimitCases(2);

public sealed class OutputLimitOn4CoresTests() : OutputLimitCases(4);

public abstract class OutputLimitCases : IDisposable
{
    readonly ManualTime _time = new();
    readonly RedisHost _host;
    readonly int _cores;

    protected OutputLimitCases(int cores)
    {
        _cores = cores;
        _host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores }, _time);
    }

    public void Dispose() => _host.Dispose();

    static readonly string Message = new('m', 64 * 1024);

    /// <summary>The omem field of connection <paramref name="id"/> in CLIENT LIST</summary>
    static long OutputMemory(RawClient c, string id)
    {
        string line = c.Call("CLIENT", "LIST").Split('\n').Single(l => l.StartsWith("id=" + id + " ", StringComparison.Ordinal));
        return long.Parse(line.Split(' ').Single(f => f.StartsWith("omem=", StringComparison.Ordinal))["omem=".Length..]);
    }

    /// <summary>Publishes 64 KiB messages until no one receives them (true) or <paramref name="maxBytes"/> went out (false)</summary>
    static bool PublishUntilNobodyListens(RawClient pub, long maxBytes)
    {
        for (long sent = 0; sent < maxBytes; sent += Message.Length)
            if (pub.Call("PUBLISH", "news", Message) == ":0") return true;
        return false;
    }

    [Fact]
    public void SubscriberThatNeverReads_IsDroppedAtThePubSubHardLimit()
    {
        using var sub = new RawClient(_host.Port, timeoutMs: 30_000);
        Assert.Equal("[subscribe,news,:1]", sub.Call("SUBSCRIBE", "news"));
        using var pub = new RawClient(_host.Port, timeoutMs: 30_000);
        // 32 MB pending on the server, plus whatever the kernels' socket buffers took: well under 200 MB.
        Assert.True(PublishUntilNobodyListens(pub, 200L << 20), "the subscriber was never dropped");
        Assert.True(sub.ServerClosed());
        Assert.Contains("connected_clients:1", pub.Call("INFO", "clients"));
    }

    [Fact]
    public void SoftLimit_DropsOnlyAfterItsSeconds_OnVirtualTime()
    {
        using var pub = new RawClient(_host.Port, timeoutMs: 30_000);
        Assert.Equal("+OK", pub.Call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 1mb 60"));
        using var sub = new RawClient(_host.Port, timeoutMs: 30_000);
        string id = sub.Call("CLIENT", "ID")[1..];
        Assert.Equal("[subscribe,news,:1]", sub.Call("SUBSCRIBE", "news"));
        // Far more than the kernels hold: the server's pending output is way over the soft limit,
        // but the clock stands still, so the subscriber stays.
        Assert.False(PublishUntilNobodyListens(pub, 48L << 20), "dropped before the soft limit's seconds had passed");
        // On several Cores the messages reach the subscriber's Core a while after PUBLISH answers: the clock
        // moves only once its pending output (CLIENT LIST's omem) is over the soft limit, so it went over
        // before the move, as on one Core.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (OutputMemory(pub, id) < 1L << 20) Assert.True(DateTime.UtcNow < deadline, "the subscriber's output never passed the soft limit");
        _time.Advance(TimeSpan.FromSeconds(61));
        _host.Nudge();
        // On several Cores the subscriber is dropped on its own Core and the pub/sub actor hears of it a little
        // later: a few more PUBLISHes may still count it.
        Assert.True(PublishUntilNobodyListens(pub, _cores == 1 ? 1L << 20 : 8L << 20), "not dropped after 61 s over the soft limit");
        Assert.True(sub.ServerClosed());
    }

    [Fact]
    public void NormalClassLimit_SetByConfig_DropsAClientNotReadingABigReply()
    {
        using var c = new RawClient(_host.Port, timeoutMs: 30_000);
        Assert.Equal("+OK", c.Call("SET", "big", new string('b', 48 << 20)));
        Assert.Equal("+OK", c.Call("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0"));
        using var reader = new RawClient(_host.Port, timeoutMs: 30_000);
        reader.Send(RawClient.Frame("GET", "big"));
        Assert.True(reader.ServerClosed());
        Assert.Equal(":50331648", c.Call("STRLEN", "big"));
    }

    [Theory]
    [InlineData("foo 1 2 3", "Invalid client class specified in buffer limit configuration.")]
    [InlineData("pubsub 1 2", "Wrong number of arguments in buffer limit configuration.")]
    [InlineData("pubsub x 2 3", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")]
    public void BadLimits_AreRedisErrors_AndChangeNothing(string spec, string error)
    {
        using var c = new RawClient(_host.Port);
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - " + error,
            c.Call("CONFIG", "SET", "client-output-buffer-limit", spec));
        Assert.Equal("[client-output-buffer-limit,normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60]", c.Call("CONFIG", "GET", "client-output-buffer-limit"));
    }
}
