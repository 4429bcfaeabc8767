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
    public bool WaitForWake(TimeSpan timeout)
    {
        CheckThread();
        if (_current is not null || _inRun) ThrowHelper.ThrowRunFromHandler();
        return _wakes.Wait(timeout);
    }

    /// <summary>Collects wakes now (<see cref="Run"/> does this first thing)</summary>
    void PollWakes() => _wakes.Collect(this);
}
