using System.Net.Sockets;

namespace Stakker.IO;

/// <summary>How one Core does its socket I/O: the operations a stream and an acceptor start</summary>
/// <remarks>
/// <para>Chosen once per Core, when its first socket opens or when <see cref="TcpReactor.TryEnable(Core, TcpIoMode)"/>
/// asks for a mode (<see cref="IoDriver"/>): <see cref="SocketArgsBackend"/> (SocketAsyncEventArgs,
/// completions handed to the Core's thread through its waker), <see cref="ReactorBackend"/> (the
/// Core's own thread waits in epoll and makes the calls) or <see cref="UringBackend"/> (the Core's
/// thread submits and waits in io_uring). <see cref="TcpStream"/> and
/// <see cref="TcpAcceptor"/> go through this and never ask which one they have.</para>
/// <para>Every member runs on the Core's thread. A start call returns false when the operation
/// finished at once, its result already in the <see cref="IoArgs"/>; true when the result will come
/// later through <see cref="IIoOwner.Completed"/>, also on the Core's thread, never inside the call.</para>
/// </remarks>
internal interface IIoBackend
{
    /// <summary>A reusable operation object for <paramref name="owner"/>, usable with any of its registrations</summary>
    IoArgs NewArgs(IIoOwner owner);

    /// <summary>Adds a connected socket, or a listening one when <paramref name="listener"/>; the other
    /// operations take what this returns</summary>
    IoRegistration Register(Socket socket, IIoOwner owner, bool listener);

    /// <summary>Starts a receive into the args' buffer (at least one byte); false if it finished at once</summary>
    bool Receive(IoRegistration reg, IoArgs args);

    /// <summary>Starts a send of the args' buffer; false if it finished at once</summary>
    bool Send(IoRegistration reg, IoArgs args);

    /// <summary>Starts an accept on a listener; false if it finished at once (socket or error in the args)</summary>
    bool Accept(IoRegistration reg, IoArgs args);

    /// <summary>Reading is paused: true if the peer is known to have closed; otherwise the owner's
    /// <see cref="IIoOwner.PeerClosed"/> is called later to look again</summary>
    bool WatchPeer(IoRegistration reg);

    /// <summary>Takes the socket out, before it is disposed; operations still waiting end as aborted,
    /// completed by a later call</summary>
    void Close(IoRegistration reg);
}
