using Stakker.Redis;

namespace Stakker.Redis.Tests;

// Keyspace notifications on real sockets: a subscriber to every channel, a writer, and the events in the
// order redis-server 7.0 sends them. The server's Core runs on a manual clock, so expiry is exact.
public sealed class KeyspaceEventTests() : KeyspaceEventCases(1);

public sealed class KeyspaceEventOn2CoresTests() : KeyspaceEventCases(2);

public sealed class KeyspaceEventOn4CoresTests() : KeyspaceEventCases(4);

public abstract class KeyspaceEventCases : IDisposable
{
    readonly ManualTime _time = new();
    readonly RedisHost _host;
    readonly RawClient _writer;
    readonly RawClient _subscriber;
    readonly int _cores;

    protected KeyspaceEventCases(int cores)
    {
        _cores = cores;
        _host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores }, _time);
        _writer = new RawClient(_host.Port);
        _subscriber = new RawClient(_host.Port);
        Assert.Equal("[psubscribe,*,:1]", _subscriber.Call("PSUBSCRIBE", "*"));
    }

    public void Dispose()
    {
        _subscriber.Dispose();
        _writer.Dispose();
        _host.Dispose();
    }

    /// <summary>The next message as "channel payload"</summary>
    string NextEvent()
    {
        string m = _subscriber.ReadReply();
        Assert.StartsWith("[pmessage,*,", m);
        string[] parts = m[1..^1].Split(',');
        return parts[2] + " " + parts[3];
    }

    /// <summary>A message published after the writes: everything the subscriber reads before it was an event</summary>
    List<string> EventsUntilMarker()
    {
        Assert.Equal(":1", _writer.Call("PUBLISH", "marker", "end"));
        var events = new List<string>();
        for (string e = NextEvent(); e != "marker end"; e = NextEvent()) events.Add(e);
        return events;
    }

    [Fact]
    public void NoClassEnabled_PublishesNothing()
    {
        _writer.Call("SET", "k", "v");
        _writer.Call("LPUSH", "l", "a");
        _writer.Call("DEL", "k", "l");
        Assert.Empty(EventsUntilMarker());
    }

    [Fact]
    public void KeyspaceAndKeyevent_InRedisOrder_WithNewAndDelOfEmptiedList()
    {
        Assert.Equal("+OK", _writer.Call("CONFIG", "SET", "notify-keyspace-events", "KEln"));
        _writer.Call("SET", "ignored", "v");   // a string event: class $ is off
        _writer.Call("RPUSH", "l", "a");
        _writer.Call("LPOP", "l");
        Assert.Equal(
        [
            "__keyspace@0__:ignored new", "__keyevent@0__:new ignored",
            "__keyspace@0__:l new", "__keyevent@0__:new l",
            "__keyspace@0__:l rpush", "__keyevent@0__:rpush l",
            "__keyspace@0__:l lpop", "__keyevent@0__:lpop l",
        ], EventsUntilMarker());
    }

    [Fact]
    public void GenericEvents_DelWhenEmptied_RenameAndMoveAcrossDatabases()
    {
        _writer.Call("CONFIG", "SET", "notify-keyspace-events", "EA");
        _writer.Call("SADD", "s", "x");
        _writer.Call("SREM", "s", "nosuch");   // nothing removed: no event
        _writer.Call("SREM", "s", "x");
        _writer.Call("SET", "a", "1", "EX", "100");
        _writer.Call("RENAME", "a", "b");
        _writer.Call("MOVE", "b", "3");
        Assert.Equal(
        [
            "__keyevent@0__:sadd s", "__keyevent@0__:srem s", "__keyevent@0__:del s",
            "__keyevent@0__:set a", "__keyevent@0__:expire a",
            "__keyevent@0__:rename_from a", "__keyevent@0__:rename_to b",
            "__keyevent@0__:move_from b", "__keyevent@3__:move_to b",
        ], EventsUntilMarker());
    }

    [Fact]
    public void LMPop_AndBLMPop_OnePopEventPerCommand_ThenDel()
    {
        _writer.Call("RPUSH", "l", "a", "b", "c");
        _writer.Call("CONFIG", "SET", "notify-keyspace-events", "El");
        _writer.Call("LMPOP", "2", "nosuch", "l", "LEFT", "COUNT", "2");
        _writer.Call("BLMPOP", "0", "1", "l", "RIGHT", "COUNT", "5");
        _writer.Call("CONFIG", "SET", "notify-keyspace-events", "Eg");
        _writer.Call("RPUSH", "l", "x");
        _writer.Call("LMPOP", "1", "l", "LEFT");
        Assert.Equal(["__keyevent@0__:lpop l", "__keyevent@0__:rpop l", "__keyevent@0__:del l"], EventsUntilMarker());
    }

    [Fact]
    public void ZMPop_AndBZMPop_PopMinOrMax_ThenDel()
    {
        _writer.Call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        _writer.Call("CONFIG", "SET", "notify-keyspace-events", "Ezg");
        _writer.Call("ZMPOP", "1", "z", "MIN", "COUNT", "2");
        _writer.Call("BZMPOP", "0", "1", "z", "MAX", "COUNT", "9");
        Assert.Equal(["__keyevent@0__:zpopmin z", "__keyevent@0__:zpopmax z", "__keyevent@0__:del z"], EventsUntilMarker());
    }

    [Fact]
    public void ZStoreCommands_NameTheirEvent_AndAnEmptyResultDeletes()
    {
        _writer.Call("ZADD", "z1", "1", "a", "2", "b");
        _writer.Call("ZADD", "z2", "1", "b");
        _writer.Call("CONFIG", "SET", "notify-keyspace-events", "KEA");
        _writer.Call("ZUNIONSTORE", "d", "2", "z1", "z2");
        _writer.Call("ZINTERSTORE", "d", "2", "z1", "z2");
        _writer.Call("ZDIFFSTORE", "d", "2", "z1", "z2");
        _writer.Call("ZINTERSTORE", "d", "2", "z1", "nosuch");   // empty: d deleted
        _writer.Call("ZINTERSTORE", "d", "2", "z1", "nosuch");   // empty, d already gone: nothing
        _writer.Call("ZRANGESTORE", "r", "z1", "0", "-1");
        _writer.Call("ZRANGESTORE", "r", "z1", "5", "6");
        Assert.Equal(
        [
            "__keyspace@0__:d zunionstore", "__keyevent@0__:zunionstore d",
            "__keyspace@0__:d zinterstore", "__keyevent@0__:zinterstore d",
            "__keyspace@0__:d zdiffstore", "__keyevent@0__:zdiffstore d",
            "__keyspace@0__:d del", "__keyevent@0__:del d",
            "__keyspace@0__:r zrangestore", "__keyevent@0__:zrangestore r",
            "__keyspace@0__:r del", "__keyevent@0__:del r",
        ], EventsUntilMarker());
    }

    [Fact]
    public void Copy_IsCopyToInTheTargetDatabase_AndAMissingSourceIsAKeymiss()
    {
        _writer.Call("SET", "s", "v", "EX", "100");
        _writer.Call("CONFIG", "SET", "notify-keyspace-events", "Egnm");
        _writer.Call("COPY", "s", "c");
        _writer.Call("COPY", "s", "c");   // exists, no REPLACE: nothing
        _writer.Call("COPY", "s", "c", "DB", "2");
        _writer.Call("COPY", "nosuch", "c");
        Assert.Equal(
        [
            "__keyevent@0__:new c", "__keyevent@0__:copy_to c",
            "__keyevent@2__:new c", "__keyevent@2__:copy_to c",
            "__keyevent@0__:keymiss nosuch",
        ], EventsUntilMarker());
    }

    [Fact]
    public void SortStore_IsSortstore_OverwritesWithoutNew_AndAnEmptyResultDeletes()
    {
        _writer.Call("RPUSH", "l", "3", "1", "2");
        _writer.Call("CONFIG", "SET", "notify-keyspace-events", "Elgn");
        _writer.Call("SORT", "l", "STORE", "o");
        _writer.Call("SORT", "l", "STORE", "o");
        _writer.Call("SORT", "nosuch", "STORE", "o");
        _writer.Call("SORT", "nosuch", "STORE", "o");
        Assert.Equal(
        [
            "__keyevent@0__:new o", "__keyevent@0__:sortstore o",
            "__keyevent@0__:sortstore o",
            "__keyevent@0__:del o",
        ], EventsUntilMarker());
        Assert.Equal(":0", _writer.Call("EXISTS", "o"));
    }

    [Fact]
    public void ExpiredEvent_FromTheTimer_WithoutAnyRead()
    {
        _writer.Call("CONFIG", "SET", "notify-keyspace-events", "Ex");
        _writer.Call("PSETEX", "k", "100", "v");
        _time.Advance(TimeSpan.FromMilliseconds(100));
        _host.Nudge();
        Assert.Equal("__keyevent@0__:expired k", NextEvent());
        Assert.Equal(":0", _writer.Call("EXISTS", "k"));
    }

    [Fact]
    public void BlockedPopServedByAPush_EmitsThePushThenThePop()
    {
        _writer.Call("CONFIG", "SET", "notify-keyspace-events", "El");
        using var blocked = new RawClient(_host.Port);
        blocked.Send(RawClient.Frame("BLPOP", "q", "0"));
        // Once CLIENT LIST shows the BLPOP, it is queued on the keyspace ahead of the push.
        for (int tries = 0; !_writer.Call("CLIENT", "LIST").Contains("cmd=blpop"); tries++) Assert.True(tries < 10_000);
        _writer.Call("RPUSH", "q", "x");
        Assert.Equal("[q,x]", blocked.ReadReply());
        Assert.Equal(["__keyevent@0__:rpush q", "__keyevent@0__:lpop q"], EventsUntilMarker());
    }

    [Fact]
    public void ConfigGet_AnswersRedisLetters_AndABadLetterIsRefusedWhole()
    {
        _writer.Call("CONFIG", "SET", "notify-keyspace-events", "$lshzxeKE");
        Assert.Equal("[notify-keyspace-events,$lshzxeKE]", _writer.Call("CONFIG", "GET", "notify-keyspace-events"));
        _writer.Call("CONFIG", "SET", "notify-keyspace-events", "KAn");
        Assert.Equal("[notify-keyspace-events,AK]", _writer.Call("CONFIG", "GET", "notify-keyspace-events"));
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
            _writer.Call("CONFIG", "SET", "notify-keyspace-events", "KEQ"));
        Assert.Equal("[notify-keyspace-events,AK]", _writer.Call("CONFIG", "GET", "notify-keyspace-events"));
    }

    [Fact]
    public void Eviction_UnderAnEvictingPolicy_DeletesKeysWithTheEvictedEvent()
    {
        _writer.Call("CONFIG", "SET", "notify-keyspace-events", "Ee");
        _writer.Call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        _writer.Call("SET", "foo", "bar");
        _writer.Call("CONFIG", "SET", "maxmemory", "1");
        Assert.Equal("__keyevent@0__:evicted foo", NextEvent());
        _writer.Call("CONFIG", "SET", "maxmemory", "0");
        Assert.Equal(":0", _writer.Call("DBSIZE"));
    }

    [Fact]
    public void Eviction_IsBoundedPerCall_AndTheNextWriteEvictsTheRest()
    {
        // Every shard of a server of several Cores evicts its own keys, up to the bound each: enough keys that
        // each shard likely has more than the bound, and the count left computed from each shard's keys.
        int n = _cores * (Keyspace.MaxEvictionsPerCall + 5);
        var perShard = new int[_cores];
        var mset = new List<string> { "MSET" };
        for (int i = 0; i < n; i++) { mset.Add("k" + i); mset.Add("v"); perShard[ShardedServer.ShardOf(_cores, "k" + i)]++; }
        Assert.Equal("+OK", _writer.Call([.. mset]));
        _writer.Call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
        _writer.Call("CONFIG", "SET", "maxmemory", "1");
        Assert.Equal(":" + perShard.Sum(k => Math.Max(0, k - Keyspace.MaxEvictionsPerCall)), _writer.Call("DBSIZE"));
        // A command that may grow memory evicts again before it runs (and is not refused).
        Assert.Equal("+OK", _writer.Call("SET", "new", "v"));
        Assert.Equal(":1", _writer.Call("DBSIZE"));
        _writer.Call("CONFIG", "SET", "maxmemory", "0");
    }

    [Fact]
    public void Eviction_VolatilePolicy_LeavesKeysWithoutExpiry()
    {
        _writer.Call("SET", "keep", "v");
        _writer.Call("SET", "drop", "v", "EX", "100");
        _writer.Call("CONFIG", "SET", "maxmemory-policy", "volatile-ttl");
        _writer.Call("CONFIG", "SET", "maxmemory", "1");
        Assert.Equal("[keep]", _writer.Call("KEYS", "*"));
        _writer.Call("CONFIG", "SET", "maxmemory", "0");
    }
}

public sealed class KeyspaceEventSettingsTests
{
    [Theory]
    [InlineData("KA", "AK")]
    [InlineData("gKE", "gKE")]
    [InlineData("$lshzxeKE", "$lshzxeKE")]
    [InlineData("An", "A")]
    [InlineData("nmKE", "nKEm")]
    [InlineData("gg", "g")]
    [InlineData("", "")]
    public void Format_IsRedisOrder(string set, string got)
    {
        Assert.True(KeyspaceEventSettings.TryParse(set, out NotifyClass c));
        Assert.Equal(got, KeyspaceEventSettings.Format(c));
    }

    [Fact]
    public void All_LeavesOutKeyMissAndNew()
    {
        Assert.True(KeyspaceEventSettings.TryParse("A", out NotifyClass c));
        Assert.Equal(0, (int)(c & (NotifyClass.KeyMiss | NotifyClass.New | NotifyClass.Keyspace | NotifyClass.Keyevent)));
        Assert.False(KeyspaceEventSettings.TryParse("Kx?", out _));
    }}
