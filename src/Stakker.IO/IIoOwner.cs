namespace Stakker.IO;

/// <summary>Something that starts socket operations and takes their completions on its Core's thread</summary>
/// <remarks>A <see cref="TcpStream"/> or a <see cref="TcpAcceptor"/>; its Core's <see cref="IIoBackend"/>
/// calls these, never from another thread.</remarks>
internal interface IIoOwner
{
    /// <summary>An operation finished (Core thread)</summary>
    void Completed(IoArgs args);

    /// <summary>Handling a completion threw: close with this error (Core thread)</summary>
    void Fault(Exception error);

    /// <summary>The peer may have closed while reading is paused: look again (Core thread)</summary>
    /// <remarks>Called after the owner asked <see cref="IIoBackend.WatchPeer"/> and was told "not yet":
    /// the reactor calls it once it has seen the peer's close, the SocketAsyncEventArgs backend at
    /// every periodic check.</remarks>
    void PeerClosed() { }
}
