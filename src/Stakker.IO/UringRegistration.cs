using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Stakker.IO;

/// <summary>The operations a socket can have in the ring at once: one of each</summary>
internal enum UringOp : byte
{
    Receive = 1,
    Send = 2,
    Accept = 3,
    /// <summary>Waiting for the peer's close while reading is paused</summary>
    PeerPoll = 4,
}

/// <summary>One socket in the <see cref="UringLoop"/>: its descriptor, its operations in flight with
/// their pinned buffers, and what it knows of the peer</summary>
/// <remarks>
/// <para>A buffer stays pinned from the submission to the completion: the kernel writes into it (or
/// reads from it) in between, possibly after the owner has stopped caring.</para>
/// <para>Leaving (<see cref="Close"/>) cancels what is in flight and submits at once, before the
/// owner closes the descriptor; the slot is reused only after the last completion came back, so a
/// late completion can never reach another socket.</para>
/// </remarks>
internal sealed unsafe class UringRegistration(UringLoop loop, Socket socket, IIoOwner owner, int slot, bool listener) : IoRegistration(socket, owner)
{
    const uint PollIn = 0x001, PollErr = 0x008, PollHup = 0x010, PollRdHup = 0x2000;
    const uint MsgNoSignal = 0x4000;
    const uint SockCloseOnExec = 0x80000;

    internal readonly int Slot = slot;
    readonly int _fd = (int)socket.Handle;
    IoArgs? _recv;
    IoArgs? _send;
    GCHandle _recvPin;
    GCHandle _sendPin;
    bool _pollArmed;
    int _inFlight;
    bool _closed;
    /// <summary>The peer closed (or the socket failed), seen while reading was paused</summary>
    bool _peerClosed;
    /// <summary>The owner paused reading and asked to hear of the peer's close</summary>
    bool _watchPeer;

    internal bool Receive(IoArgs args)
    {
        Debug.Assert(_recv is null && !listener, "One receive at a time, on a connected socket.");
        if (_closed) return Aborted(args);
        _recv = args;
        _recvPin = GCHandle.Alloc(args.Buffer!, GCHandleType.Pinned);
        IoUring.Sqe* sqe = Start(UringOp.Receive, IoUring.OpRecv);
        sqe->Addr = (ulong)((byte*)_recvPin.AddrOfPinnedObject() + args.Offset);
        sqe->Len = (uint)args.Count;
        return true;
    }

    internal bool Send(IoArgs args)
    {
        Debug.Assert(_send is null, "One send at a time.");
        if (_closed) return Aborted(args);
        _send = args;
        _sendPin = GCHandle.Alloc(args.Buffer!, GCHandleType.Pinned);
        IoUring.Sqe* sqe = Start(UringOp.Send, IoUring.OpSend);
        sqe->Addr = (ulong)((byte*)_sendPin.AddrOfPinnedObject() + args.Offset);
        sqe->Len = (uint)args.Count;
        sqe->OpFlags = MsgNoSignal;
        return true;
    }

    internal bool Accept(IoArgs args)
    {
        Debug.Assert(_recv is null && listener, "One accept at a time, on a listener.");
        if (_closed) return Aborted(args);
        _recv = args;
        IoUring.Sqe* sqe = Start(UringOp.Accept, IoUring.OpAccept);
        sqe->OpFlags = SockCloseOnExec;
        return true;
    }

    /// <summary>Reading is paused: true if the peer's close was already seen; otherwise the ring waits for it</summary>
    internal bool WatchPeer()
    {
        if (_peerClosed) return true;
        _watchPeer = true;
        if (!_pollArmed && !_closed)
        {
            _pollArmed = true;
            IoUring.Sqe* sqe = Start(UringOp.PeerPoll, IoUring.OpPollAdd);
            sqe->OpFlags = PollRdHup | PollHup | PollErr;
        }
        return false;
    }

    IoUring.Sqe* Start(UringOp op, byte opcode)
    {
        IoUring.Sqe* sqe = loop.NextSqe();
        sqe->Opcode = opcode;
        sqe->Fd = _fd;
        sqe->UserData = UringLoop.UserData(Slot, op);
        _inFlight++;
        return sqe;
    }

    static bool Aborted(IoArgs args)
    {
        args.SetResult(0, SocketError.OperationAborted);
        return false;
    }

    /// <summary>Leaves the ring before the socket closes: what is in flight is cancelled and ends as
    /// aborted, through a later completion</summary>
    internal void Close()
    {
        if (_closed) return;
        _closed = true;
        if (_inFlight == 0)
        {
            loop.Release(this);
            return;
        }
        if (_recv is not null) Cancel(listener ? UringOp.Accept : UringOp.Receive);
        if (_send is not null) Cancel(UringOp.Send);
        if (_pollArmed) Cancel(UringOp.PeerPoll);
        // Entries naming this descriptor must reach the kernel before the owner closes it.
        loop.SubmitNow();
    }

    void Cancel(UringOp op)
    {
        IoUring.Sqe* sqe = loop.NextSqe();
        sqe->Opcode = IoUring.OpAsyncCancel;
        sqe->Fd = -1;
        sqe->Addr = UringLoop.UserData(Slot, op);
        sqe->UserData = UringLoop.IgnoreData;
    }

    /// <summary>An operation's completion, handed over inside Run</summary>
    internal void Complete(UringOp op, int res)
    {
        _inFlight--;
        if (_closed && _inFlight == 0) loop.Release(this);
        switch (op)
        {
            case UringOp.Receive:
                Finish(Unpin(ref _recv, ref _recvPin), res);
                break;
            case UringOp.Send:
                Finish(Unpin(ref _send, ref _sendPin), res);
                break;
            case UringOp.Accept:
            {
                IoArgs args = _recv!;
                _recv = null;
                if (res >= 0 && _closed)
                {
                    // Accepted as the listener left: nobody will take this connection.
                    Epoll.Close(res);
                    res = -IoUring.ECANCELED;
                }
                if (res >= 0)
                {
                    args.AcceptSocket = new Socket(new SafeSocketHandle(res, ownsHandle: true));
                    args.SetResult(0, SocketError.Success);
                }
                else
                {
                    args.AcceptSocket = null;
                    args.SetResult(0, Errors.FromErrno(-res));
                }
                Owner.Completed(args);
                break;
            }
            case UringOp.PeerPoll:
                _pollArmed = false;
                if (_closed) return;
                if (res >= 0 && (res & (PollRdHup | PollHup | PollErr)) != 0) _peerClosed = true;
                else if (res < 0 && res != -IoUring.ECANCELED) _peerClosed = true;
                if (_watchPeer && _recv is null)
                {
                    _watchPeer = false;
                    Owner.PeerClosed();
                }
                break;
        }
    }

    /// <summary>The operation's args, no longer in flight, with its buffer unpinned</summary>
    static IoArgs Unpin(ref IoArgs? inFlight, ref GCHandle pin)
    {
        IoArgs args = inFlight!;
        inFlight = null;
        pin.Free();
        return args;
    }

    void Finish(IoArgs args, int res)
    {
        if (_closed) args.SetResult(0, SocketError.OperationAborted);
        else if (res >= 0) args.SetResult(res, SocketError.Success);
        else args.SetResult(0, Errors.FromErrno(-res));
        Owner.Completed(args);
    }

    /// <summary>errno to SocketError, as .NET maps the ones a TCP socket gives</summary>
    static class Errors
    {
        internal static SocketError FromErrno(int errno) => errno switch
        {
            104 => SocketError.ConnectionReset,
            32 => SocketError.Shutdown,            // EPIPE
            103 => SocketError.ConnectionAborted,
            107 => SocketError.NotConnected,
            110 => SocketError.TimedOut,
            111 => SocketError.ConnectionRefused,
            113 => SocketError.HostUnreachable,
            101 => SocketError.NetworkUnreachable,
            100 => SocketError.NetworkDown,
            24 or 23 => SocketError.TooManyOpenSockets,
            12 or 105 => SocketError.NoBufferSpaceAvailable,
            22 => SocketError.InvalidArgument,
            9 or 125 => SocketError.OperationAborted,   // EBADF, ECANCELED
            11 => SocketError.WouldBlock,
            4 => SocketError.Interrupted,
            _ => SocketError.SocketError,
        };
    }
}
