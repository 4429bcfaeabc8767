using Stakker.IO;
using StackExchange.Redis;
using Stakker.Redis;

namespace Stakker.Redis.Tests;

// The calls a .NET application makes most on hashes, sets, sorted sets, lists and keys, through
// StackExchange.Redis against the sample server (reactor and SocketAsyncEventArgs paths).
public sealed class RedisTypesTests() : RedisTypesCases(TcpIoMode.Epoll);

public sealed class RedisTypesUringTests() : RedisTypesCases(TcpIoMode.IoUring);

public sealed class RedisTypesSocketAsyncTests() : RedisTypesCases(TcpIoMode.SocketAsyncEventArgs);

public sealed class RedisTypesOn2CoresTests() : RedisTypesCases(TcpIoMode.Epoll, 2);

public sealed class RedisTypesOn4CoresTests() : RedisTypesCases(TcpIoMode.Epoll, 4);

public abstract class RedisTypesCases : IDisposable
{
    readonly ManualTime _time = new();
    readonly RedisHost _host;
    readonly ConnectionMultiplexer _mux;
    readonly IDatabase _db;

    protected RedisTypesCases(TcpIoMode io, int cores = 1)
    {
        _host = RedisHost.Start(new RedisServerOptions { Port = 0, Io = io, Cores = cores }, _time);
        var options = ConfigurationOptions.Parse($"127.0.0.1:{_host.Port}");
        options.ConnectTimeout = 5000;
        options.SyncTimeout = 5000;
        options.AbortOnConnectFail = true;
        _mux = ConnectionMultiplexer.Connect(options);
        _db = _mux.GetDatabase();
    }

    public void Dispose()
    {
        _mux.Dispose();
        _host.Dispose();
    }

    static string[] S(IEnumerable<RedisValue> values) => values.Select(v => v.IsNull ? "(nil)" : v.ToString()).ToArray();

    [Fact]
    public void Hashes()
    {
        _db.HashSet("h", [new("a", "1"), new("b", "2")]);
        Assert.True(_db.HashSet("h", "c", "3"));
        Assert.False(_db.HashSet("h", "c", "30"));
        Assert.False(_db.HashSet("h", "c", "x", When.NotExists));
        Assert.Equal("30", (string?)_db.HashGet("h", "c"));
        Assert.Equal(["1", "(nil)", "2"], S(_db.HashGet("h", ["a", "zz", "b"])));
        Assert.Equal(6, _db.HashIncrement("h", "a", 5));
        Assert.Equal(2.5, _db.HashIncrement("h", "f", 2.5));
        Assert.True(_db.HashExists("h", "f"));
        Assert.Equal(4, _db.HashLength("h"));
        Assert.Equal(["a", "b", "c", "f"], S(_db.HashKeys("h")).Order());
        Assert.Equal(new Dictionary<string, string> { ["a"] = "6", ["b"] = "2", ["c"] = "30", ["f"] = "2.5" },
            _db.HashGetAll("h").ToDictionary(e => (string)e.Name!, e => (string)e.Value!));
        Assert.Equal(2, _db.HashDelete("h", ["a", "b", "nope"]));
        Assert.Equal(2, _db.HashStringLength("h", "c"));
        Assert.Equal(RedisType.Hash, _db.KeyType("h"));
        Assert.Throws<RedisServerException>(() => _db.StringGet("h"));
    }

    [Fact]
    public void HashScan_PagesThroughEveryField()
    {
        // Past the 512 fields a hash keeps packed (a packed one comes back whole, as in Redis).
        _db.HashSet("big", Enumerable.Range(0, 600).Select(i => new HashEntry("f" + i, i)).ToArray());
        var seen = _db.HashScan("big", "f1*", pageSize: 37).Select(e => (string)e.Name!).ToList();
        Assert.Equal(Enumerable.Range(0, 600).Select(i => "f" + i).Where(f => f.StartsWith("f1")).Order(), seen.Order());
    }

    [Fact]
    public void Sets()
    {
        Assert.Equal(3, _db.SetAdd("a", ["1", "2", "3"]));
        Assert.Equal(3, _db.SetAdd("b", ["2", "3", "4", "2"]));
        Assert.True(_db.SetContains("a", "1"));
        Assert.Equal([true, false], _db.SetContains("a", ["2", "9"]));
        Assert.Equal(["2", "3"], S(_db.SetCombine(SetOperation.Intersect, "a", "b")).Order());
        Assert.Equal(["1", "2", "3", "4"], S(_db.SetCombine(SetOperation.Union, "a", "b")).Order());
        Assert.Equal(["1"], S(_db.SetCombine(SetOperation.Difference, "a", "b")));
        Assert.Equal(4, _db.SetCombineAndStore(SetOperation.Union, "u", "a", "b"));
        Assert.Equal(4, _db.SetLength("u"));
        Assert.True(_db.SetMove("a", "b", "1"));
        Assert.Equal(["2", "3"], S(_db.SetMembers("a")).Order());
        string? popped = _db.SetPop("a");
        Assert.True(popped is "2" or "3", popped);
        Assert.Equal(1, _db.SetLength("a"));
        Assert.Equal(1, _db.SetRemove("a", ["2", "3"]) );
        Assert.False(_db.KeyExists("a"));
        _db.SetAdd("many", Enumerable.Range(0, 300).Select(i => (RedisValue)i).ToArray());
        Assert.Equal(300, _db.SetScan("many", pageSize: 50).Distinct().Count());
    }

    [Fact]
    public void SortedSets()
    {
        Assert.Equal(3, _db.SortedSetAdd("z", [new("a", 1), new("b", 2), new("c", 3)]));
        Assert.Equal(2.0, _db.SortedSetScore("z", "b"));
        Assert.Null(_db.SortedSetScore("z", "nope"));
        Assert.Equal(5.5, _db.SortedSetIncrement("z", "a", 4.5));
        Assert.Equal(["b", "c", "a"], S(_db.SortedSetRangeByRank("z")));
        Assert.Equal(["a", "c"], S(_db.SortedSetRangeByRank("z", 0, 1, Order.Descending)));
        Assert.Equal([("c", 3.0)], _db.SortedSetRangeByScoreWithScores("z", 2, 5.5, Exclude.Both).Select(e => ((string)e.Element!, e.Score)));
        Assert.Equal(["c", "b"], S(_db.SortedSetRangeByScore("z", 0, 4, order: Order.Descending)));
        Assert.Equal(2, _db.SortedSetRank("z", "a"));
        Assert.Equal(0, _db.SortedSetRank("z", "a", Order.Descending));
        Assert.Equal(2, _db.SortedSetLength("z", double.NegativeInfinity, 3));
        Assert.False(_db.SortedSetAdd("z", "a", 1, SortedSetWhen.GreaterThan));
        Assert.Equal(5.5, _db.SortedSetScore("z", "a"));
        Assert.Equal(3, _db.SortedSetLength("z"));
        var min = _db.SortedSetPop("z");
        Assert.Equal(("b", 2.0), ((string)min!.Value.Element!, min.Value.Score));
        Assert.True(_db.SortedSetRemove("z", "c"));
        Assert.Equal(1, _db.SortedSetLength("z"));
        _db.SortedSetAdd("lex", [new("a", 0), new("b", 0), new("c", 0), new("d", 0)]);
        Assert.Equal(["b", "c"], S(_db.SortedSetRangeByValue("lex", "b", "c")));
        Assert.Equal(2, _db.SortedSetRemoveRangeByValue("lex", "a", "b"));
        _db.SortedSetAdd("many", Enumerable.Range(0, 400).Select(i => new SortedSetEntry("m" + i, i)).ToArray());
        Assert.Equal(400, _db.SortedSetScan("many", pageSize: 64).Select(e => (string)e.Element!).Distinct().Count());
        Assert.Equal(100, _db.SortedSetRemoveRangeByRank("many", 0, 99));
        Assert.Equal(["m100"], S(_db.SortedSetRangeByRank("many", 0, 0)));
    }

    [Fact]
    public void Lists()
    {
        _db.ListRightPush("l", ["a", "b", "c", "b"]);
        Assert.Equal("c", (string?)_db.ListGetByIndex("l", -2));
        _db.ListSetByIndex("l", 0, "A");
        Assert.Equal(1, _db.ListPosition("l", "b"));
        Assert.Equal(5, _db.ListInsertAfter("l", "c", "x"));
        Assert.Equal(2, _db.ListRemove("l", "b"));
        Assert.Equal(["A", "c", "x"], S(_db.ListRange("l")));
        Assert.Equal("x", (string?)_db.ListMove("l", "m", ListSide.Right, ListSide.Left));
        _db.ListTrim("l", 1, -1);
        Assert.Equal(["c"], S(_db.ListRange("l")));
        Assert.Equal(["x"], S(_db.ListRange("m")));
    }

    [Fact]
    public async Task Blmove_ServedByPush()
    {
        Task<RedisResult> move = _db.ExecuteAsync("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0");
        using var other = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_host.Port},allowAdmin=true");
        IServer server = other.GetServer($"127.0.0.1:{_host.Port}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!((await server.InfoRawAsync("clients")) ?? "").Contains("blocked_clients:1"))
            Assert.True(DateTime.UtcNow < deadline, "BLMOVE never blocked on the server");
        Assert.False(move.IsCompleted);
        await other.GetDatabase().ListRightPushAsync("src", ["a", "b"]);
        Assert.Equal("a", (string?)await move.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(["a"], S(await _db.ListRangeAsync("dst")));
        Assert.Equal(["b"], S(await _db.ListRangeAsync("src")));
    }

    [Fact]
    public void Keys_ScanTypeRenameAndAbsoluteExpiry()
    {
        var server = _mux.GetServer(_mux.GetEndPoints()[0]);
        for (int i = 0; i < 1000; i++) _db.StringSet("key:" + i, i);
        _db.HashSet("other", "f", "v");
        // server.Keys pages with SCAN: every key once, whatever the page size.
        var keys = server.Keys(pattern: "key:*", pageSize: 100).Select(k => (string)k!).ToList();
        Assert.Equal(1000, keys.Count);
        Assert.Equal(1000, keys.Distinct().Count());
        Assert.Equal(1001, server.Keys(pageSize: 250).Count());
        Assert.True(_db.KeyRename("key:1", "renamed"));
        Assert.False(_db.KeyRename("key:2", "renamed", When.NotExists));
        Assert.Equal(RedisType.String, _db.KeyType("renamed"));
        Assert.Equal(RedisType.None, _db.KeyType("key:1"));
        var at = DateTime.UtcNow.AddHours(1);
        Assert.True(_db.KeyExpire("renamed", at));
        var ttl = _db.KeyTimeToLive("renamed");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        Assert.Equal(2, _db.KeyTouch(["renamed", "other", "nope"]));
        Assert.NotNull((string?)_db.KeyRandom());
    }
}

// SCAN's contract under change (decision 023): keys present for the whole iteration come back exactly
// once, whatever is deleted and added between pages.
public sealed class ScanCursorTests() : ScanCursorCases(1);

public sealed class ScanCursorOn2CoresTests() : ScanCursorCases(2);

public sealed class ScanCursorOn4CoresTests() : ScanCursorCases(4);

public abstract class ScanCursorCases : IDisposable
{
    readonly RedisHost _host;
    readonly ConnectionMultiplexer _mux;
    readonly IDatabase _db;

    protected ScanCursorCases(int cores)
    {
        _host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores }, new ManualTime());
        _mux = ConnectionMultiplexer.Connect($"127.0.0.1:{_host.Port}");
        _db = _mux.GetDatabase();
    }

    public void Dispose()
    {
        _mux.Dispose();
        _host.Dispose();
    }

    [Fact]
    public void KeysPresentThroughout_ComeBackExactlyOnce_DespiteDeletesAndAdds()
    {
        for (int i = 0; i < 600; i++) _db.StringSet("stay:" + i, i);
        for (int i = 0; i < 300; i++) _db.StringSet("gone:" + i, i);
        var seen = new List<string>();
        string cursor = "0";
        int page = 0;
        do
        {
            var reply = (RedisResult[])_db.Execute("SCAN", cursor, "COUNT", "50")!;
            cursor = (string)reply[0]!;
            seen.AddRange(((RedisResult[])reply[1]!).Select(k => (string)k!));
            // Between pages: delete some keys not yet necessarily seen, add new ones.
            for (int i = page * 10; i < page * 10 + 10 && i < 300; i++) _db.KeyDelete("gone:" + i);
            for (int i = 0; i < 20; i++) _db.StringSet($"new:{page}:{i}", i);
            page++;
        } while (cursor != "0" && page < 1000);
        Assert.Equal("0", cursor);
        var stay = seen.Where(k => k.StartsWith("stay:")).ToList();
        Assert.Equal(600, stay.Count);
        Assert.Equal(600, stay.Distinct().Count());
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public void AnUnknownCursor_EndsTheIteration()
    {
        for (int i = 0; i < 50; i++) _db.StringSet("k" + i, i);
        var reply = (RedisResult[])_db.Execute("SCAN", "987654321", "COUNT", "5")!;
        Assert.Equal("0", (string?)reply[0]);
        Assert.Empty((RedisResult[])reply[1]!);
    }

    [Fact]
    public void Flush_DropsTheScanSnapshots()
    {
        for (int i = 0; i < 50; i++) _db.StringSet("k" + i, i);
        var reply = (RedisResult[])_db.Execute("SCAN", "0", "COUNT", "5")!;
        string cursor = (string)reply[0]!;
        Assert.NotEqual("0", cursor);
        _db.Execute("FLUSHALL");
        // The snapshot held the flushed entries; after the flush its cursor ends the iteration.
        var after = (RedisResult[])_db.Execute("SCAN", cursor, "COUNT", "5")!;
        Assert.Equal("0", (string?)after[0]);
        Assert.Empty((RedisResult[])after[1]!);
    }
}
