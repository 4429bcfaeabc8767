using static Stakker.Redis.Tests.Distributed.DistributedCluster;

namespace Stakker.Redis.Tests.Distributed;

/// <summary>Commands that move values between keys, and transactions, with keys held by different processes: refused
/// with CROSSSLOT; kept on one shard by a hash tag they run (items 3 and 4 of the brief)</summary>
public sealed class DistributedCrossSlotTests(NatsFixture nats) : IClassFixture<NatsFixture>
{
    const int Total = TwoProcesses.Total;

    /// <summary>Source values for each move command, the command on (source, destination), and what it answers when it runs</summary>
    static readonly (string Name, string[] Setup, string[] Command, string Ok)[] s_moves =
    [
        ("RENAME", ["SET", "$s", "v"], ["RENAME", "$s", "$d"], "+OK"),
        ("SMOVE", ["SADD", "$s", "m"], ["SMOVE", "$s", "$d", "m"], ":1"),
        ("LMOVE", ["RPUSH", "$s", "e"], ["LMOVE", "$s", "$d", "LEFT", "RIGHT"], "e"),
        ("SINTERSTORE", ["SADD", "$s", "m"], ["SINTERSTORE", "$d", "$s"], ":1"),
        ("COPY", ["SET", "$s", "v"], ["COPY", "$s", "$d"], ":1"),
        ("BLMOVE", ["RPUSH", "$s", "e"], ["BLMOVE", "$s", "$d", "LEFT", "RIGHT", "1"], "e"),
    ];

    public static TheoryData<string> Moves() => [.. s_moves.Select(m => m.Name)];

    static string[] With(string[] template, string source, string destination) =>
        [.. template.Select(t => t == "$s" ? source : t == "$d" ? destination : t)];

    [Theory]
    [MemberData(nameof(Moves))]
    public void AMoveBetweenKeysOfTwoProcesses_IsRefusedWithCrossslot_AndWithAHashTagItRuns(string name)
    {
        var move = s_moves.Single(m => m.Name == name);
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA();
        // Source on A's shard, destination on B's, and the other way round: both refused, nothing moved.
        foreach ((string src, string dst) in new[] { (KeyOn(0, Total, "src"), KeyOn(1, Total, "dst")), (KeyOn(1, Total, "src"), KeyOn(0, Total, "dst")) })
        {
            Assert.False(a.Call(With(move.Setup, src, dst)).StartsWith('-'), "the setup failed");
            Assert.StartsWith("-CROSSSLOT", a.Call(With(move.Command, src, dst)));
            Assert.Equal(":1", a.Call("EXISTS", src));
            Assert.Equal(":0", a.Call("EXISTS", dst));
            // The connection goes on after the error.
            Assert.Equal("+PONG", a.Call("PING"));
            Assert.Equal(":1", a.Call("DEL", src, dst));
        }
        // A hash tag keeps both keys on B's shard: the move runs there for a client of A; and on A's own shard too.
        foreach (string tag in new[] { TagOn(1, Total), TagOn(0, Total) })
        {
            string src = tag + "src", dst = tag + "dst";
            Assert.False(a.Call(With(move.Setup, src, dst)).StartsWith('-'), "the setup failed");
            Assert.Equal(move.Ok, a.Call(With(move.Command, src, dst)));
            Assert.Equal(":1", a.Call("EXISTS", dst));
        }
    }

    [Fact]
    public void Multi_WithAKeyOfTheOtherProcess_IsRefusedAtQueueTime_AndExecAborts()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA();
        string own = KeyOn(0, Total, "tx"), other = KeyOn(1, Total, "tx");
        Assert.Equal("+OK", a.Call("MULTI"));
        Assert.Equal("+QUEUED", a.Call("SET", own, "1"));
        Assert.StartsWith("-CROSSSLOT", a.Call("SET", other, "1"));
        Assert.StartsWith("-EXECABORT", a.Call("EXEC"));
        // Nothing of the transaction ran, and the connection is out of MULTI.
        Assert.Equal(":0", a.Call("EXISTS", own, other));
        Assert.Equal("+PONG", a.Call("PING"));
    }

    [Fact]
    public void Watch_OnAKeyOfTheOtherProcess_IsRefusedWithCrossslot()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA();
        Assert.StartsWith("-CROSSSLOT", a.Call("WATCH", KeyOn(1, Total, "w")));
        Assert.StartsWith("-CROSSSLOT", a.Call("WATCH", KeyOn(0, Total, "w"), KeyOn(1, Total, "w")));
        Assert.Equal("+OK", a.Call("WATCH", KeyOn(0, Total, "w")));
        Assert.Equal("+OK", a.Call("UNWATCH"));
    }

    [Fact]
    public void ATransactionOnThisProcesssOwnKeys_Runs_AndWatchOfThemWorks()
    {
        using var p = new TwoProcesses(nats.Url);
        RawClient a = p.ToA(), b = p.ToB();
        string k1 = KeyOn(0, Total, "own"), k2 = KeysOn(0, Total, "own", 2)[1];
        Assert.Equal("+OK", a.Call("WATCH", k1));
        Assert.Equal("+OK", a.Call("MULTI"));
        Assert.Equal("+QUEUED", a.Call("SET", k1, "1"));
        Assert.Equal("+QUEUED", a.Call("INCR", k2));
        Assert.Equal("+QUEUED", a.Call("GET", k1));
        Assert.Equal("[+OK,:1,1]", a.Call("EXEC"));
        // B sees the result; and a write from B to a watched key of A aborts A's next transaction.
        Assert.Equal("1", b.Call("GET", k2));
        Assert.Equal("+OK", a.Call("WATCH", k1));
        Assert.Equal("+OK", b.Call("SET", k1, "changed"));
        Assert.Equal("+OK", a.Call("MULTI"));
        Assert.Equal("+QUEUED", a.Call("SET", k1, "mine"));
        Assert.Equal("(nil)", a.Call("EXEC"));
        Assert.Equal("changed", a.Call("GET", k1));
    }

    [Fact]
    public void ATransactionOverTwoShardsOfThisProcess_Runs_AndAThirdShardElsewhereIsRefused()
    {
        const int total = ThreeShards.Total;
        using var three = new ThreeShards(nats.Url);
        RedisHost a = three.A, b = three.B;
        using var c = new RawClient(a.Port);
        string k0 = KeyOn(0, total, "t"), k1 = KeyOn(1, total, "t"), k2 = KeyOn(2, total, "t");
        Assert.Equal("+OK", c.Call("WATCH", k0, k1));
        Assert.Equal("+OK", c.Call("MULTI"));
        Assert.Equal("+QUEUED", c.Call("SET", k0, "zero"));
        Assert.Equal("+QUEUED", c.Call("SET", k1, "one"));
        Assert.Equal("+QUEUED", c.Call("MGET", k0, k1));
        Assert.Equal("[+OK,+OK,[zero,one]]", c.Call("EXEC"));
        Assert.StartsWith("-CROSSSLOT", c.Call("WATCH", k0, k2));
        Assert.Equal("+OK", c.Call("MULTI"));
        Assert.Equal("+QUEUED", c.Call("SET", k1, "again"));
        Assert.StartsWith("-CROSSSLOT", c.Call("GET", k2));
        Assert.StartsWith("-EXECABORT", c.Call("EXEC"));
        Assert.Equal("one", c.Call("GET", k1));
    }
}
