using System.Runtime.CompilerServices;

namespace Stakker.IO;

/// <summary>Finds each Core's <see cref="IIoBackend"/>, choosing it once</summary>
/// <remarks>
/// <para>A Core's backend is made when its first socket opens (<see cref="SocketArgsBackend"/>), or
/// earlier by <see cref="TcpReactor.TryEnable(Core)"/> (<see cref="ReactorBackend"/>), and is kept as long
/// as the Core lives; it never changes, so a stream or an acceptor takes it once when it opens.</para>
/// <para>Because a socket object finds its backend through the Core it is opened on, the same
/// connection actor works unchanged whichever Core it is spawned on.</para>
/// </remarks>
internal static class IoDriver
{
    static readonly ConditionalWeakTable<Core, IIoBackend> s_backends = new();

    /// <summary>The backend of <paramref name="core"/>, made now if it has none; call on the Core's thread</summary>
    internal static IIoBackend For(Core core)
    {
        core.CheckThread();
        return s_backends.GetValue(core, static c => new SocketArgsBackend(c));
    }

    /// <summary>Gives <paramref name="core"/> the backend of <paramref name="mode"/>; false where it is not supported</summary>
    /// <exception cref="InvalidOperationException">The Core already opened a socket on another
    /// backend, or has another wait source.</exception>
    internal static bool Enable(Core core, TcpIoMode mode) => Enable(core, mode, UringLoop.DefaultEntries);

    /// <summary>As <see cref="Enable(Core, TcpIoMode)"/>, with an io_uring of <paramref name="ringEntries"/> submission entries (tests use small rings)</summary>
    internal static bool Enable(Core core, TcpIoMode mode, uint ringEntries)
    {
        core.CheckThread();
        if (s_backends.TryGetValue(core, out IIoBackend? chosen))
        {
            if (ModeOf(chosen) == mode) return true;
            throw new InvalidOperationException($"This Core already does its socket I/O with {ModeOf(chosen)}: choose the mode before the Core opens its first socket (stream or listener).");
        }
        IIoBackend? backend = mode switch
        {
            TcpIoMode.Epoll => Epoll.IsSupported ? new ReactorBackend(core) : null,
            TcpIoMode.IoUring => UringBackend.TryCreate(core, ringEntries),
            TcpIoMode.SocketAsyncEventArgs => new SocketArgsBackend(core),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a TcpIoMode."),
        };
        if (backend is null) return false;
        s_backends.Add(core, backend);
        return true;
    }

    /// <summary>The backend <paramref name="core"/> chose, if any (tests)</summary>
    internal static IIoBackend? Chosen(Core core) => s_backends.TryGetValue(core, out IIoBackend? chosen) ? chosen : null;

    /// <summary>The mode <paramref name="core"/> does its socket I/O with (the default if none was chosen yet)</summary>
    internal static TcpIoMode Mode(Core core)
    {
        core.CheckThread();
        return s_backends.TryGetValue(core, out IIoBackend? chosen) ? ModeOf(chosen) : TcpIoMode.SocketAsyncEventArgs;
    }

    static TcpIoMode ModeOf(IIoBackend backend) => backend switch
    {
        ReactorBackend => TcpIoMode.Epoll,
        UringBackend => TcpIoMode.IoUring,
        _ => TcpIoMode.SocketAsyncEventArgs,
    };
}
