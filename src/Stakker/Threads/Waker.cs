using System.Diagnostics;

namespace Stakker;

/// <summary>Schedules a call on its Core from any thread: the one thread-safe entry into a Core</summary>
/// <remarks>
/// <para>Made on the Core's thread with <see cref="Core.CreateWaker"/>. <see cref="Wake"/> may be
/// called from any thread, any number of times: wakes that arrive before the Core collects them
/// coalesce into one call of the handler with <c>false</c>, and no wake is ever lost (a wake after
/// the Core has begun a handler call causes another call). Costs one atomic exchange when already
/// pending, a queue push and at most one signal to the driver otherwise.</para>
/// <para>Disposing the waker (or its being collected undisposed) makes the Core call the handler
/// once with <c>true</c>, so the owner learns the other side is gone. A wake racing with the
/// dispose may be lost; the "dropped" call is not.</para>
/// </remarks>
public sealed class Waker : IDisposable
{
    readonly WakeSlot _slot;

    internal Waker(WakeSlot slot) => _slot = slot;

    /// <summary>Asks the Core to call the handler; safe from any thread</summary>
    public void Wake()
    {
        WakeSlot s = _slot;
        // Cheap test first: most wakes of a busy waker find it already pending.
        if (Volatile.Read(ref s.Pending) != 0) return;
        Internal.YieldPoint.Here();
        if (Interlocked.Exchange(ref s.Pending, 1) == 0) s.Inbox.Post(s);
    }

    /// <summary>Tells the Core this waker is gone; safe from any thread, once</summary>
    public void Dispose()
    {
        if (_slot.MarkDropped()) GC.SuppressFinalize(this);
    }

    /// <summary>Backstop for a waker abandoned undisposed: the Core still learns it is gone</summary>
    ~Waker() => _slot.MarkDropped();
}

/// <summary>The Core-side record of one waker: its handler and flags, shared with the Waker</summary>
internal sealed class WakeSlot(WakeInbox inbox, Fwd<bool> handler)
{
    internal readonly WakeInbox Inbox = inbox;
    internal readonly Fwd<bool> Handler = handler;
    /// <summary>1 while a wake is posted and not yet collected</summary>
    internal int Pending;
    /// <summary>1 once the waker was disposed or collected</summary>
    internal int Dropped;
    /// <summary>Set by the Core once it delivered the "dropped" call (Core thread only)</summary>
    internal bool DropDelivered;

    internal bool MarkDropped()
    {
        if (Interlocked.Exchange(ref Dropped, 1) != 0) return false;
        Internal.YieldPoint.Here();
        Inbox.Post(this);
        return true;
    }
}

/// <summary>Wake requests from other threads, waiting for the Core to collect them</summary>
/// <remarks>
/// The only state in a Core touched by other threads. Posting is lock-free
/// (<see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/>); the first post after a
/// collection signals the driver once through the poll waker.
/// </remarks>
internal sealed class WakeInbox
{
    readonly System.Collections.Concurrent.ConcurrentQueue<WakeSlot> _queue = new();
    readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    Action? _pollWaker;
    /// <summary>The poll waker is a wait source's: call it only while the Core's thread is in the source</summary>
    bool _pollWakerWhenSleeping;
    int _signalled;

    internal int Live;

    /// <summary>Wakes and posted work collected so far (written on the Core's thread, read by the metrics)</summary>
    internal long Collected;

    /// <summary>Work posted from other threads (continuations, timer changes), run as plain calls</summary>
    readonly System.Collections.Concurrent.ConcurrentQueue<RemoteWork> _work = new();

    internal void PostWork(RemoteWork work)
    {
        _work.Enqueue(work);
        Signal();
    }

    internal void SetPollWaker(Action wake, bool onlyWhenSleeping = false)
    {
        _pollWaker = wake;
        _pollWakerWhenSleeping = onlyWhenSleeping;
    }

    internal void Post(WakeSlot slot)
    {
        _queue.Enqueue(slot);
        Signal();
    }

    /// <summary>1 while the Core's thread is blocked (or about to block) in <see cref="Wait"/></summary>
    int _sleeping;

    void Signal()
    {
        Internal.YieldPoint.Here();
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            Internal.YieldPoint.Here();
            if (_pollWaker is { } w)
            {
                // A wait source's wake (a write to an eventfd, a system call) is needed only while the
                // Core blocks in the source; a running Core sees _signalled before it would block.
                if (!_pollWakerWhenSleeping || Volatile.Read(ref _sleeping) != 0) w();
            }
            // Only a sleeping Core needs the semaphore. A Core that is running or polling sees
            // _signalled; releasing anyway would make it take the semaphore's lock while this thread
            // holds it. (Both sides use full fences, so one of them always sees the other: decision 054.)
            else if (Volatile.Read(ref _sleeping) != 0) _signal.Release();
        }
    }

    /// <summary>The Core's thread is about to block in its wait source: from now on posts call the
    /// source's wake. True if a wake is already pending (then it must not block).</summary>
    /// <remarks>The same full-fence handshake as <see cref="Wait"/>'s: this thread sets the flag, then
    /// reads the signal; a poster sets the signal, then reads the flag: one of the two sees the other.</remarks>
    internal bool EnterSourceWait()
    {
        Interlocked.Exchange(ref _sleeping, 1);
        Internal.YieldPoint.Here();
        return Volatile.Read(ref _signalled) != 0;
    }

    /// <summary>The Core's thread is back from its wait source</summary>
    internal void LeaveSourceWait() => Volatile.Write(ref _sleeping, 0);

    /// <summary>True if a wake was posted since the last collection</summary>
    internal bool IsSignalled => Volatile.Read(ref _signalled) != 0;

    /// <summary>How long a Core that has just handed calls to another Core polls for a wake before it sleeps</summary>
    static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 20_000;   // 50 µs

    /// <summary>Blocks the Core's thread until a wake is posted or the timeout passes</summary>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="spin">Poll for a short while first (decision 054): the Core has just handed calls
    /// to another Core, whose answer usually comes back sooner than a sleeping thread can be woken.</param>
    internal bool Wait(TimeSpan timeout, bool spin = false)
    {
        if (Volatile.Read(ref _signalled) != 0) return true;
        if (spin && timeout > TimeSpan.Zero)
        {
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
            do
            {
                Thread.SpinWait(8);
                if (Volatile.Read(ref _signalled) != 0) return true;
            }
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until);
        }
        Interlocked.Exchange(ref _sleeping, 1);
        try
        {
            Internal.YieldPoint.Here();
            if (Volatile.Read(ref _signalled) != 0) return true;
            return _signal.Wait(timeout);
        }
        finally
        {
            Volatile.Write(ref _sleeping, 0);
        }
    }

    /// <summary>Collects posted wakes, calling each handler on the Core's thread</summary>
    internal void Collect(Core core)
    {
        if (Volatile.Read(ref _signalled) == 0) return;
        // Clear first: a post from here on signals again, so nothing posted during collection is missed.
        // A full fence (not a volatile write): the queue reads below must not move before this store,
        // or a poster can see the old 1 and skip signalling while we miss its entry: a lost wake.
        Interlocked.Exchange(ref _signalled, 0);
        Internal.YieldPoint.Here();
        while (_signal.CurrentCount > 0 && _signal.Wait(0)) { }
        try
        {
            while (_work.TryDequeue(out RemoteWork? w))
            {
                Collected++;
                w.Queue(core);
            }
            while (_queue.TryDequeue(out WakeSlot? s))
            {
                if (Volatile.Read(ref s.Dropped) != 0)
                {
                    if (s.DropDelivered) continue;
                    s.DropDelivered = true;
                    Live--;
                    Debug.Assert(Live >= 0, "Every dropped waker was counted live.");
                    if (!s.Handler.IsEnded) s.Handler.Send(true);
                    continue;
                }
                Collected++;
                // Re-arm before the handler runs, so a wake during it posts again. A full fence, so the
                // handler's reads of the caller's queue cannot move before it (see above).
                Interlocked.Exchange(ref s.Pending, 0);
                Internal.YieldPoint.Here();
                if (!s.Handler.IsEnded) s.Handler.Send(false);
            }
        }
        finally
        {
            // A handler threw (the exception leaves Run): what is still queued must not wait for
            // another waker's post, so leave the signal set and the next Run collects it.
            if (!_queue.IsEmpty || !_work.IsEmpty) Volatile.Write(ref _signalled, 1);
        }
    }
}

/// <summary>A piece of work posted to a Core from another thread</summary>
internal abstract class RemoteWork
{
    /// <summary>Queues the work as a plain call on the Core's thread</summary>
    internal abstract void Queue(Core core);
}

internal sealed class RemoteWork<TState>(Action<TState> fn, TState state) : RemoteWork
{
    internal override void Queue(Core core) => core.Defer(fn, state);
}
