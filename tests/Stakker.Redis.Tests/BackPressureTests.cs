using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Stakker.Redis.Tests;

// A connection's input is held back both by its pending output and by the replies it awaits; a client
// that closes its side after sending still gets every reply. Both found by the live fuzzer
// (Fuzz/LiveServerFuzzTests.cs): a slow reader pipelining GETs of a large value made the server buffer
// all their replies and stalled every other client for seconds; a half-closed client lost the replies
// past the output high-water mark.
public sealed partial class BackPressureTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void HalfClosedClient_GetsEveryReply_PastTheOutputHighWaterMark()
    {
        // A few kilobytes of GETs whose replies are 10 MB: the whole request and the end of the client's side
        // reach the server at once (no send waits for the server to read), and the server's output passes
        // its high-water mark with most of the GETs still unparsed. One Core: the case is the connection's.
        using var host = RedisHost.Start(new RedisServerOptions { Port = 0 });
        using var c = new RawClient(host.Port, timeoutMs: 30_000);
        string value = new('e', 100_000);
        Assert.Equal("+OK", c.Call("SET", "big", value));
        byte[] get = RawClient.Frame("GET", "big");
        var all = new byte[get.Length * 100];
        for (int i = 0; i < 100; i++) get.CopyTo(all, i * get.Length);
        c.Send(all);
        c.Socket.Shutdown(SocketShutdown.Send);
        for (int i = 0; i < 100; i++) Assert.Equal(value, c.ReadReply());
        Assert.True(c.ServerClosed());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void HalfClosedClient_PipeliningPastThePendingLimit_GetsEveryReply(int cores)
    {
        using var host = RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores });
        using var c = new RawClient(host.Port, timeoutMs: 30_000);
        var frames = new MemoryStream();
        for (int i = 0; i < 10 * Client.MaxPending; i++) frames.Write(RawClient.Frame("INCR", "n"));
        c.Send(frames.ToArray());
        c.Socket.Shutdown(SocketShutdown.Send);
        for (int i = 1; i <= 10 * Client.MaxPending; i++) Assert.Equal(":" + i, c.ReadReply());
        Assert.True(c.ServerClosed());
    }

    [Fact]
    public void SlowReader_OfPipelinedLargeGets_IsHeldBack_ThenGetsEveryReply()
    {
        if (!OperatingSystem.IsLinux()) return;   // reads /proc
        using var server = new ServerProcess();
        using var admin = new RawClient(server.Port, timeoutMs: 30_000);
        string big = new('b', 100_000);
        Assert.Equal("+OK", admin.Call("SET", "big", big));
        long before = server.RssBytes();

        const int Gets = 300;   // 30 MB of replies
        using var slow = new RawClient(server.Port, timeoutMs: 30_000);
        byte[] get = RawClient.Frame("GET", "big");
        var burst = new byte[get.Length * Gets];
        for (int i = 0; i < Gets; i++) get.CopyTo(burst, i * get.Length);
        slow.Send(burst);   // 66 KB: the kernel takes it all

        // Wait until the server has run what it will of them while nobody reads.
        long calls = -1, last;
        var steady = Stopwatch.StartNew();
        do
        {
            last = calls;
            Thread.Sleep(200);
            calls = GetCalls(admin);
        }
        while ((calls != last || calls == 0) && steady.Elapsed < TimeSpan.FromSeconds(20));
        Assert.Equal("+PONG", admin.Call("PING"));
        output.WriteLine($"{calls} GETs run in {steady.Elapsed.TotalSeconds:F1} s while the client read nothing; RSS +{(server.RssBytes() - before) >> 20} MB");
        // Held back: the replies that fill the output past its high-water mark, and at most the
        // pending limit more, not all 300 (which buffered 30 MB and more before).
        Assert.InRange(calls, 1, 3 * Client.MaxPending);
        long grown = server.RssBytes() - before;
        Assert.True(grown < 24 << 20, $"the server grew by {grown >> 20} MB for one client that reads nothing");

        for (int i = 0; i < Gets; i++) Assert.Equal(big, slow.ReadReply());
        Assert.Equal("+PONG", slow.Call("PING"));
    }

    static long GetCalls(RawClient admin)
    {
        Match m = GetStat().Match(admin.Call("INFO", "commandstats"));
        return m.Success ? long.Parse(m.Groups[1].Value) : 0;
    }

    [GeneratedRegex(@"cmdstat_get:calls=(\d+)")]
    private static partial Regex GetStat();
}
