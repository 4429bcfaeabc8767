using System.Diagnostics;
using System.Runtime.CompilerServices;
using Stakker.Actors;
using Stakker.Calls;
using Stakker.Internal;
using Stakker.Timers;

namespace Stakker;

/// <summary>The runtime: one call queue, timers, idle and lazy queues, for the actors of one thread</summary>
/// <remarks>
/// <para>Single-threaded by design: every member must be used on the thread that created the Core
/// (checked; a call from another thread throws), except <see cref="Waker"/>, the one thread-safe
/// entry. There are no locks or atomics on the call path.</para>
/// <para>A Core never reads a clock. Its driver passes <c>now</c> to <see cref="Run"/> and asks
/// <see cref="NextWait"/> how long it may sleep, so the same actors run on real or virtual time.</para>
/// </remarks>
public sealed partial class Core : IDisposable
{
    readonly int _threadId;
    Instant _now;
    long _actorIds;
    StopCause? _shutdown;
    bool _disposed;

    /// <summary>True once <see cref="Dispose"/> ran: calls made from then on are dropped as they are made</summary>
    internal bool IsDisposed => _disposed;

    /// <summary>The main, lazy and idle queues</summary>
    internal CallQueues Queues = new();
    readonly TimerQueue _timers = new();

    /// <summary>The actor whose handler is running, or null between handlers</summary>
    ActorCellBase? _current;
    /// <summary>True while <see cref="Run"/> is on the stack</summary>
    bool _inRun;
    /// <summary>Free pooled nodes (a struct field: renting reads the Core's own field, no indirection)</summary>
    internal NodePool Pool = new();

    /// <summary>Actor endings in progress (a work list, so any depth of ownership ends in constant stack)</summary>
    internal readonly Teardown Teardown;

    /// <summary>Creates a runtime on the current thread, starting at <paramref name="start"/></summary>
    public Core(Instant start)
    {
        _threadId = Environment.CurrentManagedThreadId;
        _now = start;
        StartInstant = start;
        _lastGrowth = start;
        _nextTrim = start + TrimInterval;
        Teardown = new Teardown(this);
    }

    /// <summary>Current time: changes only in <see cref="Run"/>, never goes backwards</summary>
    public Instant Now => _now;

    /// <summary>The instant the Core was created with</summary>
    public Instant StartInstant { get; }

    /// <summary>True while a handler of some actor is running on this Core</summary>
    public bool InHandler => _current is not null;

    /// <summary>Asks the driver loop to stop: sets <see cref="IsShutdown"/> (a later cause replaces an earlier one)</summary>
    public void Shutdown(StopCause cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        CheckThread();
        _shutdown = cause;
    }

    /// <summary>True once <see cref="Shutdown"/> was called; a driver loop tests it</summary>
    public bool IsShutdown => _shutdown is not null;

    /// <summary>The cause given to <see cref="Shutdown"/>, or null</summary>
    public StopCause? ShutdownCause => _shutdown;

    /// <summary>The Core whose <see cref="Run"/> is on this thread's stack, if any</summary>
    /// <remarks>Makes the thread check on the hot path one inlined thread-static read: inside Run (where
    /// nearly every call is made) the answer is known without asking for the thread id.</remarks>
    [ThreadStatic] static Core? t_running;

    /// <summary>Throws unless called on the Core's own thread</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CheckThread()
    {
        if (!InRunStackWindow()) CheckThreadSlow(null);
    }

    /// <summary>Throws unless called on the Core's own thread, naming the actor being touched</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CheckThread(ActorCellBase cell)
    {
        if (!InRunStackWindow()) CheckThreadSlow(cell);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    void CheckThreadSlow(ActorCellBase? cell)
    {
        if (t_running != this && Environment.CurrentManagedThreadId != _threadId) ThrowHelper.ThrowWrongThread(_threadId, cell?.Name);
    }

    /// <summary>The address of a local in the frame of the <see cref="Run"/> in progress, or 0</summary>
    /// <remarks>
    /// The fast half of the thread check (decision 006). While Run is on the stack of the Core's
    /// thread, any code whose stack pointer lies within <see cref="RunStackWindow"/> below this address is
    /// on that same thread: the window is part of that thread's own stack (Run sets it only after
    /// <see cref="RuntimeHelpers.TryEnsureSufficientExecutionStack"/> has confirmed at least that much
    /// stack remains), and no other thread's stack pointer can lie inside another thread's stack. A
    /// subtraction and a compare replace a thread-static read; anything outside the window (another
    /// thread, no Run in progress, very deep recursion) takes the exact check. Another thread may read
    /// a stale value here: any value it sees is 0 or an address in this thread's stack, so it still
    /// falls through to the exact check.
    /// </remarks>
    nint _runStackTop;
    const nuint RunStackWindow = 32 * 1024;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    unsafe bool InRunStackWindow()
    {
        byte here;
        return (nuint)(_runStackTop - (nint)(&here)) < RunStackWindow;
    }

    internal long NextActorId() => ++_actorIds;

    /// <summary>Drops everything queued (answering held Rets with "no value") and refuses further use</summary>
    /// <remarks>Actors still alive are left as they are; their state is not disposed.</remarks>
    public void Dispose()
    {
        if (_disposed) return;
        CheckThread();
        if (_inRun) ThrowHelper.ThrowRunFromHandler(_current?.Name);
        _disposed = true;
        Diverted = true;
        // From here every new call is dropped as it is made (its Rets answer "no value" at once), so
        // one pass over the timers and queues empties them for good.
        try
        {
            _timers.Clear(this);
            Queues.DropAll(this);
        }
        finally
        {
            // Other Cores: refuse their later batches, return the calls they already sent, answer
            // "no value" for every Ret that crossed in either direction and is still pending.
            _links?.Close();
            Diagnostics?.Owner.Detach(Diagnostics);
        }
    }

    [Conditional("DEBUG")]
    void AssertInvariants()
    {
        Debug.Assert(_current is null || _inRun || _querying, "A handler runs only inside Run or Query.");
        Teardown.AssertIdle();
    }
}
