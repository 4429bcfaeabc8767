using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

// Which socket API should feed a single-threaded Core? Both variants below run the same echo
// server: socket completions are handed to ONE "core" thread (a queue plus a semaphore, as the
// Core's Waker does), the core thread produces the reply, and the bytes go back out. 50 clients
// ping-pong 16-byte messages; we count round trips per second. Only the socket plumbing differs:
//   saea:      one SocketAsyncEventArgs receive per connection; the core thread starts the next
//              receive and sends (completions that finish synchronously stay on the core thread).
//   pipelines: PipeReader/PipeWriter over a NetworkStream, one async read loop per connection on the
//              thread pool; each read result goes to the core thread and the loop waits for it to
//              say how much it consumed before AdvanceTo (the Core owns the parsing).
const int Clients = 50;
int roundTrips = args.Length > 0 ? int.Parse(args[0]) : 4000;
int rounds = args.Length > 1 ? int.Parse(args[1]) : 3;

for (int r = 0; r < rounds; r++)
{
    foreach (string variant in new[] { "saea", "pipelines" })
    {
        using var core = new CoreLoop();
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        var accept = Task.Run(async () =>
        {
            for (int i = 0; i < Clients; i++)
            {
                Socket s = await listener.AcceptAsync();
                s.NoDelay = true;
                if (variant == "saea") new SaeaConn(s, core).Start();
                else _ = PipeConn.Run(s, core);
            }
        });
        var clients = Enumerable.Range(0, Clients).Select(_ =>
        {
            var c = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 10000 };
            c.Connect(listener.LocalEndPoint!);
            return c;
        }).ToArray();
        accept.Wait();
        long allocated = GC.GetTotalAllocatedBytes(true);
        long posts = core.Posts;
        var sw = Stopwatch.StartNew();
        // Clients on dedicated threads: blocking clients on the pool would starve the completions.
        var threads = clients.Select(c => new Thread(() =>
        {
            var msg = new byte[16];
            var got = new byte[16];
            for (int i = 0; i < roundTrips; i++)
            {
                c.Send(msg);
                int n = 0;
                while (n < 16) n += c.Receive(got, n, 16 - n, SocketFlags.None);
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        sw.Stop();
        foreach (var c in clients) c.Dispose();
        double trips = (double)Clients * roundTrips;
        allocated = GC.GetTotalAllocatedBytes(true) - allocated;
        Console.WriteLine($"{variant,-10} round {r + 1}: {trips / sw.Elapsed.TotalSeconds,10:F0} round trips/s, {allocated / trips,6:F0} B allocated and {(core.Posts - posts) / trips:F2} hand-offs to the core thread per round trip (client side included)");
    }
}

/// <summary>Stands in for a Core: one thread running work posted from anywhere</summary>
sealed class CoreLoop : IDisposable
{
    readonly ConcurrentQueue<Action> _queue = new();
    readonly SemaphoreSlim _signal = new(0);
    int _signalled;
    volatile bool _stop;
    readonly Thread _thread;

    public CoreLoop()
    {
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                _signal.Wait(100);
                Volatile.Write(ref _signalled, 0);
                while (_queue.TryDequeue(out var a)) a();
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    long _posts;
    public long Posts => Interlocked.Read(ref _posts);

    public void Post(Action a)
    {
        Interlocked.Increment(ref _posts);
        _queue.Enqueue(a);
        if (Interlocked.Exchange(ref _signalled, 1) == 0) _signal.Release();
    }

    public void Dispose()
    {
        _stop = true;
        _signal.Release();
        _thread.Join();
    }
}

/// <summary>The SocketAsyncEventArgs path (as Stakker.IO does it)</summary>
sealed class SaeaConn
{
    readonly Socket _s;
    readonly CoreLoop _core;
    readonly SocketAsyncEventArgs _recv = new();
    readonly SocketAsyncEventArgs _send = new();
    readonly byte[] _in = new byte[4096];
    readonly byte[] _out = new byte[4096];
    readonly Action _onRecv;

    public SaeaConn(Socket s, CoreLoop core)
    {
        _s = s;
        _core = core;
        _onRecv = OnReceived;
        _recv.SetBuffer(_in, 0, _in.Length);
        _recv.Completed += (_, _) => _core.Post(_onRecv);
        _send.Completed += (_, _) => { };
    }

    public void Start() => _core.Post(Receive);

    void Receive()
    {
        while (!_s.ReceiveAsync(_recv)) { if (!Handle()) return; }
    }

    void OnReceived()
    {
        if (Handle()) Receive();
    }

    bool Handle()
    {
        int n = _recv.BytesTransferred;
        if (_recv.SocketError != SocketError.Success || n == 0) return false;
        Buffer.BlockCopy(_in, 0, _out, 0, n);
        _send.SetBuffer(_out, 0, n);
        _s.SendAsync(_send);
        return true;
    }
}

/// <summary>The System.IO.Pipelines path</summary>
static class PipeConn
{
    public static async Task Run(Socket s, CoreLoop core)
    {
        var stream = new NetworkStream(s, ownsSocket: true);
        PipeReader reader = PipeReader.Create(stream);
        PipeWriter writer = PipeWriter.Create(stream);
        var handoff = new Handoff();
        while (true)
        {
            ReadResult result = await reader.ReadAsync();
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.IsEmpty && result.IsCompleted) break;
            // The Core parses: hand it the buffer and wait until it says what it consumed and
            // what to send back.
            handoff.Reset(buffer);
            core.Post(handoff.OnCore);
            (long consumed, byte[] reply) = await handoff.Task;
            await writer.WriteAsync(reply);
            reader.AdvanceTo(buffer.GetPosition(consumed));
        }
        await reader.CompleteAsync();
        await writer.CompleteAsync();
    }

    sealed class Handoff
    {
        ReadOnlySequence<byte> _buffer;
        TaskCompletionSource<(long, byte[])> _tcs = new();
        public readonly Action OnCore;

        public Handoff() => OnCore = Process;

        public Task<(long, byte[])> Task => _tcs.Task;

        public void Reset(ReadOnlySequence<byte> buffer)
        {
            _buffer = buffer;
            _tcs = new TaskCompletionSource<(long, byte[])>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        void Process() => _tcs.SetResult((_buffer.Length, _buffer.ToArray()));
    }
}
