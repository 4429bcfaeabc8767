using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace Stakker.Redis.Tests.Fuzz;

/// <summary>The flagship on a real socket (on its own Core thread in this process), fed fuzzed frames by
/// many connections at once, slow readers, half-sent huge frames and thousands of connections opened
/// and dropped, while one well-behaved client checks every answer it gets; afterwards the server is
/// back to one client and the live heap back to where it was</summary>
/// <remarks>The heap, not the resident size: a .NET process keeps freed segments committed until a
/// compacting collection, so its RSS says little about leaks (tests/soak.sh samples RSS over minutes).</remarks>
/// <remarks>CI runs the storm for a few seconds; <c>STAKKER_LONG=1</c> for <c>STAKKER_FUZZ_LIVE_SECONDS</c>
/// (default 300). Each connection's behaviour and bytes come from a seed printed on failure.</remarks>
/// <remarks>Alone in its collection: it measures the process's live heap, which tests running beside it
/// would change.</remarks>
[CollectionDefinition(nameof(LiveServerFuzzTests), DisableParallelization = true)]
[Collection(nameof(LiveServerFuzzTests))]
public class LiveServerFuzzTests(ITestOutputHelper output)
{
    const int Workers = 6;

    static TimeSpan StormTime =>
        Environment.GetEnvironmentVariable("STAKKER_LONG") == "1"
            ? TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("STAKKER_FUZZ_LIVE_SECONDS"), CultureInfo.InvariantCulture, out int s) ? s : 300)
            : TimeSpan.FromSeconds(6);

    sealed class Counts
    {
        public long Resets;
        public long Connections, Known, Mutated, SlowReaders, Dropped, HalfFrames, Bytes, Replies, ValidOps;
    }

    [Fact]
    public async Task Storm_ValidClientAnsweredCorrectly_ServerBackToOneClientAndBaselineMemory()
    {
        using var server = RedisHost.Start(new RedisServerOptions { Port = 0 });
        using var admin = new RawClient(server.Port, timeoutMs: 30_000);
        Assert.Equal("+OK", admin.Call("SET", "fz:big", new string('b', 100_000)));

        // Warm up (JIT, pools, buffers of each size), then take the baseline.
        var counts = new Counts();
        Storm(server.Port, TimeSpan.FromSeconds(2), counts, seedBase: 0);
        long baseline = SettledHeap(admin);

        using var stop = new CancellationTokenSource();
        counts = new Counts();
        Counts main = counts;
        var valid = Task.Factory.StartNew(() => ValidClient(server.Port, main, stop.Token), TaskCreationOptions.LongRunning);
        var clock = Stopwatch.StartNew();
        Storm(server.Port, StormTime, counts, seedBase: 1_000_000);
        stop.Cancel();
        await valid;   // throws what the valid client saw wrong
        double seconds = clock.Elapsed.TotalSeconds;

        Assert.False(server.Completion.IsCompleted, "the server stopped");
        // Connections that ended just now may still be letting go of their buffers: give it a few seconds.
        long after = SettledHeap(admin);
        for (var settle = Stopwatch.StartNew(); after > baseline + (8 << 20) && settle.Elapsed < TimeSpan.FromSeconds(10); after = SettledHeap(admin))
            Thread.Sleep(200);
        output.WriteLine($"storm: {seconds:F1} s, {counts.Connections:N0} connections ({counts.Known:N0} known streams, {counts.Mutated:N0} mutated, " +
            $"{counts.SlowReaders:N0} slow readers, {counts.HalfFrames:N0} half-sent huge frames, {counts.Dropped:N0} opened and dropped), " +
            $"{counts.Bytes:N0} bytes sent, {counts.Replies:N0} replies checked ({counts.Resets:N0} known streams reset after their protocol error); valid client: {counts.ValidOps:N0} commands, all answered correctly; " +
            $"live heap {baseline / 1e6:F1} MB before, {after / 1e6:F1} MB after");
        Assert.True(counts.ValidOps > 0);
        // A few MB of slack: pools and buffers kept by size class, the keyspace's own small keys.
        Assert.True(after <= baseline + (8 << 20), $"live heap {after / 1e6:F1} MB after the storm, {baseline / 1e6:F1} MB before");
    }

    /// <summary>Waits until only the admin connection is left, then measures the live heap</summary>
    static long SettledHeap(RawClient admin)
    {
        var deadline = Stopwatch.StartNew();
        string clients;
        while ((clients = Info(admin, "connected_clients")) != "1")
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"{clients} clients still connected 30 s after the storm");
            Thread.Sleep(50);
        }
        // Twice: finalizers of dropped sockets release what the first collection found.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    static string Info(RawClient c, string field)
    {
        string info = c.Call("INFO", "clients");
        foreach (string line in info.Split('\n'))
            if (line.StartsWith(field + ":", StringComparison.Ordinal)) return line[(field.Length + 1)..].Trim();
        return "?";
    }

    static void Storm(int port, TimeSpan time, Counts counts, int seedBase)
    {
        var until = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Factory.StartNew(() =>
        {
            for (int i = 0; until.Elapsed < time; i++)
            {
                int seed = seedBase + w * 100_000 + i;
                try { OneConnection(port, seed, counts); }
                catch (Exception ex) when (ex is not FuzzFailure)
                {
                    throw new FuzzFailure($"connection seed {seed}: {ex}");
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        // And connections opened and dropped at once, all the while, at up to 400 a second: unpaced,
        // one thread outruns the accept backlog and the workers' connects time out in the kernel.
        var churn = Task.Factory.StartNew(() =>
        {
            long made = 0;
            while (until.Elapsed < time)
            {
                if (made > until.Elapsed.TotalSeconds * 400) { Thread.Sleep(1); continue; }
                Drop(Connect(port, 5000));
                made++;
                Interlocked.Increment(ref counts.Dropped);
                Interlocked.Increment(ref counts.Connections);
            }
        }, TaskCreationOptions.LongRunning);
        Task.WaitAll([.. workers, churn]);
    }

    static Socket Connect(int port, int timeoutMs)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = timeoutMs, SendTimeout = timeoutMs, NoDelay = true };
        s.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return s;
    }

    /// <summary>Closes with a reset: the server sees the connection vanish, not end politely</summary>
    static void Drop(Socket s)
    {
        s.LingerState = new LingerOption(true, 0);
        s.Dispose();
    }

    static void OneConnection(int port, int seed, Counts counts)
    {
        var fuzz = new RespFuzz(seed) { NamePrefix = "fz" };
        Interlocked.Increment(ref counts.Connections);
        // Consecutive seeds give System.Random correlated first draws: spread them first.
        switch ((int)((uint)seed * 2654435761u >> 16) % 10)
        {
            case < 4: KnownStream(port, fuzz, counts); break;
            case < 6: MutatedStream(port, fuzz, counts); break;
            case 6: SlowReader(port, counts); break;
            case 7: HalfFrame(port, fuzz, counts); break;
            default:
                for (int i = 0; i < 20; i++) Drop(Connect(port, 5000));
                Interlocked.Add(ref counts.Dropped, 20);
                Interlocked.Add(ref counts.Connections, 19);
                break;
        }
    }

    /// <summary>Commands with unknown names, then (usually) a frame with a known fault: one reply per
    /// command, then Redis's protocol error, then the server closes</summary>
    static void KnownStream(int port, RespFuzz fuzz, Counts counts)
    {
        List<FuzzPiece> pieces = fuzz.Stream(fuzz.Random.Next(1, 12), validShare: 0.8);
        if (pieces.Exists(p => !p.Known)) pieces.RemoveAt(pieces.Count - 1);
        byte[] stream = pieces.SelectMany(p => p.Bytes).ToArray();
        using var c = new RawClient(port);
        // The server closes right after a protocol error; bytes of ours it never read then make the
        // kernel reset the connection, which may discard replies before they are read. Only then is a
        // reset not a failure.
        bool endsInError = pieces.Count > 0 && pieces[^1].Error is not null;
        try
        {
            foreach (ArraySegment<byte> chunk in fuzz.Chunks(stream)) c.Socket.Send(chunk);
        }
        catch (SocketException) when (endsInError) { }
        Interlocked.Add(ref counts.Bytes, stream.Length);
        Interlocked.Increment(ref counts.Known);
        foreach (FuzzPiece p in pieces)
        {
            string reply;
            try { reply = c.ReadReply(); }
            catch (IOException ex) when (endsInError && ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
            {
                Interlocked.Increment(ref counts.Resets);
                return;
            }
            catch (IOException ex)
            {
                throw new FuzzFailure($"seed {fuzz.Seed}: no reply to piece {pieces.IndexOf(p)} of {Describe(pieces)} ({ex.Message}); {counts.Replies} replies so far");
            }
            if (p.Command is not null)
            {
                if (!reply.StartsWith("-ERR unknown command 'fz", StringComparison.Ordinal))
                    throw new FuzzFailure($"seed {fuzz.Seed}: a command got {Show(reply)}");
            }
            else if (reply != "-" + p.Error) throw new FuzzFailure($"seed {fuzz.Seed}: expected -{p.Error}, got {Show(reply)}");
            Interlocked.Increment(ref counts.Replies);
        }
        if (endsInError && !c.ServerClosed())
            throw new FuzzFailure($"seed {fuzz.Seed}: the server kept the connection open after a protocol error");
    }

    static string Describe(List<FuzzPiece> pieces) =>
        string.Join(" | ", pieces.Select(p => $"{p.Bytes.Length} B {(p.Command is not null ? "cmd" : "error " + p.Error)}: {FuzzText.Preview(p.Bytes[..Math.Min(60, p.Bytes.Length)])}"));

    static string Show(string reply) => reply.Length > 100 ? reply[..100] + "..." : reply;

    /// <summary>Mutated frames: whatever the server answers, it must not hang on them or break</summary>
    static void MutatedStream(int port, RespFuzz fuzz, Counts counts)
    {
        List<FuzzPiece> pieces = fuzz.Stream(fuzz.Random.Next(1, 8), validShare: 0.3);
        byte[] stream = pieces.SelectMany(p => p.Bytes).ToArray();
        using Socket s = Connect(port, 200);
        try
        {
            foreach (ArraySegment<byte> chunk in fuzz.Chunks(stream)) s.Send(chunk);
        }
        catch (SocketException) { /* closed by the server after a protocol error: fine */ }
        Interlocked.Add(ref counts.Bytes, stream.Length);
        Interlocked.Increment(ref counts.Mutated);
        var sink = new byte[65536];
        try
        {
            while (s.Receive(sink) > 0) { }
        }
        catch (SocketException) { /* the reply is not predicted: a timeout (waiting for more) or a reset both are fine */ }
        if (fuzz.Random.Next(2) == 0) Drop(s);
    }

    /// <summary>Pipelines reads of a 100 KB value and never reads the replies, then vanishes</summary>
    static void SlowReader(int port, Counts counts)
    {
        Socket s = Connect(port, 2000);
        byte[] get = RawClient.Frame("GET", "fz:big");
        var burst = new byte[get.Length * 500];
        for (int i = 0; i < 500; i++) get.CopyTo(burst, i * get.Length);
        try
        {
            for (int i = 0; i < 4; i++) s.Send(burst);
        }
        catch (SocketException) { /* the server stopped reading (back-pressure): the point of the test */ }
        Interlocked.Add(ref counts.Bytes, burst.Length * 4L);
        Interlocked.Increment(ref counts.SlowReaders);
        Drop(s);
    }

    /// <summary>Announces a 100 MB value, sends a little of it, and vanishes</summary>
    static void HalfFrame(int port, RespFuzz fuzz, Counts counts)
    {
        Socket s = Connect(port, 2000);
        var head = Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$6\r\nfz:half\r\n$100000000\r\n");
        var part = new byte[fuzz.Random.Next(1, 2_000_000)];
        fuzz.Random.NextBytes(part);
        try
        {
            s.Send(head);
            s.Send(part);
        }
        catch (SocketException) { /* the server is busy with the others: this one is abandoned anyway */ }
        Interlocked.Add(ref counts.Bytes, head.Length + part.Length);
        Interlocked.Increment(ref counts.HalfFrames);
        Drop(s);
    }

    /// <summary>A client that uses the server properly throughout, checking every answer</summary>
    static void ValidClient(int port, Counts counts, CancellationToken stop)
    {
        using var c = new RawClient(port, timeoutMs: 30_000);
        long n = 0;
        Assert.Equal("+OK", c.Call("SET", "fz:counter", "0"));
        while (!stop.IsCancellationRequested)
        {
            string key = "fz:valid:" + (n % 1000);
            string value = "v" + n + new string('x', (int)(n % 300));
            Expect(c.Call("SET", key, value), "+OK", n);
            Expect(c.Call("GET", key), value, n);
            Expect(c.Call("INCR", "fz:counter"), ":" + (n + 1), n);
            Expect(c.Call("ECHO", value), value, n);
            n++;
            Interlocked.Add(ref counts.ValidOps, 4);
        }
        Expect(c.Call("DBSIZE"), ":" + (2 + Math.Min(n, 1000)), n);
    }

    static void Expect(string got, string expected, long step)
    {
        if (got != expected) throw new FuzzFailure($"the valid client's step {step}: expected {Show(expected)}, got {Show(got)}");
    }
}
