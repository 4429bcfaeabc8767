using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stakker.IO.Tests;

// Each test runs a real listener on its own CoreThread on 127.0.0.1 and drives it with plain
// blocking sockets whose every read and write is bounded by a timeout. Every case runs in each
// mode: the default SocketAsyncEventArgs path, the reactor (the Core's thread in epoll) and io_uring.
public sealed class TcpStreamTests : TcpStreamCases
{
    protected override TcpIoMode Mode => TcpIoMode.SocketAsyncEventArgs;
}

public sealed class TcpStreamUringTests : TcpStreamCases
{
    protected override TcpIoMode Mode => TcpIoMode.IoUring;

    [Fact]
    public async Task Uring_IsUsedWhereTheKernelGivesARing()
    {
        using var server = NewServer(Echo);
        TcpIoMode mode = await server.Thread.InvokeAsync(TcpReactor.ModeOf).WaitAsync(TimeSpan.FromSeconds(5));
        // This project's Linux machines (CI included) give rings; elsewhere the Core keeps the default.
        Assert.Equal(OperatingSystem.IsLinux() ? TcpIoMode.IoUring : TcpIoMode.SocketAsyncEventArgs, mode);
    }
}

public sealed class TcpStreamReactorTests : TcpStreamCases
{
    protected override TcpIoMode Mode => TcpIoMode.Epoll;

    [Fact]
    public async Task Reactor_IsUsedOnLinux()
    {
        using var server = NewServer(Echo);
        bool enabled = await server.Thread.InvokeAsync(TcpReactor.IsEnabled).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64, enabled);
    }
}

public abstract class TcpStreamCases
{
    /// <summary>How the server's Core does its socket I/O</summary>
    protected abstract TcpIoMode Mode { get; }

    private protected TestServer NewServer(ConnHandler handler, TcpStreamOptions? streamOptions = null, TcpAcceptorOptions? acceptorOptions = null) =>
        new(handler, streamOptions, acceptorOptions, Mode);

    internal static void Echo(TestConn c, Cx<TestConn> cx, TcpEvent ev)
    {
        switch (ev)
        {
            case TcpEvent.Data:
                c.Stream.Write(c.Stream.Input);
                c.Stream.Consume(c.Stream.InputLength);
                break;
            case TcpEvent.ReadClosed:
                c.Stream.Shutdown();
                break;
            case TcpEvent.Closed:
                cx.Fail(c.Stream.CloseCause!);
                break;
        }
    }

    [Fact]
    public void Echo_SmallMessages_ComeBackInOrder()
    {
        using var server = NewServer(Echo);
        using var client = server.Connect();
        for (int i = 0; i < 100; i++)
        {
            byte[] msg = Encoding.ASCII.GetBytes("hello " + i);
            client.Send(msg);
            Assert.Equal(msg, client.ReadExactly(msg.Length));
        }
    }

    [Fact]
    public void Echo_ManyClientsAndLargePayload_AllBytesReturned()
    {
        using var server = NewServer(Echo);
        var clients = Enumerable.Range(0, 8).Select(_ => server.Connect()).ToArray();
        var payload = new byte[4 * 1024 * 1024];
        new Random(42).NextBytes(payload);
        var results = new byte[clients.Length][];
        // Blocking clients on dedicated threads, a reader and a writer each (or both sides' buffers
        // fill and the client deadlocks on itself). Not on the thread pool: socket completions run
        // there, and blocked pool threads would starve them.
        // A client thread's failure (a socket timeout on a starved machine) is kept and reported
        // by the test: thrown on the bare thread it would take the whole test process down.
        var threads = new List<Thread>();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        void Guarded(Action body)
        {
            try { body(); }
            catch (Exception ex) { errors.Enqueue(ex); }
        }
        for (int i = 0; i < clients.Length; i++)
        {
            int k = i;
            threads.Add(new Thread(() => Guarded(() => results[k] = clients[k].ReadExactly(payload.Length))));
            threads.Add(new Thread(() => Guarded(() => clients[k].Send(payload))));
        }
        foreach (var t in threads) t.Start();
        foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromSeconds(60)), "echo of 8 x 4 MiB did not finish in 60 s");
        Assert.Empty(errors);
        foreach (var r in results) Assert.True(payload.AsSpan().SequenceEqual(r));
        foreach (var c in clients) c.Dispose();
    }

    [Fact]
    public void HalfClose_PeerShutsDownSending_ReadClosedThenCleanStop()
    {
        using var server = NewServer(Echo);
        using var client = server.Connect();
        client.Send("abc"u8.ToArray());
        client.Shutdown(SocketShutdown.Send);
        server.Probe.Expect("ReadClosed");
        // Our echo answers the half-close with its own: the data, then end of stream.
        Assert.Equal("abc", Encoding.ASCII.GetString(client.ReadToEnd()));
        Assert.Equal("Closed Actor stopped", server.Probe.Expect("Closed"));
        Assert.StartsWith("Ended 1 Stopped", server.Probe.Expect("Ended"));
    }

    [Fact]
    public void Reset_PeerAborts_ActorFailsWithSocketException()
    {
        using var server = NewServer(Echo);
        var client = server.Connect();
        client.Send("x"u8.ToArray());
        Assert.Equal("x"u8.ToArray(), client.ReadExactly(1));
        client.LingerState = new LingerOption(true, 0);
        client.Close();
        string closed = server.Probe.Expect("Closed");
        Assert.Contains("failed", closed, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Ended 1 Failed SocketException", server.Probe.Expect("Ended"));
    }

    [Fact]
    public void Close_AfterWrite_PeerGetsDataThenEof()
    {
        using var server = NewServer(static (c, cx, ev) =>
        {
            if (ev == TcpEvent.Data)
            {
                c.Stream.Consume(c.Stream.InputLength);
                c.Stream.Write("bye"u8);
                c.Stream.Close();
            }
            else if (ev == TcpEvent.Closed) cx.Fail(c.Stream.CloseCause!);
        });
        using var client = server.Connect();
        client.Send("quit"u8.ToArray());
        Assert.Equal("bye", Encoding.ASCII.GetString(client.ReadToEnd()));
        Assert.StartsWith("Ended 1 Stopped", server.Probe.Expect("Ended"));
    }

    [Fact]
    public void Abort_ByServer_PeerSeesReset()
    {
        using var server = NewServer(static (c, cx, ev) =>
        {
            if (ev == TcpEvent.Data) { c.Stream.Abort(); cx.Stop(); }
        });
        using var client = server.Connect();
        client.Send("x"u8.ToArray());
        var ex = Assert.Throws<SocketException>(() => client.ReadToEnd());
        Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
    }

    [Fact]
    public void OwnerEnds_ConnectionIsClosed()
    {
        using var server = NewServer(static (c, cx, ev) => { if (ev == TcpEvent.Data) cx.Stop(); });
        using var client = server.Connect();
        client.Send("x"u8.ToArray());
        Assert.Empty(client.ReadToEnd());
        Assert.StartsWith("Ended 1 Stopped", server.Probe.Expect("Ended"));
    }

    [Fact]
    public void WriteBackPressure_SlowReader_BlockedThenWritableAfterDrain()
    {
        const int total = 64 * 1024 * 1024;
        using var server = NewServer(static (c, cx, ev) =>
        {
            // On "go", write 64 MiB in 64 KiB pieces, but only while the stream is not blocked;
            // continue on each Writable event.
            if (ev == TcpEvent.Data) c.Stream.Consume(c.Stream.InputLength);
            if (ev is not (TcpEvent.Data or TcpEvent.Writable)) return;
            var chunk = new byte[65536];
            while (c.Bytes < total && !c.Stream.IsWriteBlocked)
            {
                c.Stream.Write(chunk);
                c.Bytes += chunk.Length;
            }
            if (c.Stream.IsWriteBlocked) c.Probe.Add("Blocked at " + c.Bytes + " pending " + c.Stream.OutputPending);
            if (c.Bytes >= total) c.Probe.Add("AllWritten");
        });
        using var client = server.Connect();
        client.Send("go"u8.ToArray());
        server.Probe.Expect("Blocked");
        // Nobody reads: the server must stay blocked, far short of the total.
        Assert.False(server.Probe.Sees("AllWritten", 300));
        long got = 0;
        var buf = new byte[1 << 20];
        while (got < total)
        {
            int n = client.Receive(buf);
            Assert.NotEqual(0, n);
            got += n;
        }
        Assert.Equal(total, got);
        server.Probe.Expect("AllWritten");
    }

    [Fact]
    public void ReadPausing_ActorDoesNotConsume_PeerIsHeldBackAndResumesAfterConsume()
    {
        var options = new TcpStreamOptions { ReadBufferSize = 4096, ReadLimit = 64 * 1024 };
        using var server = NewServer(static (c, cx, ev) => { }, options);
        using var client = server.Connect();
        // The flood below stops at the first 300 ms stall: the connection must be accepted by then
        // (a first accept in a fresh process can take that long while the JIT warms up).
        server.Probe.Expect("Accepted");
        client.SendTimeout = 300;
        client.SendBufferSize = 64 * 1024;
        var chunk = new byte[16 * 1024];
        long sent = 0;
        // Send until the send times out: the server holds 64 KiB and the kernel's buffers the rest.
        var ex = Record.Exception(() => { for (int i = 0; i < 10_000; i++) { client.Send(chunk); sent += chunk.Length; } });
        Assert.IsType<SocketException>(ex);
        Assert.True(sent < 64 * 1024 * 1024, $"sent {sent} bytes without the server reading: reading did not pause");
        // The client can stall before the first receive's completion has reached the actor (on the
        // SocketAsyncEventArgs path it crosses threads): wait for the actor's first Data event.
        server.Probe.Expect("Data");
        int buffered = server.OnListener(l => ConnInput(l));
        Assert.True(buffered <= 64 * 1024, $"server buffered {buffered} bytes, above its read limit");
        Assert.True(buffered > 0, $"server buffered {buffered} bytes");
        // The actor consumes everything: reading resumes, and what the kernel held back arrives. (Whether
        // the client may then send again is TCP's business: with loopback's 64 KiB segments the
        // receiver may keep its window shut until more than one read limit has been drained.)
        // The client's stalled send shows reading is paused at the limit, so no Data event is on its
        // way: one that follows the consume is new input.
        server.Probe.Clear();
        server.OnListener(l => { l.Conns.Values.First().Actor.Query(static (a, cx) => { a.Stream.Consume(a.Stream.InputLength); return 0; }); return 0; });
        Assert.True(server.Probe.Sees("Data", 5000), "reading did not resume after the actor consumed its input");
    }

    [Fact]
    public void ReadPaused_PeerCloses_StillNoticed_AndWhatItSentIsRead()
    {
        // The actor never consumes: reading pauses at the limit with more waiting in the kernel. The
        // peer then closes; the stream must notice (not sit in CLOSE-WAIT), read what is left and
        // report the end of stream.
        var options = new TcpStreamOptions { ReadBufferSize = 4096, ReadLimit = 64 * 1024 };
        using var server = NewServer(static (c, cx, ev) => { if (ev == TcpEvent.ReadClosed) c.Probe.Add("Input " + c.Stream.InputLength); }, options);
        using var client = server.Connect();
        server.Probe.Expect("Accepted");
        // More than the limit, but little enough for the kernel to take the rest: the FIN must not be
        // stuck behind unsent data in the client's own buffer.
        var data = new byte[96 * 1024];
        client.Send(data);
        Assert.True(server.Probe.Sees("Data", 5000));
        client.Shutdown(SocketShutdown.Send);
        client.Close();
        server.Probe.Expect("ReadClosed", 10_000);
        Assert.Equal("Input " + data.Length, server.Probe.Expect("Input"));
    }

    [Fact]
    public void PauseReading_PeerCloses_StillNoticed()
    {
        using var server = NewServer(static (c, cx, ev) =>
        {
            if (ev == TcpEvent.Data) c.Stream.PauseReading();
            if (ev == TcpEvent.ReadClosed) c.Stream.Close();
            if (ev == TcpEvent.Closed) cx.Stop();
        });
        using var client = server.Connect();
        client.Send("x"u8.ToArray());
        server.Probe.Expect("Data");
        client.Shutdown(SocketShutdown.Send);
        server.Probe.Expect("ReadClosed", 10_000);
        Assert.Empty(client.ReadToEnd());
        server.Probe.Expect("Ended");
    }

    static int ConnInput(TestListener l) => l.Conns.Count == 1 ? l.Conns.Values.First().Actor.Query(static (a, cx) => a.Stream.InputLength) : -1;

    [Fact]
    public void AcceptLimit_ThirdConnectionWaitsUntilOneCloses()
    {
        using var server = NewServer(Echo, acceptorOptions: new TcpAcceptorOptions { MaxConnections = 2 });
        using var a = server.Connect();
        using var b = server.Connect();
        server.Probe.Expect("Accepted 1");
        server.Probe.Expect("Accepted 2");
        using var c = server.Connect();   // completes in the kernel's backlog
        c.Send("c"u8.ToArray());
        Assert.False(server.Probe.Sees("Accepted 3", 300));
        Assert.Equal(2, server.OnListener(_ => server.Acceptor!.LiveConnections));
        a.Shutdown(SocketShutdown.Send);
        Assert.Empty(a.ReadToEnd());
        server.Probe.Expect("Accepted 3");
        Assert.Equal("c"u8.ToArray(), c.ReadExactly(1));
    }
}
