using System.Net;
using System.Net.Sockets;

namespace Stakker.IO;

/// <summary>A listening TCP socket whose accepted connections arrive as <see cref="TcpIncoming"/> values through a <see cref="Fwd{T}"/></summary>
/// <remarks>
/// <para>Owned by one actor (keep it in a field, dispose it in the actor's Dispose); touched only on
/// its Core's thread. One accept is outstanding at a time; accepts that complete at once are handled
/// in a loop, a bounded number per turn so a flood of connections cannot starve the Core.</para>
/// <para><b>Accept limit.</b> When <see cref="TcpAcceptorOptions.MaxConnections"/> connections are
/// open, accepting pauses and new ones wait in the kernel's backlog. Closing an accepted connection
/// (its <see cref="TcpStream"/>, or the <see cref="TcpIncoming"/> if never opened) frees a slot from
/// any thread and wakes this acceptor through its own <see cref="Waker"/>.</para>
/// <para>Transient accept errors (the peer reset before the accept, too many open files) are retried
/// after a short delay; the listener keeps running.</para>
/// </remarks>
public sealed class TcpAcceptor : IDisposable, IIoOwner
{
    const int MaxInlineAccepts = 64;
    static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(100);

    readonly Core _core;
    readonly Socket _listener;
    readonly IoArgs _accept;
    readonly Fwd<TcpIncoming> _onAccept;
    readonly int _max;
    readonly Waker _slotWaker;
    /// <summary>Accepted and not yet released connections; changed from any thread</summary>
    int _live;
    /// <summary>1 while accepting is paused at the limit; read from any thread</summary>
    int _paused;
    bool _acceptPending;
    /// <summary>The Core's socket I/O, and the listener's place in it</summary>
    readonly IIoBackend _io;
    readonly IoRegistration _reg;
    bool _retryScheduled;
    bool _disposed;

    TcpAcceptor(Core core, Socket listener, Fwd<TcpIncoming> onAccept, int max)
    {
        _core = core;
        _listener = listener;
        _onAccept = onAccept;
        _max = max;
        _io = IoDriver.For(core);
        _accept = _io.NewArgs(this);
        _reg = _io.Register(listener, this, listener: true);
        _slotWaker = core.CreateWaker(Fwd.From<bool>(core, OnSlotFreed));
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>Binds and listens on <paramref name="endpoint"/>, sending each accepted connection to <paramref name="onAccept"/></summary>
    /// <param name="core">The Core whose thread takes the completions (usually <c>cx.Core</c>).</param>
    /// <param name="endpoint">Where to listen; port 0 picks a free port (see <see cref="LocalEndPoint"/>).</param>
    /// <param name="onAccept">Receives each connection, typically <c>cx.Fwd&lt;TcpIncoming&gt;(...)</c>.</param>
    /// <param name="options">Backlog and connection limit; <see cref="TcpAcceptorOptions.Default"/> if null.</param>
    /// <exception cref="SocketException">The address cannot be bound.</exception>
    public static TcpAcceptor Listen(Core core, IPEndPoint endpoint, Fwd<TcpIncoming> onAccept, TcpAcceptorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(onAccept);
        options ??= TcpAcceptorOptions.Default;
        options.Validate();
        core.CheckThread();
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (options.ReuseAddress) socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (options.ReusePort) socket.SetRawSocketOption(1 /* SOL_SOCKET */, 15 /* SO_REUSEPORT */, BitConverter.GetBytes(1));
            socket.Bind(endpoint);
            socket.Listen(options.Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var acceptor = new TcpAcceptor(core, socket, onAccept, options.MaxConnections);
        acceptor.Pump();
        return acceptor;
    }

    /// <summary>The bound address (with the real port when 0 was asked)</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Connections accepted and not yet closed</summary>
    public int LiveConnections => Volatile.Read(ref _live);

    /// <summary>True while accepting waits for a slot to be freed</summary>
    public bool IsPaused => Volatile.Read(ref _paused) != 0;

    /// <summary>Stops listening; connections already accepted are not affected</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _core.CheckThread();
        _disposed = true;
        _io.Close(_reg);
        _listener.Dispose();
        _slotWaker.Dispose();
        if (!_acceptPending) _accept.Dispose();
    }

    /// <summary>Starts accepts until one is pending, the limit is reached, or the turn's budget is spent</summary>
    void Pump()
    {
        for (int n = 0; n < MaxInlineAccepts; n++)
        {
            if (_disposed || _acceptPending || _retryScheduled || !TakeSlot()) return;
            _accept.AcceptSocket = null;
            _acceptPending = true;
            bool pending;
            try { pending = _io.Accept(_reg, _accept); }
            catch (ObjectDisposedException) { _acceptPending = false; ReleaseSlot(); return; }
            if (pending) return;
            _acceptPending = false;
            Accepted();
        }
        // Budget spent with connections still coming at once: let other calls run first.
        _core.Defer(static a => a.Pump(), this);
    }

    /// <summary>Reserves a slot for the next accept; false (and paused) at the limit</summary>
    bool TakeSlot()
    {
        if (Interlocked.Increment(ref _live) <= _max) return true;
        Interlocked.Decrement(ref _live);
        // Pause first, then look again: a slot freed between the two sees the flag and wakes us.
        Volatile.Write(ref _paused, 1);
        if (Interlocked.Increment(ref _live) <= _max)
        {
            Volatile.Write(ref _paused, 0);
            return true;
        }
        Interlocked.Decrement(ref _live);
        return false;
    }

    /// <summary>A connection closed somewhere: free its slot and wake the acceptor if it was paused</summary>
    internal void ReleaseSlot()
    {
        Interlocked.Decrement(ref _live);
        if (Volatile.Read(ref _paused) != 0) _slotWaker.Wake();
    }

    void OnSlotFreed(bool dropped)
    {
        if (dropped || _disposed) return;
        Volatile.Write(ref _paused, 0);
        Pump();
    }

    /// <summary>Handles the result of the accept that just finished (slot already taken)</summary>
    void Accepted()
    {
        SocketError err = _accept.Error;
        Socket? socket = _accept.AcceptSocket;
        _accept.AcceptSocket = null;
        if (err != SocketError.Success || socket is null)
        {
            socket?.Dispose();
            ReleaseSlot();
            if (_disposed || err == SocketError.OperationAborted) return;
            // Peer gave up before the accept, or a resource ran out: try again shortly.
            _retryScheduled = true;
            _core.After(s_retryDelay, () => { _retryScheduled = false; Pump(); });
            return;
        }
        if (_disposed)
        {
            socket.Dispose();
            ReleaseSlot();
            return;
        }
        _onAccept.Send(new TcpIncoming(socket, this));
    }

    void IIoOwner.Completed(IoArgs args)
    {
        _acceptPending = false;
        if (_disposed)
        {
            _accept.AcceptSocket?.Dispose();
            _accept.AcceptSocket = null;
            _accept.Dispose();
            ReleaseSlot();
            return;
        }
        Accepted();
        Pump();
    }

    void IIoOwner.Fault(Exception error)
    {
        // The Fwd's end-point threw or ended: nothing can take connections any more.
        if (!_disposed && !_onAccept.IsEnded) _onAccept.Fail(error);
        Dispose();
    }
}
