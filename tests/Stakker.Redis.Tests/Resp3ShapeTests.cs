using Stakker.Redis;

namespace Stakker.Redis.Tests;

// The RESP3 shapes of data replies after HELLO 3, byte for byte as redis-server 7.0.15 sends them, and the
// same commands unchanged in RESP2.
public sealed class Resp3ShapeTests() : Resp3ShapeCases(1);

public sealed class Resp3ShapeOn2CoresTests() : Resp3ShapeCases(2);

public sealed class Resp3ShapeOn4CoresTests() : Resp3ShapeCases(4);

public abstract class Resp3ShapeCases : IDisposable
{
    readonly RedisHost _host;
    readonly RawClient _c;

    protected Resp3ShapeCases(int cores)
    {
        _host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores });
        _c = new RawClient(_host.Port);
        _c.Call("ZADD", "z", "1", "a", "2.5", "b");
        _c.Call("HSET", "h", "f", "v");
        _c.Call("SADD", "s", "m");
    }

    public void Dispose()
    {
        _c.Dispose();
        _host.Dispose();
    }

    /// <summary>Sends a command and reads exactly the bytes <paramref name="expected"/> has</summary>
    void Expect(string expected, params string[] args)
    {
        _c.Send(RawClient.Frame(args));
        Assert.Equal(expected, _c.ReadRaw(expected.Length));
    }

    [Fact]
    public void Resp3_DoublesSetsMapsAndScorePairs()
    {
        _c.Call("HELLO", "3");
        Expect(",2.5\r\n", "ZSCORE", "z", "b");
        Expect(",3.5\r\n", "ZINCRBY", "z", "1", "b");
        Expect("*2\r\n,1\r\n_\r\n", "ZMSCORE", "z", "a", "nosuch");
        Expect("*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,3.5\r\n", "ZRANGE", "z", "0", "-1", "WITHSCORES");
        Expect("*2\r\n$1\r\na\r\n,1\r\n", "ZPOPMIN", "z");
        Expect("*1\r\n*2\r\n$1\r\nb\r\n,3.5\r\n", "ZPOPMAX", "z", "1");
        Expect("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", "HGETALL", "h");
        Expect("%0\r\n", "HGETALL", "nosuch");
        Expect("*1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n", "HRANDFIELD", "h", "1", "WITHVALUES");
        Expect("~1\r\n$1\r\nm\r\n", "SMEMBERS", "s");
        Expect("~0\r\n", "SINTER", "s", "nosuch");
        Expect("$3\r\n1.5\r\n", "INCRBYFLOAT", "f", "1.5");
        Expect("=", "INFO", "keyspace");
    }

    [Fact]
    public void Resp2_KeepsTheFlatShapes()
    {
        Expect("$3\r\n2.5\r\n", "ZSCORE", "z", "b");
        Expect("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n", "ZRANGE", "z", "0", "-1", "WITHSCORES");
        Expect("*2\r\n$1\r\n1\r\n$-1\r\n", "ZMSCORE", "z", "a", "nosuch");
        Expect("*2\r\n$1\r\nf\r\n$1\r\nv\r\n", "HGETALL", "h");
        Expect("*1\r\n$1\r\nm\r\n", "SMEMBERS", "s");
    }

    [Fact]
    public void NoMultiCommands_AreRefusedInsideMulti_AndDoomTheTransaction()
    {
        Assert.Equal("+OK", _c.Call("MULTI"));
        Assert.Equal("-ERR Command not allowed inside a transaction", _c.Call("SAVE"));
        Assert.Equal("-EXECABORT Transaction discarded because of previous errors.", _c.Call("EXEC"));
        Assert.StartsWith("-ERR unknown command 'SAVE'", _c.Call("SAVE"));
    }
}

public sealed class RespBuilderTests
{
    static (string Resp2, string Resp3) Both(Reply r)
    {
        string Write(bool resp3)
        {
            var w = new System.Buffers.ArrayBufferWriter<byte>();
            r.WriteTo(w, resp3);
            return System.Text.Encoding.ASCII.GetString(w.WrittenSpan);
        }
        return (Write(false), Write(true));
    }

    [Fact]
    public void SameInBothProtocols_UntilAPartDiffers()
    {
        Reply plain = new RespBuilder().Array(2).Int(1).Bulk("x").ToReply();
        Assert.Equal(ReplyKind.Raw, plain.Kind);
        Assert.Equal(("*2\r\n:1\r\n$1\r\nx\r\n", "*2\r\n:1\r\n$1\r\nx\r\n"), Both(plain));

        Reply mixed = new RespBuilder().Array(3).Int(1).Score(double.PositiveInfinity).Nil().ToReply();
        Assert.Equal(("*3\r\n:1\r\n$3\r\ninf\r\n$-1\r\n", "*3\r\n:1\r\n,inf\r\n_\r\n"), Both(mixed));
    }

    [Fact]
    public void PairsAndMaps()
    {
        Reply pairs = new RespBuilder().Pairs(1).Pair().Bulk("m").Score(1e20).ToReply();
        Assert.Equal(("*2\r\n$1\r\nm\r\n$5\r\n1e+20\r\n", "*1\r\n*2\r\n$1\r\nm\r\n,1e+20\r\n"), Both(pairs));
        Reply map = new RespBuilder().Map(1).Bulk("k").Int(2).ToReply();
        Assert.Equal(("*2\r\n$1\r\nk\r\n:2\r\n", "%1\r\n$1\r\nk\r\n:2\r\n"), Both(map));
    }
}
