using System.Runtime.CompilerServices;

namespace Stakker.IO;

/// <summary>Finds each Core's <see cref="IIoBackend"/>, choosing it once</summary>
/// <remarks>
/// <para>A Core's backend is made when its first socket opens (<see cref="SocketArgsBackend"/>), or
/// earlier by <see cref="TcpReactor.TryEnable"/> (<see cref="ReactorBackend"/>), and is kept as long
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

    /// <summary>Gives <paramref name="core"/> the reactor backend; false where it is not supported</summary>
    /// <exception cref="InvalidOperationException">The Core already opened a socket on the other
    /// backend, or has another wait source.</exception>
    internal static bool EnableReactor(Core core)
    {
        core.CheckThread();
        if (!Epoll.IsSupported) return false;
        if (s_backends.TryGetValue(core, out IIoBackend? chosen))
        {
            if (chosen is ReactorBackend) return true;
            throw new InvalidOperationException("The reactor must be enabled before the Core opens its first socket (stream or listener).");
        }
        s_backends.Add(core, new ReactorBackend(core));
        return true;
    }

    /// <summary>True if <paramref name="core"/> does its socket I/O on the reactor</summary>
    internal static bool UsesReactor(Core core)
    {
        core.CheckThread();
        return s_backends.TryGetValue(core, out IIoBackend? chosen) && chosen is ReactorBackend;
    }
}
