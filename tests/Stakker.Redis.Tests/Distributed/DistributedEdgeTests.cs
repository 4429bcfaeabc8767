using System.Diagnostics;
using static Stakker.Redis.Tests.Distributed.DistributedCluster;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>Less travelled ways of the distributed server: a keyspace held by the other process alone, databases other
/// than 0 on a remote wait, values near NATS's message size, a wait on a process that is lost</summary>
public sealed class DistributedEdgeTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    const int Total = TwoProcesses.Total;

    [Fact]
    public void RandomkeyAndInfoKeyspace_SeeKeysThatOnlyTheOtherProcessHolds()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA();
        string[] onB = KeysOn(1, Total, "only", 5);
        Assert.Equal("+OK", a.Call(["MSET", .. onB.SelectMany(k => new[] { k, "x" })]));
        for (int i = 0; i < 5; i++) Assert.Contains(a.Call("RANDOMKEY"), onB);
        Assert.Contains("db0:keys=5,", a.Call("INFO", "keyspace"));
    }

    [Fact]
    public void ScanAndKeys_WithMatchAndType_FilterOnBothProcesses()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA(), b = p.ToB();
        string la = KeyOn(0, Total, "list:"), lb = KeyOn(1, Total, "list:"), sa = KeyOn(0, Total, "str:"), sb = KeyOn(1, Total, "str:");
        Assert.Equal(":1", a.Call("RPUSH", la, "x"));
        Assert.Equal(":1", a.Call("RPUSH", lb, "x"));
        Assert.Equal("+OK", b.Call("MSET", sa, "v", sb, "v"));
        Assert.Equal(new[] { la, lb }.Order(), b.Call("KEYS", "list:*").Trim('[', ']').Split(',').Order());
        List<string> found = ScanAll(a, "TYPE", "string", "COUNT", "1").Keys;
        Assert.Equal(new[] { sa, sb }.Order(), found.Order());
    }

    [Fact]
    public void AWaitOnARemoteKeyInDatabase3_IsServedByAPushInDatabase3Only()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient waiter = p.ToA(), b = p.ToB();
        string kb = KeyOn(1, Total, "db3q");
        Assert.Equal("+OK", waiter.Call("SELECT", "3"));
        waiter.Send(RawClient.Frame("BLPOP", kb, "0"));
        WaitUntil(() => BlockedOn(b, 1) == 1, "the wait on B's shard");
        Assert.Equal(":1", b.Call("RPUSH", kb, "in0"));
        Assert.Equal("+OK", b.Call("SELECT", "3"));
        Assert.Equal(":1", b.Call("RPUSH", kb, "in3"));
        Assert.Equal($"[{kb},in3]", waiter.ReadReply());
        Assert.Equal(":0", b.Call("LLEN", kb));
        Assert.Equal("+OK", b.Call("SELECT", "0"));
        Assert.Equal(":1", b.Call("LLEN", kb));
    }

    [Fact]
    public void AClientWaitingOnAKeyOfAProcessThatIsLost_IsAnsweredWithAnError()
    {
        using var p = new TwoProcesses(nats.Url, TimeSpan.FromSeconds(1.5));
        RawClient waiter = p.ToA(), b = p.ToB();
        string kb = KeyOn(1, Total, "orphan");
        waiter.Send(RawClient.Frame("BLPOP", kb, "0"));
        WaitUntil(() => BlockedOn(b, 1) == 1, "the wait on B's shard");
        p.B!.Dispose();
        p.B = null;
        // A wait with no timeout on a process that is gone must not last for ever: the loss bound answers it.
        var clock = Stopwatch.StartNew();
        Assert.StartsWith("-ERR shard", waiter.ReadReply());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "answered after " + clock.Elapsed);
        Assert.Equal("+PONG", waiter.Call("PING"));
    }

    [Fact]
    public void ACommandLargerThanANatsMessage_IsRefused_AndTheShardStaysUsable()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA(), b = p.ToB();
        string kb = KeyOn(1, Total, "big");
        // Stakker.Remote takes a call of up to half a NATS message (max_payload, 1 MB by default): 256 KB travels.
        string half = new('h', 256 * 1024), twoMb = new('t', 2 * 1024 * 1024);
        Assert.Equal("+OK", a.Call("SET", kb, half));
        Assert.Equal(half, b.Call("GET", kb));
        Assert.StartsWith("-ERR not sent to shard 1", a.Call("SET", kb, twoMb));
        // The refusal is the command's alone: the shard is not taken for lost.
        var clock = Stopwatch.StartNew();
        Assert.Equal(half, a.Call("GET", kb));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "the next command took " + clock.Elapsed);
    }

    [Fact]
    public void AReplyLargerThanANatsMessage_IsAnErrorForThatCommand_AndTheShardIsNotTakenForLost()
    {
        using var p = new TwoProcesses(nats.Url, TimeSpan.FromSeconds(1.5));
        RawClient a = p.ToA(), b = p.ToB();
        string kb = KeyOn(1, Total, "grown"), other = KeyOn(1, Total, "small");
        string part = new('g', 600 * 1024);
        // Each APPEND fits in a NATS message (1 MB by default); the value they build (1.8 MB) does not.
        for (int i = 1; i <= 3; i++) Assert.Equal(":" + part.Length * i, b.Call("APPEND", kb, part));
        Assert.Equal("+OK", b.Call("SET", other, "fine"));
        var clock = Stopwatch.StartNew();
        string reply = a.Call("GET", kb);
        Assert.StartsWith("-ERR", reply);
        // The shard answered; only its reply could not travel: the next command on that shard must work.
        Assert.True(a.Call("GET", other) is var next && next == "fine", "after '" + reply + "', the next command on shard 1 got '" + next + "'");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "took " + clock.Elapsed);
    }

    [Fact]
    public void ARefusalForSize_NamesTheBoundTheCommandExceeds()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA();
        // 600 KB: within NATS's max_payload (1 MB by default), over the half of it that Stakker.Remote takes for a call.
        int size = 600 * 1024;
        string reply = a.Call("SET", KeyOn(1, Total, "mid"), new string('m', size));
        Assert.StartsWith("-ERR not sent to shard 1", reply);
        // The bound the error names must be one the command is over, or the user is told something false.
        var bound = System.Text.RegularExpressions.Regex.Match(reply, @"(\d{4,}) bytes");
        Assert.True(bound.Success && long.Parse(bound.Groups[1].Value) < size, "a " + size + "-byte command refused with: " + reply);
    }
}
