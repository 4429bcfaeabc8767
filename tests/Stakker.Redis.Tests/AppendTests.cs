using System.Diagnostics;
using System.Text;

namespace Stakker.Redis.Tests;

// APPEND grows a string in place with spare room (amortised), instead of copying the whole value
// each time. Real socket, server on its own thread.
public sealed class AppendTests() : AppendCases(1);

public sealed class AppendOn2CoresTests() : AppendCases(2);

public sealed class AppendOn4CoresTests() : AppendCases(4);

public abstract class AppendCases(int cores) : IDisposable
{
    readonly RedisHost _host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores });

    public void Dispose() => _host.Dispose();

    [Fact]
    public void FourThousandAppendsOf4Kb_AreLinear_AndExact()
    {
        using var c = new RawClient(_host.Port, timeoutMs: 60_000);
        var chunks = Enumerable.Range(0, 4000).Select(i => ((char)('a' + i % 26)).ToString() + new string('.', 4095)).ToArray();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pipeline = new MemoryStream();
        foreach (string chunk in chunks) pipeline.Write(RawClient.Frame("APPEND", "s", chunk));
        c.Send(pipeline.ToArray());
        for (int i = 0; i < chunks.Length; i++) Assert.Equal(":" + (i + 1) * 4096, c.ReadReply());
        // Copying the whole value on every append allocates and moves about 32 GB here (tens of
        // seconds; redis-server takes 0.1 s). Amortised growth allocates a few times the final 16 MB,
        // plus the client's frames. Counted in bytes, not seconds, so a loaded machine cannot fail it
        // (the count is process-wide: other tests running meanwhile fit in the margin).
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(allocated < 1L << 30, $"4,000 appends of 4 KiB allocated {allocated:N0} bytes");
        Assert.Equal(string.Concat(chunks), c.Call("GET", "s"));
    }

    [Fact]
    public void ValueReadBeforeAnAppend_IsNotChangedByIt()
    {
        using var c = new RawClient(_host.Port);
        Assert.Equal(":3", c.Call("APPEND", "s", "abc"));
        Assert.Equal(":6", c.Call("APPEND", "s", "def"));
        // Pipelined: the GET's reply is made before the appends that follow it fill the spare room.
        c.Send([.. RawClient.Frame("GET", "s"), .. RawClient.Frame("APPEND", "s", "ghi"), .. RawClient.Frame("GETSET", "s", "x"), .. RawClient.Frame("APPEND", "s", "y")]);
        Assert.Equal("abcdef", c.ReadReply());
        Assert.Equal(":9", c.ReadReply());
        Assert.Equal("abcdefghi", c.ReadReply());
        Assert.Equal(":2", c.ReadReply());
        Assert.Equal("[xy,(nil)]", c.Call("MGET", "s", "none"));
        Assert.Equal(":2", c.Call("STRLEN", "s"));
        Assert.Equal("+OK", c.Call("SET", "n", "41"));
        Assert.Equal(":3", c.Call("APPEND", "n", "0"));
        Assert.Equal(":411", c.Call("INCR", "n"));
    }

    [Fact]
    public void AppendToAList_IsWrongType()
    {
        using var c = new RawClient(_host.Port);
        Assert.Equal(":1", c.Call("RPUSH", "l", "a"));
        Assert.StartsWith("-WRONGTYPE", c.Call("APPEND", "l", "x"));
    }
}
