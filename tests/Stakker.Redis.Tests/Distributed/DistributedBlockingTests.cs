using static Stakker.Redis.Tests.Distributed.DistributedCluster;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>A client of A blocked on a key of B's shard (item 6 of the brief). That the wait is in place is read from
/// B's shard's blocked_clients in INFO shards, polled with a bound, never slept for.</summary>
public sealed class DistributedBlockingTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    const int Total = TwoProcesses.Total;

    static void WaitForBlocked(RawClient observer, int count) =>
        WaitUntil(() => BlockedOn(observer, 1) == count, "blocked_clients=" + count + " on B's shard");

    [Fact]
    public void Blpop_OnAKeyOfTheOtherProcess_IsServedByAPushThroughThatProcess()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient waiter = p.ToA(), b = p.ToB();
        string kb = KeyOn(1, Total, "q");
        waiter.Send(RawClient.Frame("BLPOP", kb, "0"));
        WaitForBlocked(b, 1);
        Assert.Equal(":2", b.Call("RPUSH", kb, "x", "y"));
        Assert.Equal($"[{kb},x]", waiter.ReadReply());
        Assert.Equal("[y]", b.Call("LRANGE", kb, "0", "-1"));
        WaitForBlocked(b, 0);
        // A timeout on a remote key ends the wait with nil, and the connection goes on.
        Assert.Equal("(nil)", waiter.Call("BLPOP", KeyOn(1, Total, "empty"), "0.2"));
        Assert.Equal("+PONG", waiter.Call("PING"));
    }

    [Fact]
    public void AClientThatDisconnectsWhileBlockedOnARemoteShard_IsGivenUpThere()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient b = p.ToB();
        string kb = KeyOn(1, Total, "gone");
        using (var waiter = new RawClient(p.A.Port))
        {
            waiter.Send(RawClient.Frame("BLPOP", kb, "0"));
            WaitForBlocked(b, 1);
        }
        WaitForBlocked(b, 0);
        // No one waits: the element stays in the list.
        Assert.Equal(":1", b.Call("RPUSH", kb, "kept"));
        Assert.Equal(":1", b.Call("LLEN", kb));
    }

    [Fact]
    public void ClientUnblock_OnThisProcess_AnswersAClientBlockedOnARemoteKey()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient waiter = p.ToA(), admin = p.ToA(), b = p.ToB();
        string kb = KeyOn(1, Total, "ub");
        string id = waiter.Call("CLIENT", "ID")[1..];
        waiter.Send(RawClient.Frame("BLPOP", kb, "0"));
        WaitForBlocked(b, 1);
        Assert.Equal(":1", admin.Call("CLIENT", "UNBLOCK", id));
        Assert.Equal("(nil)", waiter.ReadReply());
        WaitForBlocked(b, 0);
        // With ERROR the wait ends in the UNBLOCKED error instead.
        waiter.Send(RawClient.Frame("BRPOP", kb, "0"));
        WaitForBlocked(b, 1);
        Assert.Equal(":1", admin.Call("CLIENT", "UNBLOCK", id, "ERROR"));
        Assert.StartsWith("-UNBLOCKED", waiter.ReadReply());
        WaitForBlocked(b, 0);
        // The waits were given up on B: a push stays in the list.
        Assert.Equal(":1", b.Call("RPUSH", kb, "kept"));
        Assert.Equal(":1", b.Call("LLEN", kb));
        Assert.Equal(":0", admin.Call("CLIENT", "UNBLOCK", id));
    }
}

/// <summary>CLIENT KILL of a client blocked on a key of the other process</summary>
public sealed class DistributedBlockingKillTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    [Fact]
    public void ClientKill_OfAClientBlockedOnARemoteKey_GivesItsWaitUpThere()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient waiter = p.ToA(), admin = p.ToA(), b = p.ToB();
        string kb = TwoProcesses.OnB("killed");
        string id = waiter.Call("CLIENT", "ID")[1..];
        waiter.Send(RawClient.Frame("BLPOP", kb, "0"));
        WaitUntil(() => BlockedOn(b, 1) == 1, "the wait on B's shard");
        Assert.Equal(":1", admin.Call("CLIENT", "KILL", "ID", id));
        Assert.True(waiter.ServerClosed());
        WaitUntil(() => BlockedOn(b, 1) == 0, "the wait given up on B's shard");
        Assert.Equal(":1", b.Call("RPUSH", kb, "kept"));
        Assert.Equal(":1", b.Call("LLEN", kb));
    }
}

/// <summary>A long wait on a shard of a live process is not a lost call</summary>
public sealed class DistributedLongWaitTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    static readonly TimeSpan s_lostAfter = TimeSpan.FromSeconds(1.5);

    [Fact]
    public void AWaitLongerThanTheLossBound_OnALiveProcess_IsNotAnsweredWithAnError()
    {
        using var p = new TwoProcesses(nats.Url, s_lostAfter);
        RawClient waiter = p.ToA(), b = p.ToB(), a = p.ToA();
        string kb = TwoProcesses.OnB("long"), kt = TwoProcesses.OnB("timed");
        waiter.Send(RawClient.Frame("BLPOP", kb, "0"));
        WaitUntil(() => BlockedOn(b, 1) == 1, "the wait on B's shard");
        // Longer than the loss bound (LostAfter + 1 s = 2.5 s) with B alive: nothing may come back yet.
        if (waiter.Socket.Poll(TimeSpan.FromSeconds(3.5), System.Net.Sockets.SelectMode.SelectRead))
            Assert.Fail("the waiter was answered while B was alive: " + waiter.ReadReply());
        Assert.Equal(":1", b.Call("RPUSH", kb, "late"));
        Assert.Equal($"[{kb},late]", waiter.ReadReply());
        // A timeout longer than the loss bound ends in nil, not in the loss error; and the shard is still served.
        Assert.Equal("(nil)", waiter.Call("BLPOP", kt, "2.75"));
        Assert.Equal("+OK", a.Call("SET", kt, "fine"));
    }
}
