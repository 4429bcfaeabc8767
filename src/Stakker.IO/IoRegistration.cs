using System.Net.Sockets;

namespace Stakker.IO;

/// <summary>One socket on its Core's <see cref="IIoBackend"/>: what the backend keeps per socket</summary>
/// <remarks>Made by <see cref="IIoBackend.Register"/> and passed back to the same backend only; each
/// backend has its own kind (<see cref="ReactorRegistration"/>, <see cref="SocketArgsRegistration"/>).</remarks>
internal abstract class IoRegistration(Socket socket, IIoOwner owner)
{
    internal readonly Socket Socket = socket;
    internal readonly IIoOwner Owner = owner;
}
