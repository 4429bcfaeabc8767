using System.Runtime.CompilerServices;
using Stakker.Actors;
using Stakker.Calls;
using Stakker.Internal;

namespace Stakker;

public sealed partial class Core
{
    bool _querying;

    /// <summary>Runs everything that is due at <paramref name="now"/></summary>
    /// <param name="now">The current time; a time earlier than <see cref="Now"/> is ignored.</param>
    /// <param name="idle">True if the driver has nothing else to do: one idle call runs first.</param>
    /// <returns>True if idle calls remain.</returns>
    /// <remarks>
    /// Order: the pending wakes are collected; if <paramref name="idle"/>, one idle call runs;
    /// time advances and every timer due by <paramref name="now"/> is appended to the main queue,
    /// after the calls already queued, in expiry order; the main queue is drained, including calls
    /// queued while draining; then the lazy queue, batch by batch; until both are empty.
    /// An exception escaping an actor's handler fails that actor and the run goes on; one escaping a
    /// plain callback (<see cref="Defer(Action)"/>, a <see cref="Ret.From{T}"/> callback) propagates
    /// out of Run with the queues intact, and the next Run carries on from there.
    /// </remarks>
    public unsafe bool Run(Instant now, bool idle)
    {
        byte marker;
        CheckThread();
        if (_inRun || _current is not null) ThrowHelper.ThrowRunFromHandler(_current?.Name);
        if (_disposed) ThrowHelper.ThrowDisposed();
        _inRun = true;
        // Awaits in code run here resume on this Core (see CoreSynchronizationContext).
        SynchronizationContext? prevContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(SynchronizationContext);
        Core? prevRunning = t_running;
        t_running = this;
        if (RuntimeHelpers.TryEnsureSufficientExecutionStack()) _runStackTop = (nint)(&marker);
        try
        {
            if (Diagnostics is not null) RefreshDiverted();
            PollWakes();
            if (idle && Queues.Idle.Pop() is { } item) RunGuarded(item);
            if (now > _now)
            {
                _now = now;
                _timers.Expire(now, ref Queues.Main);
            }
            Drain();
            // Calls made to other Cores in this run go over now, one batch per destination.
            FlushCrossCore();
            AfterDrain();
        }
        finally
        {
            _inRun = false;
            _runStackTop = 0;
            _current = null;
            t_running = prevRunning;
            SynchronizationContext.SetSynchronizationContext(prevContext);
        }
        AssertInvariants();
        return !Queues.Idle.IsEmpty;
    }

    /// <summary>Runs what is queued, at the current time: time does not move and no new timer fires</summary>
    /// <remarks><see cref="Run"/> moves time (firing the timers due) before it drains the queue, so
    /// calls already queued would see the new time. Call this first to run them at the time they were
    /// queued: <c>core.RunQueued(); core.Run(later, false);</c>, or use <see cref="RunUntil"/>.</remarks>
    /// <returns>True if idle calls remain.</returns>
    public bool RunQueued() => Run(_now, idle: false);

    /// <summary>Virtual time: runs what is queued now, then steps time from timer to timer up to
    /// <paramref name="until"/>, so each timer's call sees <see cref="Now"/> equal to its own expiry</summary>
    /// <remarks>For tests and simulations driven on virtual time. Stops early if the Core is shut down.
    /// Ends with <see cref="Now"/> at <paramref name="until"/> (or later, if it already was).</remarks>
    /// <returns>True if idle calls remain.</returns>
    public bool RunUntil(Instant until)
    {
        bool idleLeft = RunQueued();
        while (!IsShutdown && NextExpiry is { } next && next <= until) idleLeft = Run(next, idle: false);
        if (!IsShutdown && until > _now) idleLeft = Run(until, idle: false);
        return idleLeft;
    }

    void Drain()
    {
        for (;;)
        {
            try
            {
                for (;;)
                {
                    // A lazy batch runs to the end before the main-queue calls it generated. The batch
                    // is only ever filled by the swap below, so the main loop need not look at it.
                    while (Queues.LazyBatch.Pop() is { } b) b.Run(this);
                    do
                    {
                        while (Queues.Main.HasRingCalls) Queues.Main.RunNext(this);
                    }
                    while (Queues.Main.HasOverflow && Queues.Main.Refill());
                    if (Queues.Lazy.IsEmpty) return;
                    // Take the whole lazy queue as the batch; the empty batch ring becomes the new lazy queue.
                    Queues.TakeLazyBatch();
                }
            }
            catch (Exception ex)
            {
                HandleFault(ex);
            }
        }
    }

    /// <summary>How long the queues and pools must see no growth before a trim gives memory back</summary>
    public static readonly TimeSpan TrimInterval = TimeSpan.FromSeconds(1);

    int _growthSeen;
    Instant _lastGrowth;
    Instant _nextTrim;

    /// <summary>The queues are empty: note growth, and trim when a trim is due</summary>
    void AfterDrain()
    {
        int growth = Pool.News + Queues.Grows;
        if (growth != _growthSeen)
        {
            _growthSeen = growth;
            _lastGrowth = _now;
        }
        if (_now >= _nextTrim) Trim();
    }

    /// <summary>Gives memory back: every <see cref="TrimInterval"/> of Core time, at the end of a Run</summary>
    /// <remarks>
    /// Queue slots and free nodes keep their last references so the next identical call skips the
    /// store (a GC write barrier); a trim clears them, so a dead actor or a call's argument stays
    /// reachable from the runtime only until the next trim. When nothing has grown for a whole
    /// interval (no ring growth, no overflow chunk, no new pooled node), the trim is <em>quiet</em>:
    /// overflow chunks, oversized rings and all but a few free nodes per type are let go, so after
    /// a burst the Core returns to its baseline. Costs a pass over the rings and free lists, once per
    /// interval.
    /// </remarks>
    void Trim()
    {
        bool quiet = _now - _lastGrowth >= TrimInterval;
        Queues.Trim(quiet);
        Pool.Trim(quiet);
        _timers.Trim(quiet);
        _links?.Trim(quiet);
        _nextTrim = _now + TrimInterval;
    }

    /// <summary>Memory the queues and pools hold now (for tests of trimming)</summary>
    internal (int MainRing, int OverflowChunks, int FreeNodes, int FreeNodeSlots, int TimerSlots) Held
    {
        get
        {
            var (nodes, slots) = Pool.Held;
            return (Queues.Main.RingLength, Queues.OverflowChunks, nodes, slots, _timers.SlotsHeld);
        }
    }

    /// <summary>Runs one call outside the drain loop, failing the actor if its handler throws</summary>
    internal void RunGuarded(CallNode node)
    {
        try { node.Run(this); }
        catch (Exception ex) { HandleFault(ex); }
    }

    /// <summary>An exception escaped a call: fail the actor that was running, or rethrow</summary>
    void HandleFault(Exception ex)
    {
        ActorCellBase? cell = _current;
        _current = null;
        if (cell is null) ThrowHelper.Rethrow(ex);
        cell.Terminate(StopCause.Failed(ex));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void EnterHandler(ActorCellBase cell) => _current = cell;

    /// <summary>True while <paramref name="cell"/>'s handler (or coroutine turn) is running</summary>
    internal bool IsCurrent(ActorCellBase cell) => ReferenceEquals(_current, cell);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void LeaveHandler() => _current = null;

    /// <summary>The handler returned: apply a stop or failure it requested</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void ExitHandler(ActorCellBase cell)
    {
        _current = null;
        if (cell.PendingStop is { } cause)
        {
            cell.PendingStop = null;
            cell.Terminate(cause);
        }
    }

    /// <summary>Runs a synchronous query on a Ready actor (the only direct entry into a handler)</summary>
    internal bool TryQuery<TActor, TResult>(ActorCell<TActor> cell, ActorQuery<TActor, TResult> fn, out TResult result) where TActor : class
    {
        CheckThread(cell);
        if (_current is not null) ThrowHelper.ThrowQueryFromHandler(cell.Name);
        if (cell.State != ActorState.Ready) { result = default!; return false; }
        _current = cell;
        _querying = true;
        try
        {
            result = fn(cell.Value!, new Cx<TActor>(cell));
        }
        catch (Exception ex)
        {
            _current = null;
            cell.Terminate(StopCause.Failed(ex));
            throw;
        }
        finally
        {
            _querying = false;
        }
        ExitHandler(cell);
        return true;
    }
}
