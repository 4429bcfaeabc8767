using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stakker.IO;

/// <summary>A TCP connection owned by one actor: bytes arrive as calls, writes are buffered with back-pressure</summary>
/// <remarks>
/// <para><b>Ownership and threads.</b> Opened inside an actor (usually in its constructor) from a
/// <see cref="TcpIncoming"/>; the actor keeps it in a field and disposes it in its own
/// <c>Dispose</c>, so the connection closes when the actor ends. Every member must be used on the
/// actor's Core thread. By default socket operations finish on .NET's socket threads and their
/// completions reach the Core through its one <see cref="Waker"/>; on a Core using
/// <see cref="TcpReactor"/> the Core's own thread does the I/O. Either way they become queued calls
/// to the actor's handler (<see cref="TcpEvent"/>). If the actor ends without disposing the stream,
/// the next completion notices and closes it.</para>
/// <para><b>Reading.</b> One receive is outstanding at a time, into the free tail of the input
/// buffer. After a <see cref="TcpEvent.Data"/> event the next receive starts only once the actor's
/// handler has returned, so a connection never reads ahead of its actor. The actor parses
/// <see cref="Input"/> and calls <see cref="Consume"/> for what it used; unconsumed bytes stay for
/// the next event. Reading pauses while <see cref="ReadLimit"/> bytes are unconsumed, or while the
/// actor asked for it with <see cref="PauseReading"/>; the kernel's buffers then fill and TCP flow
/// control holds back the peer.</para>
/// <para><b>Writing.</b> <see cref="Write(ReadOnlySpan{byte})"/> and the <see cref="System.Buffers.IBufferWriter{T}"/>
/// members append to an output buffer; a flush is queued on the Core's lazy queue, so every reply
/// written while the main queue drains goes out in one send. Two buffers alternate: one is being sent
/// while the actor fills the other. When more than <see cref="TcpStreamOptions.WriteHighWater"/>
/// bytes wait, <see cref="IsWriteBlocked"/> is true; once they drain to
/// <see cref="TcpStreamOptions.WriteLowWater"/> the actor gets <see cref="TcpEvent.Writable"/>.</para>
/// <para><b>Ending.</b> The peer's half-close arrives as <see cref="TcpEvent.ReadClosed"/>.
/// <see cref="Shutdown"/> half-closes our side after the output is sent; <see cref="Close"/> sends
/// what is buffered and closes; <see cref="Abort"/> resets at once; <see cref="Dispose"/> closes at
/// once without sending. <see cref="TcpEvent.Closed"/> comes last, with <see cref="CloseCause"/>:
/// <see cref="StopCause.Stopped"/> for a clean end, <see cref="StopCause.Failed(Exception)"/> with the
/// <see cref="SocketException"/> for a reset or other error, ready for <c>cx.Fail(stream.CloseCause)</c>.</para>
/// <para>Cost per connection: the stream, its registration with the Core's I/O backend, two
/// <see cref="SocketAsyncEventArgs"/>, one input buffer and two output buffers (allocated on first
/// write). Receiving, delivering events and sending allocate nothing in steady state.</para>
/// </remarks>
[DebuggerDisplay("TcpStream {RemoteEndPoint} in={InputLength} out={OutputPending} {_state}")]
public sealed partial class TcpStream : IDisposable, IIoOwner
{
    enum State : byte
    {
        /// <summary>Reading and writing</summary>
        Open,
        /// <summary>Close() asked: no more reading, output being sent, then the socket closes</summary>
        Closing,
        /// <summary>Finished: socket closed, Closed event sent (or disposed)</summary>
        Closed,
    }

    readonly Core _core;
    readonly Socket _socket;
    readonly StreamSink _sink;
    readonly TcpStreamOptions _options;
    /// <summary>Where the socket came from, told when the socket closes (accept limit)</summary>
    readonly TcpIncoming? _incoming;
    State _state;
    /// <summary>True once the stream was disposed by its owner (or found its actor dead)</summary>
    bool _disposed;
    bool _socketClosed;
    Exception? _error;
    /// <summary>The Core's socket I/O, and this socket's place in it</summary>
    readonly IIoBackend _io;
    readonly IoRegistration _reg;

    TcpStream(Core core, Socket socket, StreamSink sink, TcpStreamOptions options, TcpIncoming? incoming)
    {
        _core = core;
        _socket = socket;
        _sink = sink;
        _options = options;
        _incoming = incoming;
        _io = IoDriver.For(core);
        _recv = _io.NewArgs(this);
        _send = _io.NewArgs(this);
        _reg = _io.Register(socket, this, listener: false);
        _in = new byte[options.ReadBufferSize];
        _flushAction = FlushFromLazy;
        _pumpAction = PumpFromLazy;
        RemoteEndPoint = SafeRemote(socket);
        try { socket.NoDelay = options.NoDelay; } catch (SocketException) { }
    }

    /// <summary>Opens an accepted connection for the actor of <paramref name="cx"/>; events go to <paramref name="handler"/></summary>
    /// <remarks>Call from the actor's constructor or any of its handlers. The stream starts reading at once.</remarks>
    /// <param name="cx">The owning actor's context: its Core runs the stream.</param>
    /// <param name="incoming">The accepted connection; the stream takes it over.</param>
    /// <param name="handler">Receives the events, e.g. <c>static (a, cx, ev) => a.OnTcp(cx, ev)</c>.</param>
    /// <param name="options">Buffer sizes and limits; <see cref="TcpStreamOptions.Default"/> if null.</param>
    public static TcpStream Open<TActor>(Cx<TActor> cx, TcpIncoming incoming, ActorCall<TActor, TcpEvent> handler, TcpStreamOptions? options = null)
        where TActor : class
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ArgumentNullException.ThrowIfNull(handler);
        return Start(cx.Core, incoming, new StreamSink<TActor>(cx.This, handler), options);
    }

    /// <summary>Opens an accepted connection; events go to <paramref name="handler"/> with the stream, for actors that own several</summary>
    public static TcpStream Open<TActor>(Cx<TActor> cx, TcpIncoming incoming, ActorCall<TActor, TcpStream, TcpEvent> handler, TcpStreamOptions? options = null)
        where TActor : class
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ArgumentNullException.ThrowIfNull(handler);
        return Start(cx.Core, incoming, new StreamSinkWithStream<TActor>(cx.This, handler), options);
    }

    static TcpStream Start(Core core, TcpIncoming incoming, StreamSink sink, TcpStreamOptions? options)
    {
        options ??= TcpStreamOptions.Default;
        options.Validate();
        core.CheckThread();
        Socket socket = incoming.Take();
        var stream = new TcpStream(core, socket, sink, options, incoming);
        stream.PumpReceive();
        return stream;
    }

    /// <summary>The peer's address</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>True until the stream is finished (closed, failed or disposed)</summary>
    public bool IsOpen => _state != State.Closed;

    /// <summary>Why the stream ended: <see cref="StopCause.Stopped"/> for a clean end, Failed with the socket error otherwise; null while open</summary>
    public StopCause? CloseCause => _state != State.Closed ? null : _error is null ? StopCause.Stopped : StopCause.Failed(_error);

    /// <summary>The error that ended the stream (a <see cref="SocketException"/> for a reset), or null</summary>
    public Exception? Error => _error;

    /// <summary>Closes the socket at once, dropping unsent output; no <see cref="TcpEvent.Closed"/> follows</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _core.CheckThread();
        _disposed = true;
        _state = State.Closed;
        CloseSocket();
        DisposeIdleArgs();
    }

    /// <summary>Resets the connection (RST) at once, dropping unsent output; no <see cref="TcpEvent.Closed"/> follows</summary>
    public void Abort()
    {
        if (_disposed) return;
        _core.CheckThread();
        try { _socket.LingerState = new LingerOption(true, 0); } catch (SocketException) { } catch (ObjectDisposedException) { }
        CloseSocket(graceful: false);
        Dispose();
    }

    /// <summary>Sends what is buffered, then closes; <see cref="TcpEvent.Closed"/> follows</summary>
    /// <remarks>Reading stops now and later writes are discarded. Unread input the peer sent may make
    /// the kernel reset rather than close the connection, as for any socket closed with data pending.</remarks>
    public void Close()
    {
        _core.CheckThread();
        if (_state != State.Open) return;
        _state = State.Closing;
        _readPaused = true;
        ScheduleFlush();
    }

    /// <summary>Half-closes: sends what is buffered, then shuts down our sending side; reading goes on</summary>
    /// <remarks>Later writes are discarded. Once the peer's end of stream also arrived, the stream
    /// finishes with <see cref="TcpEvent.Closed"/>.</remarks>
    public void Shutdown()
    {
        _core.CheckThread();
        if (_state != State.Open || _shutdownRequested) return;
        _shutdownRequested = true;
        ScheduleFlush();
    }

    /// <summary>Ends the stream with an error and tells the actor (Closed)</summary>
    void Fail(Exception error)
    {
        if (_state == State.Closed) return;
        _error = error;
        Finish();
    }

    /// <summary>Closes the socket and sends the last event</summary>
    void Finish()
    {
        if (_state == State.Closed) return;
        _state = State.Closed;
        CloseSocket();
        if (!_disposed) _sink.Notify(this, TcpEvent.Closed);
    }

    void CloseSocket(bool graceful = true)
    {
        if (_socketClosed) return;
        _socketClosed = true;
        // .NET on Linux closes a TCP socket that still has an operation pending (our receive)
        // abortively, with a reset, unless its sending side was shut down first: do that for a FIN.
        if (graceful && !_writeClosed)
        {
            try { _socket.Shutdown(SocketShutdown.Send); } catch (SocketException) { } catch (ObjectDisposedException) { }
        }
        _io.Close(_reg);
        try { _socket.Dispose(); } catch (Exception) { }
        _incoming?.Release();
        DisposeIdleArgs();
    }

    /// <summary>Frees the operation objects that are not in flight; the others are freed when they complete</summary>
    void DisposeIdleArgs()
    {
        if (!_recvPending) _recv.Dispose();
        if (!_sendPending) _send.Dispose();
    }

    /// <summary>The actor is gone without disposing the stream: close it now</summary>
    bool OwnerGone()
    {
        if (_disposed) return true;
        if (!_sink.TargetGone) return false;
        Dispose();
        return true;
    }

    void IIoOwner.Completed(IoArgs args)
    {
        if (ReferenceEquals(args, _recv))
        {
            _recvPending = false;
            if (_state == State.Closed || OwnerGone()) { _recv.Dispose(); return; }
            // Closing: whatever the receive brought is no longer wanted.
            if (_state == State.Closing) return;
            if (ReceiveResult()) PumpReceive();
        }
        else
        {
            _sendPending = false;
            if (_state == State.Closed || OwnerGone()) { _send.Dispose(); return; }
            if (SendResult()) PumpSend();
        }
    }

    void IIoOwner.Fault(Exception error) => Fail(error);

    /// <summary>An event call is about to run the actor's handler; false to skip it</summary>
    internal bool BeginDelivery(TcpEvent ev)
    {
        if (_disposed) return false;
        if (ev == TcpEvent.Data)
        {
            _dataQueued = false;
            // The actor may already have consumed everything from an earlier event.
            if (_state == State.Closed && InputLength == 0) return false;
        }
        return true;
    }

    /// <summary>The actor's handler returned: a Data event lets the next receive start</summary>
    internal void EndDelivery(TcpEvent ev)
    {
        if (ev == TcpEvent.Data && !_disposed) PumpReceive();
    }

    static EndPoint? SafeRemote(Socket s)
    {
        try { return s.RemoteEndPoint; }
        catch (SocketException) { return null; }
        catch (ObjectDisposedException) { return null; }
    }

    [Conditional("DEBUG")]
    void AssertInvariants()
    {
        Debug.Assert(0 <= _inStart && _inStart <= _inEnd && _inEnd <= _in.Length, "Input bounds stay ordered inside the buffer.");
        Debug.Assert(_sendStart <= _sendEnd, "The in-flight region never runs backwards.");
        Debug.Assert(!_sendPending || _sendStart < _sendEnd, "A send is in flight only with bytes to send.");
        Debug.Assert(!_recvPending || _inEnd < _in.Length, "A receive is in flight only into free space.");
    }
}
