using System.Diagnostics;
using System.Net.Sockets;

namespace Stakker.IO;

/// <summary>One socket in the <see cref="Reactor"/>: its epoll token, the readiness last learnt, and
/// the operation waiting for each direction</summary>
/// <remarks>Its operations are non-blocking calls on the Core's thread; one that would block waits
/// here until the socket's next epoll edge resumes it (<see cref="Resume"/>).</remarks>
internal sealed class ReactorRegistration(Reactor reactor, Socket socket, IIoOwner owner, int slot, bool listener) : IoRegistration(socket, owner)
{
    static int s_generation;

    internal readonly int Slot = slot;
    internal readonly ulong Token = ((ulong)(uint)Interlocked.Increment(ref s_generation) << 32) | (uint)slot;
    /// <summary>Edge-triggered readiness, as last learnt (both start true: try first)</summary>
    internal bool Readable = true;
    internal bool Writable = true;
    /// <summary>The peer closed or the socket failed: the end of stream or the error is still to be read,
    /// and no further edge will announce it</summary>
    internal bool PeerClosed;
    /// <summary>The owner paused reading and wants to hear of the peer's close all the same</summary>
    internal bool WatchPeer;
    internal IoArgs? RecvWaiting;
    internal IoArgs? SendWaiting;
    internal bool Queued;
    bool _closed;

    /// <summary>Starts a receive into the args' buffer; false if it finished at once (result in the args)</summary>
    internal bool Receive(IoArgs args)
    {
        Debug.Assert(RecvWaiting is null, "One receive at a time.");
        if (_closed) return Aborted(args);
        if (Readable && TryReceive(args)) return false;
        RecvWaiting = args;
        return true;
    }

    /// <summary>Starts a send of the args' buffer; false if it finished at once (result in the args)</summary>
    internal bool Send(IoArgs args)
    {
        Debug.Assert(SendWaiting is null, "One send at a time.");
        if (_closed) return Aborted(args);
        if (Writable && TrySend(args)) return false;
        SendWaiting = args;
        return true;
    }

    /// <summary>Starts an accept; false if it finished at once (socket or error in the args)</summary>
    internal bool Accept(IoArgs args)
    {
        Debug.Assert(listener && RecvWaiting is null, "One accept at a time, on a listener.");
        if (_closed) return Aborted(args);
        if (Readable && TryAccept(args)) return false;
        RecvWaiting = args;
        return true;
    }

    bool TryAccept(IoArgs args)
    {
        try
        {
            args.AcceptSocket = Socket.Accept();
            args.SetResult(0, SocketError.Success);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
        {
            // Once per burst of connections: the queue of pending connections is empty.
            Readable = false;
            return false;
        }
        catch (SocketException ex)
        {
            args.SetResult(0, ex.SocketErrorCode);
        }
        return true;
    }

    bool TryReceive(IoArgs args)
    {
        // A zero-byte receive would read as end of stream here; the stream always asks for room.
        Debug.Assert(args.Count > 0, "A receive asks for at least one byte.");
        int n = Socket.Receive(args.Buffer!, args.Offset, args.Count, SocketFlags.None, out SocketError err);
        if (err == SocketError.WouldBlock)
        {
            Readable = false;
            return false;
        }
        // A short read emptied the kernel's buffer: wait for the next edge rather than ask again;
        // unless the peer has closed, whose end of stream arrives with no edge of its own.
        if (err == SocketError.Success && n > 0 && n < args.Count && !PeerClosed) Readable = false;
        args.SetResult(n, err);
        return true;
    }

    bool TrySend(IoArgs args)
    {
        int n = Socket.Send(args.Buffer!, args.Offset, args.Count, SocketFlags.None, out SocketError err);
        if (err == SocketError.WouldBlock)
        {
            Writable = false;
            return false;
        }
        if (err == SocketError.Success && n < args.Count) Writable = false;
        args.SetResult(n, err);
        return true;
    }

    static bool Aborted(IoArgs args)
    {
        args.SetResult(0, SocketError.OperationAborted);
        return false;
    }

    /// <summary>The socket became ready: finish what waited for it and tell the owner</summary>
    internal void Resume()
    {
        if (RecvWaiting is { } r && Readable && (listener ? TryAccept(r) : TryReceive(r)))
        {
            RecvWaiting = null;
            Owner.Completed(r);
        }
        if (SendWaiting is { } s && Writable && TrySend(s))
        {
            SendWaiting = null;
            Owner.Completed(s);
        }
        if (WatchPeer && PeerClosed && RecvWaiting is null && !_closed)
        {
            WatchPeer = false;
            Owner.PeerClosed();
        }
    }

    /// <summary>Leaves the reactor (before the socket closes); waiting operations end as aborted</summary>
    internal void Close()
    {
        if (_closed) return;
        _closed = true;
        reactor.Release(this);
        AbortLater(RecvWaiting);
        AbortLater(SendWaiting);
        RecvWaiting = SendWaiting = null;
    }

    /// <summary>Ends a waiting operation as aborted, like a SocketAsyncEventArgs one: completed by a
    /// later call, never inside the closer</summary>
    void AbortLater(IoArgs? args)
    {
        if (args is null) return;
        Aborted(args);
        reactor.Core.Defer(static a => a.Owner.Completed(a), args);
    }
}
