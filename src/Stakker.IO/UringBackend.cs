using System.Net.Sockets;

namespace Stakker.IO;

/// <summary>Socket I/O through io_uring on the Core's own thread (<see cref="UringLoop"/>; Linux x86-64)</summary>
/// <remarks>Made by <see cref="TcpReactor.TryEnable(Core, TcpIoMode)"/> before the Core opens any socket;
/// it sets the ring as the Core's wait source. Every operation completes later, through a completion
/// handed over inside Run, never inside the call that started it.</remarks>
internal sealed class UringBackend : IIoBackend
{
    readonly UringLoop _loop;

    UringBackend(UringLoop loop) => _loop = loop;

    /// <summary>The ring (tests look at its registrations)</summary>
    internal UringLoop Loop => _loop;

    /// <summary>The backend, or null where the kernel gives no usable ring</summary>
    /// <exception cref="InvalidOperationException">The Core already has another wait source.</exception>
    internal static UringBackend? TryCreate(Core core, uint entries)
    {
        if (core.HasWaitSource) throw new InvalidOperationException("This Core already has a wait source: a Core blocks in one place only.");
        if (UringLoop.TryCreate(core, entries) is not { } loop) return null;
        core.SetWaitSource(loop);
        return new UringBackend(loop);
    }

    public IoArgs NewArgs(IIoOwner owner) => new(owner, completions: null);

    public IoRegistration Register(Socket socket, IIoOwner owner, bool listener) => _loop.Register(socket, owner, listener);

    public bool Receive(IoRegistration reg, IoArgs args) => Of(reg).Receive(args);

    public bool Send(IoRegistration reg, IoArgs args) => Of(reg).Send(args);

    public bool Accept(IoRegistration reg, IoArgs args) => Of(reg).Accept(args);

    public bool WatchPeer(IoRegistration reg) => Of(reg).WatchPeer();

    public void Close(IoRegistration reg) => Of(reg).Close();

    static UringRegistration Of(IoRegistration reg) => (UringRegistration)reg;
}
