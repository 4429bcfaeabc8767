using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Stakker.IO.Tests;

/// <summary>What a test connection does with each event</summary>
public delegate void ConnHandler(TestConn conn, Cx<TestConn> cx, TcpEvent ev);

/// <summary>Thread-safe record of what the server side saw, with bounded waits</summary>
public sealed class Probe
{
    readonly BlockingCollection<string> _events = new();

    public void Add(string e) => _events.Add(e);

    /// <summary>Forgets the events recorded so far</summary>
    public void Clear()
    {
        while (_events.TryTake(out _)) { }
    }

    /// <summary>Waits for the next event that starts with <paramref name="prefix"/>, skipping others</summary>
    public string Expect(string prefix, int timeoutMs = 5000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        for (;;)
        {
            int left = (int)Math.Max(0, deadline - Environment.TickCount64);
            if (!_events.TryTake(out string? e, left)) throw new TimeoutException($"No '{prefix}' event within {timeoutMs} ms");
            if (e.StartsWith(prefix, StringComparison.Ordinal)) return e;
        }
    }

    /// <summary>True if an event with <paramref name="prefix"/> arrives within the time (others are skipped)</summary>
    public bool Sees(string prefix, int timeoutMs)
    {
        try { Expect(prefix, timeoutMs); return true; }
        catch (TimeoutException) { return false; }
    }
}

/// <summary>One accepted connection: logs its events to the probe, then runs the test's handler</summary>
public sealed class TestConn : IDisposable
{
    public readonly TcpStream Stream;
    public readonly Probe Probe;
    readonly ConnHandler _handler;
    public long Bytes;
    public object? State;

    public TestConn(Cx<TestConn> cx, TcpIncoming incoming, TestServer server)
    {
        Probe = server.Probe;
        _handler = server.Handler;
        Stream = TcpStream.Open(cx, incoming, static (a, cx, ev) => a.OnEvent(cx, ev), server.StreamOptions);
    }

    void OnEvent(Cx<TestConn> cx, TcpEvent ev)
    {
        Probe.Add(ev == TcpEvent.Closed ? "Closed " + Stream.CloseCause : ev.ToString());
        _handler(this, cx, ev);
    }

    public void Dispose() => Stream.Dispose();
}

/// <summary>Accepts connections and spawns a <see cref="TestConn"/> for each</summary>
public sealed class TestListener : IDisposable
{
    readonly TcpAcceptor _acceptor;
    readonly TestServer _server;
    readonly Dictionary<long, ActorOwn<TestConn>> _conns = [];
    long _next;

    public TestListener(Cx<TestListener> cx, TestServer server)
    {
        _server = server;
        _acceptor = TcpAcceptor.Listen(cx.Core, new IPEndPoint(IPAddress.Loopback, 0),
            cx.Fwd<TcpIncoming>(static (a, cx, inc) => a.Accept(cx, inc)), server.AcceptorOptions);
        server.Acceptor = _acceptor;
        server.PortReady.TrySetResult(_acceptor.LocalEndPoint.Port);
    }

    public int Port => _acceptor.LocalEndPoint.Port;

    void Accept(Cx<TestListener> cx, TcpIncoming incoming)
    {
        long id = ++_next;
        _server.Probe.Add("Accepted " + id);
        var own = cx.Spawn<TestConn, TcpIncoming, TestServer>(static (cx, inc, s) => new TestConn(cx, inc, s), incoming, _server,
            cx.Ret<long, StopCause>(id, static (a, cx, id, cause) => a.Ended(id, cause)));
        _conns[id] = own;
    }

    void Ended(long id, Answer<StopCause> cause)
    {
        _server.Probe.Add("Ended " + id + " " + cause.GetValueOrDefault(StopCause.Lost).Kind + " " + cause.GetValueOrDefault(StopCause.Lost).Error?.GetType().Name);
        if (_conns.Remove(id, out var own)) own.Dispose();
    }

    public IReadOnlyDictionary<long, ActorOwn<TestConn>> Conns => _conns;

    public void DropAll()
    {
        foreach (var c in _conns.Values) c.Dispose();
        _conns.Clear();
    }

    public void Dispose()
    {
        _acceptor.Dispose();
        DropAll();
    }
}

/// <summary>A listener actor on its own CoreThread, on an ephemeral loopback port</summary>
public sealed class TestServer : IDisposable
{
    public readonly Probe Probe = new();
    public readonly ConnHandler Handler;
    public readonly TcpStreamOptions StreamOptions;
    public readonly TcpAcceptorOptions AcceptorOptions;
    public TcpAcceptor? Acceptor;
    public readonly CoreThread Thread;
    ActorOwn<TestListener>? _listener;
    public readonly int Port;
    public readonly TaskCompletionSource<int> PortReady = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TestServer(ConnHandler handler, TcpStreamOptions? streamOptions = null, TcpAcceptorOptions? acceptorOptions = null, TcpIoMode mode = TcpIoMode.SocketAsyncEventArgs, uint ringEntries = 0)
    {
        Handler = handler;
        StreamOptions = streamOptions ?? TcpStreamOptions.Default;
        AcceptorOptions = acceptorOptions ?? TcpAcceptorOptions.Default;
        Thread = new CoreThread(core =>
        {
            if (mode != TcpIoMode.SocketAsyncEventArgs) IoDriver.Enable(core, mode, ringEntries == 0 ? UringLoop.DefaultEntries : ringEntries);
            _listener = core.Spawn<TestListener, TestServer>(static (cx, s) => new TestListener(cx, s), this, Ret.Shutdown(core));
        }, "test server");
        if (!PortReady.Task.Wait(5000)) throw new TimeoutException("listener did not start");
        Port = PortReady.Task.Result;
    }

    /// <summary>Runs a query on the listener on the Core's thread</summary>
    public T OnListener<T>(Func<TestListener, T> fn)
    {
        var t = Thread.InvokeAsync(_ => fn(_listener!.Actor.Query(static (a, cx) => a)));
        if (!t.Wait(5000)) throw new TimeoutException("The Core did not answer within 5 s");
        return t.Result;
    }

    public Socket Connect()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 20000, SendTimeout = 20000, NoDelay = true };
        s.Connect(new IPEndPoint(IPAddress.Loopback, Port));
        return s;
    }

    public void Dispose()
    {
        Thread.Post(_ => _listener?.Dispose());
        Thread.Dispose();
    }
}

public static class SocketExtensions
{
    /// <summary>Reads exactly <paramref name="count"/> bytes (ReceiveTimeout bounds each read)</summary>
    public static byte[] ReadExactly(this Socket s, int count)
    {
        var buf = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = s.Receive(buf, got, count - got, SocketFlags.None);
            if (n == 0) throw new EndOfStreamException($"EOF after {got} of {count} bytes");
            got += n;
        }
        return buf;
    }

    /// <summary>Reads until EOF; returns the bytes</summary>
    public static byte[] ReadToEnd(this Socket s)
    {
        var ms = new MemoryStream();
        var buf = new byte[65536];
        for (;;)
        {
            int n = s.Receive(buf);
            if (n == 0) return ms.ToArray();
            ms.Write(buf, 0, n);
        }
    }
}
