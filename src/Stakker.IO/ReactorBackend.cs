using System.Net.Sockets;

namespace Stakker.IO;

/// <summary>Socket I/O on the Core's own thread, which waits in epoll (<see cref="Reactor"/>; Linux x86-64, decision 011)</summary>
/// <remarks>Made by <see cref="TcpReactor.TryEnable(Core)"/> before the Core opens any socket; it makes the
/// Core's <see cref="Reactor"/> and sets it as the Core's wait source. Every operation is a call on a
/// <see cref="ReactorRegistration"/>, none leaves the Core's thread.</remarks>
internal sealed class ReactorBackend : IIoBackend
{
    readonly Reactor _reactor;

    /// <exception cref="InvalidOperationException">The Core already has another wait source.</exception>
    internal ReactorBackend(Core core)
    {
        _reactor = new Reactor(core);
        core.SetWaitSource(_reactor);
    }

    public IoArgs NewArgs(IIoOwner owner) => new(owner, completions: null);

    public IoRegistration Register(Socket socket, IIoOwner owner, bool listener) => _reactor.Register(socket, owner, listener);

    public bool Receive(IoRegistration reg, IoArgs args) => Of(reg).Receive(args);

    public bool Send(IoRegistration reg, IoArgs args) => Of(reg).Send(args);

    public bool Accept(IoRegistration reg, IoArgs args) => Of(reg).Accept(args);

    public bool WatchPeer(IoRegistration reg)
    {
        // Epoll reports the peer's FIN (EPOLLRDHUP) whether or not a receive waits.
        ReactorRegistration r = Of(reg);
        if (r.PeerClosed) return true;
        r.WatchPeer = true;
        return false;
    }

    public void Close(IoRegistration reg) => Of(reg).Close();

    /// <summary>A registration this backend made (a sealed type: the cast is one type compare)</summary>
    static ReactorRegistration Of(IoRegistration reg) => (ReactorRegistration)reg;
}
