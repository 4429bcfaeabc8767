namespace Stakker.IO;

/// <summary>Chooses how a Core does its TCP I/O</summary>
/// <remarks>
/// By default a Core's sockets use SocketAsyncEventArgs: .NET's socket engine thread waits for
/// readiness and performs the I/O, and each completion is handed to the Core's thread through its
/// waker. <see cref="TryEnable(Core)"/> switches a Core to the reactor instead: its own thread blocks in
/// epoll and makes the non-blocking <c>recv</c>/<c>send</c> calls itself, so a request costs no
/// thread hop (decision 011). Connection actors are written the same way either way.
/// </remarks>
public static class TcpReactor
{
    /// <summary>Makes <paramref name="core"/>'s own thread do its TCP I/O, blocking in epoll between runs</summary>
    /// <returns>False where the reactor is not available (it needs Linux on x86-64); the Core then
    /// keeps the default path.</returns>
    /// <remarks>Call on the Core's thread before it opens its first socket (stream or listener): a
    /// Core's backend is chosen once. Drive the Core with
    /// <see cref="RealTimeDriver"/> or <see cref="CoreThread"/> (or any loop that calls
    /// <see cref="Core.WaitForWake"/> on every turn, as <see cref="Core.HasWaitSource"/> asks).</remarks>
    /// <exception cref="InvalidOperationException">A stream or a listener was already opened on this
    /// Core, or it already has another wait source.</exception>
    public static bool TryEnable(Core core)
    {
        ArgumentNullException.ThrowIfNull(core);
        return IoDriver.Enable(core, TcpIoMode.Epoll);
    }

    /// <summary>Makes <paramref name="core"/> do its TCP I/O in <paramref name="mode"/></summary>
    /// <returns>False where that mode is not available here (epoll needs Linux on x86-64; io_uring
    /// also a kernel that gives a ring, 5.11 or later, not disabled by <c>kernel.io_uring_disabled</c>
    /// or a seccomp filter); the Core then keeps the default mode, and another may be tried.</returns>
    /// <remarks>As for <see cref="TryEnable(Core)"/>: on the Core's thread, before its first socket opens.</remarks>
    /// <exception cref="InvalidOperationException">A stream or a listener was already opened on this
    /// Core in another mode, or it already has another wait source.</exception>
    public static bool TryEnable(Core core, TcpIoMode mode)
    {
        ArgumentNullException.ThrowIfNull(core);
        return IoDriver.Enable(core, mode);
    }

    /// <summary>True if <paramref name="core"/> does its TCP I/O on its own thread (epoll or io_uring)</summary>
    public static bool IsEnabled(Core core)
    {
        ArgumentNullException.ThrowIfNull(core);
        return IoDriver.Mode(core) != TcpIoMode.SocketAsyncEventArgs;
    }

    /// <summary>The mode <paramref name="core"/> does its TCP I/O in</summary>
    public static TcpIoMode ModeOf(Core core)
    {
        ArgumentNullException.ThrowIfNull(core);
        return IoDriver.Mode(core);
    }
}
