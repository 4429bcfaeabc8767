using System.Text.RegularExpressions;

using static Stakker.Redis.Tests.ShardedServer;

namespace Stakker.Redis.Tests;

/// <summary>Blocking commands whose keys are on several shards (decision 105): the waiting client and the pushing
/// client on different Cores, the keys on different shards</summary>
public sealed partial class ShardedBlockingTests : IDisposable
{
    const int Cores = 2;
    readonly RedisHost _host = Start(Cores);
    readonly RawClient _waiter;
    readonly RawClient _pusher;
    readonly List<RawClient> _all;
    /// <summary>A key on shard 0 and one on shard 1</summary>
    readonly string _a = KeyOn(Cores, 0, "a"), _b = KeyOn(Cores, 1, "b");

    public ShardedBlockingTests() => (_waiter, _pusher, _all) = OnTwoCores(_host);

    public void Dispose()
    {
        foreach (RawClient c in _all) c.Dispose();
        _host.Dispose();
    }

    [GeneratedRegex(@"shard(\d+):[^\r\n]*blocked_clients=(\d+)")]
    private static partial Regex ShardBlocked();

    /// <summary>Waits until each shard has at least <paramref name="perShard"/>[s] waiters (the server's own figure, no sleep)</summary>
    void WaitForWaiters(params int[] perShard)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var counts = ShardBlocked().Matches(_pusher.Call("INFO", "shards")).ToDictionary(m => int.Parse(m.Groups[1].Value), m => int.Parse(m.Groups[2].Value));
            if (perShard.Select((n, s) => counts.GetValueOrDefault(s) >= n).All(x => x)) return;
            Assert.True(DateTime.UtcNow < deadline, "the waiters never registered: " + string.Join(",", counts));
        }
    }

    void WaitForNoWaiters()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (ShardBlocked().Matches(_pusher.Call("INFO", "shards")).Any(m => m.Groups[2].Value != "0"))
            Assert.True(DateTime.UtcNow < deadline, "waiters were left on a shard");
    }

    static (RawClient, RawClient, List<RawClient>) Pair(RedisHost host)
    {
        RawClient a = new(host.Port), b = new(host.Port);
        return (a, b, [a, b]);
    }

    static RawClient Block(RawClient client, params string[] command)
    {
        client.Send(RawClient.Frame(command));
        return client;
    }

    [Fact]
    public void Blpop_IsServedByTheKeyThatIsPushed_OnEitherShard()
    {
        Block(_waiter, "BLPOP", _a, _b, "0");
        WaitForWaiters(1, 1);
        Assert.Equal(":1", _pusher.Call("RPUSH", _b, "x"));
        Assert.Equal($"[{_b},x]", _waiter.ReadReply());
        Block(_waiter, "BRPOP", _a, _b, "0");
        WaitForWaiters(1, 1);
        Assert.Equal(":2", _pusher.Call("RPUSH", _a, "y", "z"));
        Assert.Equal($"[{_a},z]", _waiter.ReadReply());
        Assert.Equal("[y]", _pusher.Call("LRANGE", _a, "0", "-1"));
        WaitForNoWaiters();
    }

    [Fact]
    public void AClientBlockedOnTwoShards_IsOneBlockedClient_InInfo()
    {
        Block(_waiter, "BLPOP", _a, _b, "0");
        WaitForWaiters(1, 1);
        Assert.Contains("blocked_clients:1\r\n", _pusher.Call("INFO", "clients"));
        _pusher.Call("RPUSH", _a, "x");
        Assert.Equal($"[{_a},x]", _waiter.ReadReply());
        WaitForNoWaiters();
        Assert.Contains("blocked_clients:0\r\n", _pusher.Call("INFO", "clients"));
    }

    [Fact]
    public void Blpop_WithElementsAlready_PopsTheFirstKeyInOrder_AndStopsAtAKeyOfAnotherType()
    {
        _pusher.Call("RPUSH", _b, "1");
        Assert.Equal($"[{_b},1]", _waiter.Call("BLPOP", _a, _b, "0"));
        _pusher.Call("RPUSH", _a, "2");
        _pusher.Call("RPUSH", _b, "3");
        Assert.Equal($"[{_b},3]", _waiter.Call("BLPOP", _b, _a, "0"));
        _pusher.Call("SET", _b, "text");
        Assert.StartsWith("-WRONGTYPE", _waiter.Call("BLPOP", _b, _a, "0"));
        Assert.Equal($"[{_a},2]", _waiter.Call("BLPOP", _a, _b, "0"));
        Assert.Equal("-ERR timeout is not a float or out of range", _waiter.Call("BLPOP", _a, _b, "x"));
        Assert.Equal("-ERR timeout is negative", _waiter.Call("BLPOP", _a, _b, "-1"));
    }

    [Fact]
    public void OnceBlocked_AKeyOfAnotherType_IsPassedOver_AsRedisServesOnlyKeysOfItsType()
    {
        Block(_waiter, "BLPOP", _a, _b, "0");
        WaitForWaiters(1, 1);
        // The first key becomes a string (no wake-up), the second a list: the try after the wake-up meets both.
        Assert.Equal("+OK", _pusher.Call("SET", _a, "text"));
        _pusher.Call("RPUSH", _b, "y");
        Assert.Equal($"[{_b},y]", _waiter.ReadReply());
    }

    [Fact]
    public void SortedSetsAndMultiPops_AreServedAcrossShards_WithTheirReplies()
    {
        Block(_waiter, "BZPOPMIN", _a, _b, "0");
        WaitForWaiters(1, 1);
        _pusher.Call("ZADD", _b, "1", "n");
        Assert.Equal($"[{_b},n,1]", _waiter.ReadReply());
        Block(_waiter, "BZMPOP", "0", "2", _a, _b, "MAX", "COUNT", "5");
        WaitForWaiters(1, 1);
        _pusher.Call("ZADD", _a, "7", "p");
        Assert.Equal($"[{_a},[[p,7]]]", _waiter.ReadReply());
        Block(_waiter, "BLMPOP", "0", "2", _a, _b, "LEFT", "COUNT", "2");
        WaitForWaiters(1, 1);
        _pusher.Call("RPUSH", _a, "1", "2", "3");
        Assert.Equal($"[{_a},[1,2]]", _waiter.ReadReply());
        Assert.Equal("-ERR numkeys should be greater than 0", _waiter.Call("BLMPOP", "0", "0", _a, _b, "LEFT"));
        // A list does not serve a client that waits for a sorted set.
        _pusher.Call("DEL", _a, _b);
        Block(_waiter, "BZPOPMAX", _a, _b, "0");
        WaitForWaiters(1, 1);
        _pusher.Call("RPUSH", _b, "l");
        _pusher.Call("ZADD", _a, "4", "r");
        Assert.Equal($"[{_a},r,4]", _waiter.ReadReply());
        Assert.Equal("[l]", _pusher.Call("LRANGE", _b, "0", "-1"));
    }

    [Fact]
    public void WaitersOfOneKey_AreServedInTheOrderTheyBlocked_AcrossShardsOrNot()
    {
        using var second = new RawClient(_host.Port);
        using var local = new RawClient(_host.Port);
        Block(_waiter, "BLPOP", _a, _b, "0");
        WaitForWaiters(1, 1);
        Block(second, "BLPOP", _b, _a, "0");
        WaitForWaiters(2, 2);
        Block(local, "BLPOP", _a, "0");     // on one shard: the plain waiter
        WaitForWaiters(3, 2);
        _pusher.Call("RPUSH", _a, "1");
        Assert.Equal($"[{_a},1]", _waiter.ReadReply());
        _pusher.Call("RPUSH", _a, "2");
        Assert.Equal($"[{_a},2]", second.ReadReply());
        _pusher.Call("RPUSH", _a, "3");
        Assert.Equal($"[{_a},3]", local.ReadReply());
        WaitForNoWaiters();
    }

    [Fact]
    public void Timeout_AnswersNull_AndLeavesNoWaiter()
    {
        Assert.Equal("(nil)", _waiter.Call("BLPOP", _a, _b, "0.05"));
        Assert.Equal("(nil)", _waiter.Call("BLMOVE", _a, _b, "LEFT", "RIGHT", "0.05"));
        WaitForNoWaiters();
        _pusher.Call("RPUSH", _a, "kept");
        Assert.Equal(":1", _pusher.Call("LLEN", _a));
    }

    [Theory]
    [InlineData("TIMEOUT", "(nil)")]
    [InlineData("ERROR", "-UNBLOCKED client unblocked via CLIENT UNBLOCK")]
    public void ClientUnblock_AnswersTheWaiter_Once(string how, string answer)
    {
        string id = _waiter.Call("CLIENT", "ID")[1..];
        Block(_waiter, "BLPOP", _a, _b, "0");
        WaitForWaiters(1, 1);
        Assert.Equal(":1", _pusher.Call("CLIENT", "UNBLOCK", id, how));
        Assert.Equal(answer, _waiter.ReadReply());
        Assert.Equal("PONG", _waiter.Call("PING")[1..]);
        WaitForNoWaiters();
        Assert.Equal(":0", _pusher.Call("CLIENT", "UNBLOCK", id));
        _pusher.Call("RPUSH", _b, "kept");
        Assert.Equal(":1", _pusher.Call("LLEN", _b));
    }

    [Fact]
    public void ClientThatCloses_WhileBlocked_LeavesNoGhostToTakeALaterPush()
    {
        using (var gone = new RawClient(_host.Port))
        {
            Block(gone, "BLPOP", _a, _b, "0");
            WaitForWaiters(1, 1);
        }
        WaitForNoWaiters();
        _pusher.Call("RPUSH", _a, "1");
        _pusher.Call("RPUSH", _b, "2");
        Assert.Equal(":1", _pusher.Call("LLEN", _a));
        Assert.Equal(":1", _pusher.Call("LLEN", _b));
        // A waiter that comes after still gets them.
        Assert.Equal($"[{_a},1]", _waiter.Call("BLPOP", _a, _b, "0"));
    }

    [Fact]
    public void TwoWaitersOnTheSameKeys_OnePushServesExactlyOne_AndNothingIsLostOrDoubled()
    {
        using var second = new RawClient(_host.Port);
        for (int round = 0; round < 20; round++)
        {
            Block(_waiter, "BLPOP", _a, _b, "0");
            Block(second, "BLPOP", _b, _a, "0");
            WaitForWaiters(2, 2);
            string first = round % 2 == 0 ? _a : _b, other = round % 2 == 0 ? _b : _a;
            _pusher.Call("RPUSH", first, "v" + round);
            _pusher.Call("RPUSH", other, "w" + round);
            string[] got = [_waiter.ReadReply(), second.ReadReply()];
            // Each got one element, and together they got both: none lost, none served twice.
            Assert.Equal(
                new[] { $"[{first},v{round}]", $"[{other},w{round}]" }.Order(),
                got.Order());
            Assert.Equal(":0", _pusher.Call("EXISTS", _a, _b));
        }
        WaitForNoWaiters();
    }

    [Fact]
    public async Task ManyWaitersAndPushersOnBothShards_EveryElementIsServedExactlyOnce()
    {
        const int Elements = 300;
        int served = 0;
        var got = new System.Collections.Concurrent.ConcurrentBag<string>();
        var waiters = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            using var c = new RawClient(_host.Port);
            // Half of them name the keys in the other order.
            string[] command = w % 2 == 0 ? ["BLPOP", _a, _b, "0.2"] : ["BRPOP", _b, _a, "0.2"];
            while (Volatile.Read(ref served) < Elements)
            {
                string reply = c.Call(command);
                if (reply == "(nil)") continue;
                got.Add(reply[(reply.IndexOf(',') + 1)..^1]);
                Interlocked.Increment(ref served);
            }
        })).ToArray();
        var pushers = Enumerable.Range(0, 2).Select(p => Task.Run(() =>
        {
            using var c = new RawClient(_host.Port);
            for (int i = p; i < Elements; i += 2) c.Call("RPUSH", i % 3 == 0 ? _a : _b, "e" + i);
        })).ToArray();
        await Task.WhenAll(pushers).WaitAsync(TimeSpan.FromSeconds(60));
        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(0, Elements).Select(i => "e" + i).Order(), got.Order());
        Assert.Equal(":0", _pusher.Call("EXISTS", _a, _b));
        WaitForNoWaiters();
    }

    [Fact]
    public void Blmove_AcrossShards_PopsFromTheSourceAndPushesOnTheDestination()
    {
        Block(_waiter, "BLMOVE", _a, _b, "LEFT", "LEFT", "0");
        WaitForWaiters(1, 0);
        _pusher.Call("RPUSH", _a, "1", "2");
        Assert.Equal("1", _waiter.ReadReply());
        Assert.Equal("[2]", _pusher.Call("LRANGE", _a, "0", "-1"));
        Assert.Equal("[1]", _pusher.Call("LRANGE", _b, "0", "-1"));
        Assert.Equal("2", _waiter.Call("BRPOPLPUSH", _a, _b, "0"));
        Assert.Equal("[2,1]", _pusher.Call("LRANGE", _b, "0", "-1"));
        Assert.Equal("-ERR syntax error", _waiter.Call("BLMOVE", _a, _b, "UP", "LEFT", "0"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Blmove_ToADestinationOfAnotherType_FailsTheWaiter_AndKeepsTheElement(int cores)
    {
        using var host = Start(cores);
        var (waiter, pusher, all) = cores == 1 ? Pair(host) : OnTwoCores(host);
        try
        {
            string src = KeyOn(cores, 0, "s"), dst = KeyOn(cores, cores - 1, "d");
            pusher.Call("SET", dst, "text");
            Block(waiter, "BLMOVE", src, dst, "RIGHT", "LEFT", "0");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!pusher.Call("INFO", "clients").Contains("blocked_clients:1"))
                Assert.True(DateTime.UtcNow < deadline, "never blocked");
            pusher.Call("RPUSH", src, "x");
            Assert.StartsWith("-WRONGTYPE", waiter.ReadReply());
            Assert.Equal("[x]", pusher.Call("LRANGE", src, "0", "-1"));
            Assert.Equal("text", pusher.Call("GET", dst));
        }
        finally
        {
            foreach (RawClient c in all) c.Dispose();
        }
    }
}
