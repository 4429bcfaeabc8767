using Stakker.Internal;

namespace Stakker;

public sealed partial class Core
{
    readonly WakeInbox _wakes = new();

    /// <summary>Makes a <see cref="Waker"/> whose wakes send <c>false</c> to <paramref name="handler"/>, and whose disposal sends <c>true</c> once</summary>
    /// <remarks>Call on the Core's thread; hand the waker to any other thread. Typical handler: a
    /// <see cref="Fwd{T}"/> into an actor (<c>cx.Fwd&lt;bool&gt;(...)</c>) that drains a concurrent queue.</remarks>
    public Waker CreateWaker(Fwd<bool> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        CheckThread();
        if (_disposed) ThrowHelper.ThrowDisposed();
        _wakes.Live++;
        return new Waker(new WakeSlot(_wakes, handler));
    }

    /// <summary>Number of wakers made here and not yet reported dropped</summary>
    public int WakerCount => _wakes.Live;

    /// <summary>Replaces how a wake reaches the driver: <paramref name="pollWaker"/> is called, from
    /// any thread, on the first wake after each collection</summary>
    /// <remarks>For drivers with their own event loop (a UI dispatcher, a socket poller). Without one,
    /// <see cref="WaitForWake"/> blocks until a wake arrives.</remarks>
    public void SetPollWaker(Action pollWaker)
    {
        ArgumentNullException.ThrowIfNull(pollWaker);
        CheckThread();
        _wakes.SetPollWaker(pollWaker);
    }

    /// <summary>Blocks the Core's thread until a waker fires or <paramref name="timeout"/> passes</summary>
    /// <returns>True if woken. Pass <see cref="NextWait"/> as the timeout to also wake for timers.</returns>
    /// <remarks>With a wait source (<see cref="SetWaitSource"/>) the source blocks instead, and is polled
    /// without blocking when a wake is already pending.</remarks>
    public bool WaitForWake(TimeSpan timeout)
    {
        CheckThread();
        if (_current is not null || _inRun) ThrowHelper.ThrowRunFromHandler();
        if (_extras?.WaitSource is { } source)
        {
            bool pending = _wakes.IsSignalled;
            if (pending || timeout <= TimeSpan.Zero) return source.Wait(TimeSpan.Zero) || pending;
            // Only now can a post need the source's wake (decision 054): announce the block, then look
            // once more for a wake posted before the announcement.
            if (_wakes.EnterSourceWait())
            {
                _wakes.LeaveSourceWait();
                source.Wait(TimeSpan.Zero);
                return true;
            }
            try
            {
                return source.Wait(timeout);
            }
            finally
            {
                _wakes.LeaveSourceWait();
            }
        }
        return _wakes.Wait(timeout, spin: _links is { TakeHandedOver: true });
    }

    /// <summary>True once a wait source is set: a driver polls it even when it need not sleep</summary>
    public bool HasWaitSource => _extras?.WaitSource is not null;

    /// <summary>Makes <paramref name="source"/> the thing the Core's thread blocks in (for example an
    /// I/O poller), and its <see cref="ICoreWaitSource.Wake"/> the way other threads interrupt it</summary>
    /// <remarks>Set once, on the Core's thread, before a driver starts waiting. A driver calls
    /// <see cref="WaitForWake"/> on every turn (with a zero timeout when work is queued), so the
    /// source is polled even while the Core is busy.</remarks>
    public void SetWaitSource(ICoreWaitSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckThread();
        if (HasWaitSource) throw new InvalidOperationException("This Core already has a wait source: a Core blocks in one place only.");
        Extras.WaitSource = source;
        _wakes.SetPollWaker(source.Wake, onlyWhenSleeping: true);
    }

    /// <summary>Collects wakes now (<see cref="Run"/> does this first thing)</summary>
    void PollWakes() => _wakes.Collect(this);
}
