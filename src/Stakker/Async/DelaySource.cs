using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;
using Stakker.Actors;

namespace Stakker.Async;

/// <summary>A pooled delay on a Core's timers, awaited as a <see cref="ValueTask"/></summary>
/// <remarks>Optionally tied to an actor: if it ends first, the timer is cancelled and the await fails
/// per the policy. Core thread only. Back to the pool once its result is taken.</remarks>
internal sealed class DelaySource : ActorEndListener, IValueTaskSource
{
    Core _core = null!;
    short _token;
    bool _done;
    Exception? _error;
    FixedTimerKey _timer;
    ActorEndPolicy _policy;
    Continuation _continuation;

    internal static ValueTask Start(Core core, TimeSpan delay, ActorCellBase? actor, ActorEndPolicy policy)
    {
        core.CheckThread();
        var s = core.Pool.Rent<DelaySource>();
        s._core = core;
        s._done = false;
        s._error = null;
        s._policy = policy;
        actor?.Extras.Add(s);
        s._timer = core.At(core.Now + delay, static d => d.Elapsed(), s);
        return new ValueTask(s, s._token);
    }

    void Elapsed()
    {
        _timer = default;
        Unregister();
        Complete(null);
    }

    internal override void ActorEnded()
    {
        _core.TimerDel(_timer);
        _timer = default;
        Complete(_policy == ActorEndPolicy.Surface ? new ActorFail() : new OperationCanceledException("The actor ended during the delay."));
    }

    void Complete(Exception? error)
    {
        if (_done) return;
        _done = true;
        _error = error;
        _continuation.Fire();
    }

    internal override void Scrub() => _continuation.Scrub();

    public void GetResult(short token)
    {
        if (token != _token || !_done) throw new InvalidOperationException("This ValueTask was already consumed or has not completed.");
        Exception? error = _error;
        _token++;
        _error = null;
        _core.Pool.Return(this);
        if (error is not null) ExceptionDispatchInfo.Throw(error);
    }

    public ValueTaskSourceStatus GetStatus(short token)
    {
        if (token != _token) throw new InvalidOperationException("This ValueTask was already consumed.");
        return SourceStatus.Of(_done, _error);
    }

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        if (token != _token) throw new InvalidOperationException("This ValueTask was already consumed.");
        _core.CheckThread();
        _continuation.Set(continuation, state, flags);
        if (_done) _continuation.Fire();
    }
}
