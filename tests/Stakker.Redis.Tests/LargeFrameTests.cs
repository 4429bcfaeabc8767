using Stakker.IO;
using System.Text;

namespace Stakker.Redis.Tests;

// Frames far larger than the connection's 1 MiB read limit, as redis-cli sends them, on a real
// socket to a server on its own thread; each case runs on both socket paths.
public sealed class LargeFrameTests() : LargeFrameCases(TcpIoMode.Epoll);

public sealed class LargeFrameUringTests() : LargeFrameCases(TcpIoMode.IoUring);

public sealed class LargeFrameSocketAsyncTests() : LargeFrameCases(TcpIoMode.SocketAsyncEventArgs);

public sealed class LargeFrameOn2CoresTests() : LargeFrameCases(TcpIoMode.Epoll, 2);

public sealed class LargeFrameOn4CoresTests() : LargeFrameCases(TcpIoMode.Epoll, 4);

public abstract class LargeFrameCases(TcpIoMode io, int cores = 1) : IDisposable
{
    readonly RedisHost _host = RedisHost.Start(new RedisServerOptions { Port = 0, Io = io, Cores = cores });

    public void Dispose() => _host.Dispose();

    static byte[] Bytes(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void RpushOf150000Elements_IsAnswered()
    {
        // About 1.7 MB in one frame whose argument boundaries all lie past the first MiB.
        var args = new List<byte[]> { Bytes("RPUSH"), Bytes("l") };
        for (int i = 0; i < 150_000; i++) args.Add(Bytes("element" + i));
        using var c = new RawClient(_host.Port);
        c.Send(RawClient.Frame(args));
        Assert.Equal(":150000", c.ReadReply());
        Assert.Equal("[element149999]", c.Call("LRANGE", "l", "-1", "-1"));
    }

    [Fact]
    public void MsetOfThree600KbValues_IsAnswered()
    {
        var args = new List<byte[]> { Bytes("MSET") };
        for (int i = 0; i < 3; i++)
        {
            args.Add(Bytes("k" + i));
            args.Add(Enumerable.Repeat((byte)('a' + i), 600_000).ToArray());
        }
        using var c = new RawClient(_host.Port);
        c.Send(RawClient.Frame(args));
        Assert.Equal("+OK", c.ReadReply());
        Assert.Equal(":600000", c.Call("STRLEN", "k2"));
        Assert.Equal(new string('c', 600_000), c.Call("GET", "k2"));
    }

    [Fact]
    public void OverAMillionArguments_AreOneCommand()
    {
        var args = new List<byte[]>(1_100_002) { Bytes("RPUSH"), Bytes("big") };
        byte[] x = Bytes("x");
        for (int i = 0; i < 1_100_000; i++) args.Add(x);
        using var c = new RawClient(_host.Port, timeoutMs: 30_000);
        c.Send(RawClient.Frame(args));
        Assert.Equal(":1100000", c.ReadReply());
        Assert.Equal("+PONG", c.Call("PING"));
    }

    [Fact]
    public void A64MbValue_SentInPieces_IsStored()
    {
        var value = new byte[64 * 1024 * 1024];
        Array.Fill(value, (byte)'v');
        byte[] frame = RawClient.Frame([Bytes("SET"), Bytes("huge"), value]);
        using var c = new RawClient(_host.Port, timeoutMs: 30_000);
        // In uneven pieces, so that headers and data are split across reads.
        for (int at = 0; at < frame.Length; at += 777_777) c.Send(frame[at..Math.Min(frame.Length, at + 777_777)]);
        Assert.Equal("+OK", c.ReadReply());
        Assert.Equal(":" + value.Length, c.Call("STRLEN", "huge"));
    }

    [Fact]
    public void ClientGivingUpHalfwayThroughALargeFrame_IsForgotten()
    {
        // Half a 1.5 MB frame, then the client goes away: the server must notice and drop the connection.
        var args = new List<byte[]> { Bytes("RPUSH"), Bytes("l") };
        for (int i = 0; i < 150_000; i++) args.Add(Bytes("element" + i));
        byte[] frame = RawClient.Frame(args);
        using (var c = new RawClient(_host.Port))
        {
            Assert.Equal("+PONG", c.Call("PING"));
            c.Send(frame[..(frame.Length / 2)]);
            c.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            Assert.True(c.ServerClosed());
        }
        using var other = new RawClient(_host.Port);
        Assert.Equal("+PONG", other.Call("PING"));
        Assert.Equal(":0", other.Call("EXISTS", "l"));
    }
}
