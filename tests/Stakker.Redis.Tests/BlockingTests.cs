namespace Stakker.Redis.Tests;

// Blocking list and sorted-set commands over real sockets, two clients each: one blocks, the other
// fills keys. The server's Core runs on a manual clock, so timeouts pass only when the test says.
public sealed class BlockingTests() : BlockingCases(1);

public sealed class BlockingOn2CoresTests() : BlockingCases(2);

public sealed class BlockingOn4CoresTests() : BlockingCases(4);

public abstract class BlockingCases : IDisposable
{
    readonly ManualTime _time = new();
    readonly RedisHost _host;
    readonly RawClient _waiter;
    readonly RawClient _other;

    readonly int _cores;

    protected BlockingCases(int cores)
    {
        _cores = cores;
        _host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores }, _time);
        _waiter = new RawClient(_host.Port);
        _other = new RawClient(_host.Port);
    }

    public void Dispose()
    {
        _waiter.Dispose();
        _other.Dispose();
        _host.Dispose();
    }

    /// <summary>Sends a blocking command and returns once the server reports the client blocked (its own signal, no sleep)</summary>
    void Block(params string[] command)
    {
        _waiter.Send(RawClient.Frame(command));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!_other.Call("INFO", "clients").Contains("blocked_clients:1"))
            Assert.True(DateTime.UtcNow < deadline, string.Join(' ', command) + " never blocked");
    }

    [Fact]
    public void Brpoplpush_ServedByPush_MovesTheElement()
    {
        Block("BRPOPLPUSH", "src", "dst", "0");
        Assert.Equal(":2", _other.Call("RPUSH", "src", "a", "b"));
        Assert.Equal("b", _waiter.ReadReply());
        Assert.Equal("[a]", _other.Call("LRANGE", "src", "0", "-1"));
        Assert.Equal("[b]", _other.Call("LRANGE", "dst", "0", "-1"));
    }

    [Fact]
    public void Transaction_IsSeenByTheWaiter_OnlyAsItsEndState()
    {
        Block("BLPOP", "q", "0");
        _other.Call("MULTI");
        foreach (string v in new[] { "a", "b", "c" }) Assert.Equal("+QUEUED", _other.Call("LPUSH", "q", v));
        Assert.Equal("[:1,:2,:3]", _other.Call("EXEC"));
        // Served after EXEC: the head is the last element pushed, not the first.
        Assert.Equal("[q,c]", _waiter.ReadReply());
        Assert.Equal("[b,a]", _other.Call("LRANGE", "q", "0", "-1"));
    }

    [Fact]
    public void PushThenDeleteInATransaction_DoesNotWakeTheWaiter()
    {
        Block("BLPOP", "q", "0");
        _other.Call("MULTI");
        _other.Call("LPUSH", "q", "a");
        _other.Call("DEL", "q");
        _other.Call("SET", "q", "string now");
        Assert.Equal("[:1,:1,+OK]", _other.Call("EXEC"));
        Assert.Contains("blocked_clients:1", _other.Call("INFO", "clients"));
        Assert.Equal(":1", _other.Call("DEL", "q"));
        _other.Call("LPUSH", "q", "b");
        Assert.Equal("[q,b]", _waiter.ReadReply());
    }

    [Fact]
    public void Bzpopmin_And_Bzmpop_ServedByZadd()
    {
        Block("BZPOPMIN", "z1", "z2", "0");
        _other.Call("ZADD", "z2", "2", "b", "1", "a");
        Assert.Equal("[z2,a,1]", _waiter.ReadReply());
        Block("BZMPOP", "0", "1", "z3", "MAX", "COUNT", "5");
        _other.Call("ZADD", "z3", "1", "x", "2", "y");
        Assert.Equal("[z3,[[y,2],[x,1]]]", _waiter.ReadReply());
        Assert.Equal(":0", _other.Call("EXISTS", "z3"));
    }

    [Fact]
    public void Blmpop_TimesOutOnVirtualTime()
    {
        Block("BLMPOP", "30", "2", "a", "b", "LEFT", "COUNT", "2");
        _time.Advance(TimeSpan.FromSeconds(29));
        _host.Nudge();
        Assert.Contains("blocked_clients:1", _other.Call("INFO", "clients"));
        _time.Advance(TimeSpan.FromSeconds(2));
        _host.Nudge();
        Assert.Equal("(nil)", _waiter.ReadReply());
        Assert.Equal("+PONG", _waiter.Call("PING"));
    }

    [Fact]
    public void ClientUnblock_WithError()
    {
        string id = _waiter.Call("CLIENT", "ID")[1..];
        Block("BZPOPMAX", "z", "0");
        Assert.Equal(":1", _other.Call("CLIENT", "UNBLOCK", id, "ERROR"));
        Assert.Equal("-UNBLOCKED client unblocked via CLIENT UNBLOCK", _waiter.ReadReply());
        Assert.Equal(":0", _other.Call("CLIENT", "UNBLOCK", id));
    }

    [Fact]
    public void BlockingCommandsInsideMulti_DoNotWait()
    {
        // BLMOVE's destination on its source's shard: inside MULTI a command whose own keys are on two shards is
        // refused (decision 103; ShardedTransactionTests), and this case is about not waiting.
        string destination = ShardedServer.KeyOn(_cores, ShardedServer.ShardOf(_cores, "none"), "x");
        _waiter.Call("MULTI");
        _waiter.Call("BLPOP", "none", "0");
        _waiter.Call("BLMOVE", "none", destination, "LEFT", "RIGHT", "0");
        _waiter.Call("BZMPOP", "0", "1", "none", "MIN");
        Assert.Equal("[(nil),(nil),(nil)]", _waiter.Call("EXEC"));
    }

    [Fact]
    public void Blmove_ToAKeyOfAnotherType_FailsThatClient_AndKeepsTheElement()
    {
        _other.Call("SET", "dst", "x");
        Block("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0");
        _other.Call("RPUSH", "src", "e");
        Assert.StartsWith("-WRONGTYPE", _waiter.ReadReply());
        Assert.Equal("[e]", _other.Call("LRANGE", "src", "0", "-1"));
    }

    [Fact]
    public void SelfReferentialBrpoplpush_KeepsTheElement()
    {
        Block("BRPOPLPUSH", "l", "l", "0");
        _other.Call("RPUSH", "l", "a");
        Assert.Equal("a", _waiter.ReadReply());
        Assert.Equal("[a]", _other.Call("LRANGE", "l", "0", "-1"));
    }

    [Fact]
    public void Timeouts_AreBounded()
    {
        // A timeout whose milliseconds do not fit the timer is refused rather than waiting for ever.
        Assert.Equal("-ERR timeout is out of range", _waiter.Call("BLMPOP", "1e300", "1", "k", "LEFT"));
        Assert.Equal("-ERR timeout is negative", _waiter.Call("BZPOPMIN", "k", "-1"));
        Assert.Equal("-ERR timeout is not a float or out of range", _waiter.Call("BRPOPLPUSH", "a", "b", "soon"));
        Assert.Contains("blocked_clients:0", _other.Call("INFO", "clients"));
    }
}
