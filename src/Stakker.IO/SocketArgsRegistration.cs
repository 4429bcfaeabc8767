using System.Net.Sockets;

namespace Stakker.IO;

/// <summary>A socket on the SocketAsyncEventArgs backend: the socket itself, and the periodic look
/// for the peer's close while its owner has paused reading</summary>
internal sealed class SocketArgsRegistration(Socket socket, IIoOwner owner) : IoRegistration(socket, owner)
{
    /// <summary>The next look for the peer's close, when one is armed</summary>
    internal FixedTimerKey PeerCheck;
    /// <summary>The owner's <see cref="IIoOwner.PeerClosed"/>, made on the first pause</summary>
    internal Action? LookAgain;
}
