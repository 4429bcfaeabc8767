using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Stakker.IO;

/// <summary>Carries socket completions from the threads that finish them to one Core's thread</summary>
/// <remarks>
/// <para>One per <see cref="Core"/>, made on first use (<see cref="For"/>) and kept as long as the
/// Core lives. It owns one <see cref="Waker"/>, the only thread-safe entry into the Core: a
/// completion finished on a pool thread is queued here and wakes the Core; on the Core's thread the
/// waker's handler drains the queue and hands each completion back to its owner (a stream or an
/// acceptor). Nothing else here is touched off the Core's thread.</para>
/// <para>Because a socket object finds its driver through the Core it is opened on, the same
/// connection actor works unchanged whichever Core it is spawned on.</para>
/// </remarks>
internal sealed class IoDriver
{
    static readonly ConditionalWeakTable<Core, IoDriver> s_drivers = new();

    /// <summary>Completions finished on other threads, waiting for the Core (the only shared state)</summary>
    readonly ConcurrentQueue<IoArgs> _done = new();
    readonly Waker _waker;

    IoDriver(Core core)
    {
        Core = core;
        _waker = core.CreateWaker(Fwd.From<bool>(core, OnWake));
    }

    /// <summary>The Core whose thread runs every completion</summary>
    internal Core Core { get; }

    /// <summary>The driver of <paramref name="core"/>; call on the Core's thread</summary>
    internal static IoDriver For(Core core)
    {
        core.CheckThread();
        return s_drivers.GetValue(core, static c => new IoDriver(c));
    }

    /// <summary>Streams on this Core do their I/O on its own thread, which then blocks in epoll (Linux)</summary>
    Reactor? _reactor;

    /// <summary>Switches <paramref name="core"/> to the reactor; false where it is not supported</summary>
    internal static bool EnableReactor(Core core)
    {
        core.CheckThread();
        if (!Epoll.IsSupported) return false;
        IoDriver driver = For(core);
        if (driver._reactor is not null) return true;
        if (driver._streams != 0) throw new InvalidOperationException("The reactor must be enabled before the Core opens its first stream.");
        var reactor = new Reactor(core);
        core.SetWaitSource(reactor);
        driver._reactor = reactor;
        return true;
    }

    internal bool UsesReactor => _reactor is not null;

    /// <summary>Streams opened so far (the reactor can only be chosen before the first)</summary>
    int _streams;

    /// <summary>Registers a stream's socket with the reactor, if this Core uses one</summary>
    internal Reactor.Registration? Register(Socket socket, IIoOwner owner)
    {
        _streams++;
        return _reactor?.Register(socket, owner);
    }

    /// <summary>Registers a listening socket with the reactor, if this Core uses one</summary>
    internal Reactor.Registration? RegisterListener(Socket listener, IIoOwner owner) => _reactor?.Register(listener, owner, listener: true);

    /// <summary>Starts an accept; false if it finished at once (the result is in <paramref name="args"/>)</summary>
    internal static bool Accept(Socket listener, IoArgs args, Reactor.Registration? reg)
    {
        if (reg is not null) return reg.Accept(args);
        if (listener.AcceptAsync(args)) return true;
        args.TakeResult();
        return false;
    }

    /// <summary>Starts a receive; false if it finished at once (the result is in <paramref name="args"/>)</summary>
    internal static bool Receive(Socket socket, IoArgs args, Reactor.Registration? reg)
    {
        if (reg is not null) return reg.Receive(args);
        if (socket.ReceiveAsync(args)) return true;
        args.TakeResult();
        return false;
    }

    /// <summary>Starts a send; false if it finished at once (the result is in <paramref name="args"/>)</summary>
    internal static bool Send(Socket socket, IoArgs args, Reactor.Registration? reg)
    {
        if (reg is not null) return reg.Send(args);
        if (socket.SendAsync(args)) return true;
        args.TakeResult();
        return false;
    }

    /// <summary>Queues a finished operation for the Core's thread; safe from any thread</summary>
    internal void Post(IoArgs args)
    {
        _done.Enqueue(args);
        _waker.Wake();
    }

    /// <summary>Runs on the Core's thread (inside <see cref="Core.Run"/>, outside any handler)</summary>
    void OnWake(bool dropped)
    {
        if (dropped) return;
        while (_done.TryDequeue(out IoArgs? args))
        {
            IIoOwner owner = args.Owner;
            // A failure in the owner's bookkeeping must not escape into Core.Run: it is that
            // socket's failure, not the runtime's.
            try { owner.Completed(args); }
            catch (Exception ex) { owner.Fault(ex); }
        }
    }
}

/// <summary>Something that starts socket operations and takes their completions on its Core's thread</summary>
internal interface IIoOwner
{
    /// <summary>An operation finished (Core thread)</summary>
    void Completed(IoArgs args);

    /// <summary>Handling a completion threw: close with this error (Core thread)</summary>
    void Fault(Exception error);

    /// <summary>The reactor saw the peer close while no receive was waiting, after the owner asked to hear of it (Core thread)</summary>
    void PeerClosed() { }
}

/// <summary>A reusable socket operation whose completion is routed through an <see cref="IoDriver"/></summary>
/// <remarks>An operation that completes synchronously (the start call returns false) is handled
/// at once by the caller on the Core's thread; only asynchronous completions take the driver's path.</remarks>
internal sealed class IoArgs : SocketAsyncEventArgs
{
    internal IoArgs(IoDriver driver, IIoOwner owner) : base(unsafeSuppressExecutionContextFlow: true)
    {
        Driver = driver;
        Owner = owner;
    }

    internal readonly IoDriver Driver;
    internal readonly IIoOwner Owner;

    /// <summary>Bytes moved by the last operation (read through here whichever path ran it)</summary>
    internal int Transferred;
    /// <summary>Outcome of the last operation</summary>
    internal SocketError Error;

    internal void SetResult(int transferred, SocketError error)
    {
        Transferred = transferred;
        Error = error;
    }

    /// <summary>Copies the result of a SocketAsyncEventArgs operation</summary>
    internal void TakeResult() => SetResult(BytesTransferred, SocketError);

    /// <summary>Runs on the thread that finished the operation: hand it to the Core</summary>
    protected override void OnCompleted(SocketAsyncEventArgs e)
    {
        TakeResult();
        Driver.Post(this);
    }
}
