using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Stakker.IO;

namespace Stakker.Benchmarks;

/// <summary>Stakker.IO alone: a blocking client ping-pongs 16 bytes with an echo actor on a <see cref="CoreThread"/>; figures per round trip</summary>
/// <remarks>
/// Measures the whole socket path of one request (receive, Data event, write, flush, send) on both
/// backends: <see cref="Reactor"/> false is the SocketAsyncEventArgs path, true the epoll reactor.
/// Not in the quick harness (no peers to compare with); the memory column is process-wide, so it
/// shows whether the Core's side allocates per round trip.
/// </remarks>
[MemoryDiagnoser]
public class TcpEcho
{
    public const int RoundTrips = 2_000;

    [Params(false, true)]
    public bool Reactor;

    CoreThread _thread = null!;
    ActorOwn<EchoListener>? _listener;
    Socket _client = null!;
    readonly byte[] _message = new byte[16];
    readonly byte[] _reply = new byte[16];

    [GlobalSetup]
    public void Setup()
    {
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool reactor = Reactor;
        _thread = new CoreThread(core =>
        {
            if (reactor) TcpReactor.TryEnable(core);
            _listener = core.Spawn<EchoListener, TaskCompletionSource<int>>(static (cx, p) => new EchoListener(cx, p), port, Ret.Shutdown(core));
        }, "echo server");
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 10_000 };
        _client.Connect(new IPEndPoint(IPAddress.Loopback, port.Task.Wait(10_000) ? port.Task.Result : throw new TimeoutException("listener did not start")));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _thread.Post(_ => _listener?.Dispose());
        _thread.Dispose();
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public void RoundTrip()
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            _client.Send(_message);
            int n = 0;
            while (n < _reply.Length) n += _client.Receive(_reply, n, _reply.Length - n, SocketFlags.None);
        }
    }

    sealed class EchoListener : IDisposable
    {
        readonly TcpAcceptor _acceptor;
        readonly List<ActorOwn<EchoConn>> _conns = [];

        public EchoListener(Cx<EchoListener> cx, TaskCompletionSource<int> port)
        {
            _acceptor = TcpAcceptor.Listen(cx.Core, new IPEndPoint(IPAddress.Loopback, 0),
                cx.Fwd<TcpIncoming>(static (a, cx, inc) => a._conns.Add(cx.Spawn<EchoConn, TcpIncoming>(static (cx, i) => new EchoConn(cx, i), inc, Ret.Nop<StopCause>()))));
            port.SetResult(_acceptor.LocalEndPoint.Port);
        }

        public void Dispose()
        {
            _acceptor.Dispose();
            foreach (var c in _conns) c.Dispose();
        }
    }

    sealed class EchoConn : IDisposable
    {
        readonly TcpStream _tcp;

        public EchoConn(Cx<EchoConn> cx, TcpIncoming incoming) =>
            _tcp = TcpStream.Open(cx, incoming, static (a, cx, ev) => a.OnTcp(cx, ev));

        void OnTcp(Cx<EchoConn> cx, TcpEvent ev)
        {
            if (ev == TcpEvent.Data)
            {
                _tcp.Write(_tcp.Input);
                _tcp.Consume(_tcp.InputLength);
            }
            else if (ev == TcpEvent.Closed) cx.Stop();
        }

        public void Dispose() => _tcp.Dispose();
    }
}
