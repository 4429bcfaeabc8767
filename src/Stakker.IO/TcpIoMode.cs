namespace Stakker.IO;

/// <summary>How a Core does its TCP I/O (<see cref="TcpReactor.TryEnable(Core, TcpIoMode)"/>)</summary>
public enum TcpIoMode
{
    /// <summary>SocketAsyncEventArgs: .NET's socket engine thread waits and moves the bytes; each
    /// completion is handed to the Core's thread through its waker (the default, and the only mode
    /// off Linux x86-64)</summary>
    SocketAsyncEventArgs,

    /// <summary>The Core's thread waits in epoll and makes non-blocking <c>recv</c>/<c>send</c> calls itself</summary>
    Epoll,

    /// <summary>The Core's thread waits in io_uring, which also carries every receive, send and
    /// accept: one system call per turn of the driver for all its sockets (Linux 5.11+)</summary>
    IoUring,
}
