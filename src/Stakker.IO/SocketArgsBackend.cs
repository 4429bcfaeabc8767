using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Stakker.IO;

/// <summary>Socket I/O with SocketAsyncEventArgs: .NET's socket engine waits and moves the bytes,
/// completions are carried to the Core's thread (the default, and the only backend off Linux x86-64)</summary>
/// <remarks>
/// <para>Owns one <see cref="Waker"/>, the only thread-safe entry into the Core: an operation
/// finished on another thread is queued here and wakes the Core; on the Core's thread the waker's
/// handler drains the queue and hands each completion back to its owner. An operation that
/// finishes at once stays on the Core's thread and never touches the queue. Nothing else here is
/// touched off the Core's thread.</para>
/// <para>SocketAsyncEventArgs gives no readiness without an operation, so a stream that paused
/// reading learns of its peer's close by looking at the socket's TCP state now and then
/// (decision 020).</para>
/// </remarks>
internal sealed class SocketArgsBackend : IIoBackend
{
    /// <summary>How often a paused stream looks whether its peer closed</summary>
    internal static readonly TimeSpan PeerCheckInterval = TimeSpan.FromSeconds(1);

    readonly Core _core;
    /// <summary>Completions finished on other threads, waiting for the Core (the only shared state)</summary>
    readonly ConcurrentQueue<IoArgs> _done = new();
    readonly Waker _waker;

    internal SocketArgsBackend(Core core)
    {
        _core = core;
        _waker = core.CreateWaker(Fwd.From<bool>(core, OnWake));
    }

    public IoArgs NewArgs(IIoOwner owner) => new(owner, this);

    public IoRegistration Register(Socket socket, IIoOwner owner, bool listener) => new SocketArgsRegistration(socket, owner);

    public bool Receive(IoRegistration reg, IoArgs args)
    {
        if (reg.Socket.ReceiveAsync(args)) return true;
        args.TakeResult();
        return false;
    }

    public bool Send(IoRegistration reg, IoArgs args)
    {
        if (reg.Socket.SendAsync(args)) return true;
        args.TakeResult();
        return false;
    }

    public bool Accept(IoRegistration reg, IoArgs args)
    {
        if (reg.Socket.AcceptAsync(args)) return true;
        args.TakeResult();
        return false;
    }

    public bool WatchPeer(IoRegistration reg)
    {
        if (PeerClosedBySocketState(reg.Socket)) return true;
        var r = (SocketArgsRegistration)reg;
        if (!_core.TimerActive(r.PeerCheck))
            r.PeerCheck = _core.After(PeerCheckInterval, r.LookAgain ??= r.Owner.PeerClosed);
        return false;
    }

    public void Close(IoRegistration reg)
    {
        var r = (SocketArgsRegistration)reg;
        if (r.PeerCheck.IsSet) _core.TimerDel(r.PeerCheck);
    }

    /// <summary>True if the peer has closed (or reset) the connection, as far as the socket can tell without reading</summary>
    static bool PeerClosedBySocketState(Socket socket)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                // struct tcp_info starts with tcpi_state: TIME_WAIT 6, CLOSE 7, CLOSE_WAIT 8, LAST_ACK 9,
                // CLOSING 11 all mean the peer's FIN (or reset) has arrived, even behind unread data.
                Span<byte> info = stackalloc byte[8];
                if (socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info) >= 1) return info[0] is 6 or 7 or 8 or 9 or 11;
            }
            // Elsewhere: readable with nothing to read is the end of stream (only seen once the input is read).
            return socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
        }
        catch (SocketException) { return true; }
        catch (ObjectDisposedException) { return true; }
    }

    const int IpProtoTcp = 6;
    const int TcpInfo = 11;

    /// <summary>Queues a finished operation for the Core's thread; safe from any thread</summary>
    internal void Post(IoArgs args)
    {
        _done.Enqueue(args);
        _waker.Wake();
    }

    /// <summary>Runs on the Core's thread (inside <see cref="Core.Run"/>, outside any handler)</summary>
    void OnWake(bool dropped)
    {
        if (dropped) return;
        while (_done.TryDequeue(out IoArgs? args))
        {
            IIoOwner owner = args.Owner;
            // A failure in the owner's bookkeeping must not escape into Core.Run: it is that
            // socket's failure, not the runtime's.
            try { owner.Completed(args); }
            catch (Exception ex) { owner.Fault(ex); }
        }
    }
}
