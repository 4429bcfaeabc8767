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

    /// <summary>Runs on the thread that finished the operation: hand it to the Core</summary>
    protected override void OnCompleted(SocketAsyncEventArgs e) => Driver.Post(this);
}
