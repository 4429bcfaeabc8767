using System.Net;
using System.Net.Sockets;

namespace Stakker.IO;

/// <summary>An accepted connection, not yet bound to any Core: hand it to the actor that will own it</summary>
/// <remarks>
/// <para>Holds the accepted <see cref="Socket"/> and one slot of its acceptor's connection limit.
/// It has no thread affinity, so it may be passed to an actor on another Core; that actor opens it
/// with <see cref="TcpStream.Open{TActor}(Cx{TActor}, TcpIncoming, ActorCall{TActor, TcpEvent}, TcpStreamOptions?)"/>,
/// which takes ownership. If it is never opened, dispose it: that closes the socket and frees the slot.</para>
/// </remarks>
public sealed class TcpIncoming : IDisposable
{
    Socket? _socket;
    TcpAcceptor? _acceptor;

    internal TcpIncoming(Socket socket, TcpAcceptor? acceptor)
    {
        _socket = socket;
        _acceptor = acceptor;
        RemoteEndPoint = socket.RemoteEndPoint;
    }

    /// <summary>The peer's address</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>True once opened as a stream or disposed</summary>
    public bool IsTaken => Volatile.Read(ref _socket) is null;

    /// <summary>Takes the socket for a stream; the stream then frees the slot when it closes</summary>
    internal Socket Take()
    {
        Socket? s = Interlocked.Exchange(ref _socket, null);
        return s ?? throw new InvalidOperationException("TcpIncoming was already opened or disposed: an accepted connection can be opened once.");
    }

    /// <summary>Frees the acceptor slot, once; safe from any thread</summary>
    internal void Release() => Interlocked.Exchange(ref _acceptor, null)?.ReleaseSlot();

    /// <summary>Closes the connection if it was never opened, and frees its slot</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _socket, null)?.Dispose();
        Release();
    }
}
