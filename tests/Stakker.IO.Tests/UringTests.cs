using System.Net.Sockets;
using System.Text;

namespace Stakker.IO.Tests;

// The io_uring backend's own limits: a ring smaller than the operations in flight, and sockets that
// come and go (a slot is reused only once every completion of its last socket came back).
public sealed class UringTests
{
    static bool RingAvailable()
    {
        using var core = new Core(Instant.Zero);
        return TcpReactor.TryEnable(core, TcpIoMode.IoUring);
    }

    static int Registered(TestServer server)
    {
        var t = server.Thread.InvokeAsync(core => ((UringBackend)IoDriver.Chosen(core)!).Loop.Registered);
        if (!t.Wait(TimeSpan.FromSeconds(5))) throw new TimeoutException("The Core did not answer within 5 s");
        return t.Result;
    }

    [Fact]
    public void RingOfEightEntries_TwoHundredClients_EveryEchoArrives()
    {
        Assert.True(RingAvailable(), "this machine's kernel gives no io_uring (the project's CI machines do)");
        // 200 receives are in flight at once, 25 times the submission ring and 6 times the completion
        // ring: submissions go out early when the ring fills, completions wait in the kernel's overflow.
        using var server = new TestServer(TcpStreamCases.Echo, mode: TcpIoMode.IoUring, ringEntries: 8);
        var clients = Enumerable.Range(0, 200).Select(_ => server.Connect()).ToArray();
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < clients.Length; i++) clients[i].Send(Encoding.ASCII.GetBytes($"c{i:D3}r{round}"));
            for (int i = 0; i < clients.Length; i++)
                Assert.Equal($"c{i:D3}r{round}", Encoding.ASCII.GetString(clients[i].ReadExactly(6)));
        }
        foreach (var c in clients) c.Dispose();
    }

    [Fact]
    public void ConnectionsComeAndGo_ClosedByEitherSide_NoRegistrationIsLeftBehind()
    {
        Assert.True(RingAvailable(), "this machine's kernel gives no io_uring (the project's CI machines do)");
        using var server = new TestServer(TcpStreamCases.Echo, mode: TcpIoMode.IoUring, ringEntries: 64);
        int baseline = Registered(server);   // the listener
        for (int batch = 0; batch < 20; batch++)
        {
            var clients = Enumerable.Range(0, 100).Select(_ => server.Connect()).ToArray();
            foreach (var c in clients) c.Send("ping"u8.ToArray());
            foreach (var c in clients) Assert.Equal("ping", Encoding.ASCII.GetString(c.ReadExactly(4)));
            // Half close politely, half reset: both leave with operations still in the ring.
            for (int i = 0; i < clients.Length; i++)
            {
                if (i % 2 == 0) clients[i].Shutdown(SocketShutdown.Send);
                else clients[i].LingerState = new LingerOption(true, 0);
                clients[i].Dispose();
            }
        }
        // Then the server drops idle connections, each with a receive in flight: cancelled, and the
        // slot is free only once the cancelled receive has come back.
        server.Probe.Clear();
        var idle = Enumerable.Range(0, 500).Select(_ => server.Connect()).ToArray();
        foreach (var _ in idle) server.Probe.Expect("Accepted", 20_000);
        Assert.Equal(idle.Length, server.OnListener(l => l.Conns.Count));
        server.OnListener(l => { l.DropAll(); return 0; });
        foreach (var c in idle)
        {
            Assert.Empty(c.ReadToEnd());   // the server's close reaches every client
            c.Dispose();
        }
        // Every connection actor ends, and its slot comes back once its cancelled operations complete:
        // completions the kernel gives in its own time. Each look is a turn of the Core (which is
        // also when completions are taken), so the loop waits on the Core, not on a clock (at most 20 s).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        int left;
        while ((left = Registered(server)) != baseline && DateTime.UtcNow < deadline) { }
        Assert.Equal(baseline, left);
    }
}
