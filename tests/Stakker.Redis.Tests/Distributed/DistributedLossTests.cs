using System.Diagnostics;
using static Stakker.Redis.Tests.Distributed.DistributedCluster;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>A process of the keyspace lost and started again (item 7 of the brief). The bounds are generous for a
/// loaded 2-core machine; what they tell apart is an answer within the loss bound from one that never comes, and a
/// shard known lost answered at once from one that costs the bound again.</summary>
public sealed class DistributedLossTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    static readonly TimeSpan s_lostAfter = TimeSpan.FromSeconds(1.5);

    /// <summary>Well under <see cref="s_lostAfter"/>: an answer that did not wait for the loss bound</summary>
    static readonly TimeSpan s_atOnce = TimeSpan.FromSeconds(0.75);

    static (string Reply, TimeSpan Took) Timed(RawClient c, params string[] command)
    {
        var clock = Stopwatch.StartNew();
        string reply = c.Call(command);
        return (reply, clock.Elapsed);
    }

    [Fact]
    public void ALostProcessesKeys_FailWithinTheBound_ThenAtOnce_OwnKeysKeepWorking_AndServeAgainWhenItIsBack()
    {
        using var p = new TwoProcesses(nats.Url, s_lostAfter);
        RawClient a = p.ToA();
        string ka = TwoProcesses.OnA("lost"), kb = TwoProcesses.OnB("lost");
        Assert.Equal("+OK", a.Call("SET", kb, "before"));
        Assert.Equal("+OK", a.Call("SET", ka, "mine"));
        p.B!.Dispose();
        p.B = null;
        // The first command on B's key waits at most the loss bound (LostAfter + 1 s) and is answered with an error.
        (string first, TimeSpan took) = Timed(a, "GET", kb);
        Assert.StartsWith("-ERR shard", first);
        Assert.True(took < TimeSpan.FromSeconds(10), "the lost shard's error came after " + took);
        // Once the shard is known lost, the next commands on its keys fail at once.
        for (int i = 0; i < 3; i++)
        {
            (string again, TimeSpan quick) = Timed(a, "SET", kb, "x");
            Assert.StartsWith("-ERR shard", again);
            Assert.True(quick < s_atOnce, "a command on the lost shard took " + quick);
        }
        // A's own keys are served all along.
        Assert.Equal("mine", a.Call("GET", ka));
        Assert.Equal(":1", a.Call("INCR", TwoProcesses.OnA("counter")));
        // B back (empty: its keys were in its memory): commands on its keys work again within a few seconds.
        p.StartB();
        WaitUntil(() => a.Call("SET", kb, "after") == "+OK", "a command on B's key through A after B restarted", seconds: 10);
        Assert.Equal("after", a.Call("GET", kb));
        Assert.Equal("mine", a.Call("GET", ka));
    }

    [Fact]
    public void WhileALostProcessStaysDown_EveryCommandOnItsKeysFailsAtOnce()
    {
        using var p = new TwoProcesses(nats.Url, s_lostAfter);
        RawClient a = p.ToA();
        string kb = TwoProcesses.OnB("down");
        Assert.Equal("+OK", a.Call("SET", kb, "before"));
        p.B!.Dispose();
        p.B = null;
        Assert.StartsWith("-ERR shard", a.Call("GET", kb));
        // Commands arriving now and then over three seconds of B being down, as clients send them: the shard is known
        // lost, so none of them should wait for the loss bound again. The pauses are the test's point (time passing
        // while the process stays down), not a wait for a condition.
        var slow = new List<string>();
        var span = Stopwatch.StartNew();
        while (span.Elapsed < TimeSpan.FromSeconds(3))
        {
            (string reply, TimeSpan took) = Timed(a, "GET", kb);
            Assert.StartsWith("-ERR shard", reply);
            if (took >= s_atOnce) slow.Add($"{took.TotalSeconds:F2} s at {span.Elapsed.TotalSeconds:F1} s");
            Thread.Sleep(250);
        }
        Assert.True(slow.Count == 0, "commands on the lost shard that waited for the loss bound again: " + string.Join("; ", slow));
    }
}

/// <summary>Commands gathered from every shard while one process is lost, and pub/sub once it is back</summary>
public sealed class DistributedLossFanOutTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    [Fact]
    public void FanOutCommands_WithAProcessLost_AnswerAnErrorWithinTheBound_NotNeverAndNotPartly()
    {
        using var p = new TwoProcesses(nats.Url, TimeSpan.FromSeconds(1.5));
        RawClient a = p.ToA();
        string ka = TwoProcesses.OnA("f"), kb = TwoProcesses.OnB("f");
        Assert.Equal("+OK", a.Call("MSET", ka, "1", kb, "2"));
        p.B!.Dispose();
        p.B = null;
        // Each needs B's shard: an error, within the bound (the first waits for it, the rest are at once).
        foreach (string[] command in new[] { ["MGET", ka, kb], ["DBSIZE"], ["KEYS", "*"], ["SCAN", "0"], ["EXISTS", ka, kb], new[] { "RANDOMKEY" } })
        {
            var clock = Stopwatch.StartNew();
            string reply = a.Call(command);
            Assert.True(reply.StartsWith("-ERR shard", StringComparison.Ordinal), command[0] + " with B lost answered: " + reply);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), command[0] + " took " + clock.Elapsed);
        }
        Assert.Equal("1", a.Call("GET", ka));
    }

    [Fact]
    public void Info_WithAProcessKnownLost_AnswersAtOnce_WithTheShardsItCanReach()
    {
        using var p = new TwoProcesses(nats.Url, TimeSpan.FromSeconds(1.5));
        RawClient a = p.ToA();
        Assert.Equal("+OK", a.Call("SET", TwoProcesses.OnA("i"), "1"));
        p.B!.Dispose();
        p.B = null;
        Assert.StartsWith("-ERR shard", a.Call("GET", TwoProcesses.OnB("i")));
        // The shard is known lost: INFO, which a monitor calls every few seconds, should not wait the loss bound each time.
        for (int i = 0; i < 2; i++)
        {
            var clock = Stopwatch.StartNew();
            string info = a.Call("INFO", "shards");
            Assert.Contains("shard0:core=0,keys=1,", info);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(0.75), "INFO with B known lost took " + clock.Elapsed);
        }
    }

    [Fact]
    public void PubSub_ReachesAProcessStartedAgain()
    {
        using var p = new TwoProcesses(nats.Url, TimeSpan.FromSeconds(1.5));
        RawClient pub = p.ToA();
        p.B!.Dispose();
        Assert.Equal(":0", pub.Call("PUBLISH", "ch", "while-down"));
        p.StartB();
        RawClient sub = p.ToB();
        Assert.Equal("[subscribe,ch,:1]", sub.Call("SUBSCRIBE", "ch"));
        Assert.Equal(":0", pub.Call("PUBLISH", "ch", "back"));
        Assert.Equal("[message,ch,back]", sub.ReadReply());
    }
}
