using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;
using Stakker.Returns;

namespace Stakker.Async;

/// <summary>A Ret end-point that completes a <see cref="ValueTask{T}"/>: the push pipe and <c>Ask</c></summary>
/// <remarks>
/// <para>One pooled object is both the Ret's node and the ValueTask's source, so an ask round trip
/// allocates nothing in steady state. It goes back to its Core's pool once both sides are done: the
/// Ret was answered or abandoned, and the ValueTask's result was taken.</para>
/// <para>Core thread only: it is made, answered and awaited there (the continuation is queued back
/// through the awaiting context; see <see cref="Continuation"/>).</para>
/// </remarks>
internal sealed class RetToTask<T> : RetNode<T>, IValueTaskSource<T>
{
    internal ActorEndPolicy Policy;
    short _token;
    bool _done;
    bool _retClosed;
    bool _resultTaken;
    T _result = default!;
    Exception? _error;
    Continuation _continuation;
    CancellationTokenRegistration _cancel;

    /// <summary>Prepares a rented node; returns the pair of ends</summary>
    internal (ValueTask<T> Task, Ret<T> Ret) Open(ActorEndPolicy policy, CancellationToken ct)
    {
        Policy = policy;
        _done = _retClosed = _resultTaken = false;
        var pair = (new ValueTask<T>(this, _token), new Ret<T>(this));
        if (ct.CanBeCanceled)
        {
            // Allocates a registration; only the overloads taking a token pay for it.
            _cancel = ct.UnsafeRegister(static (s, t) => ((RetToTask<T>)s!).Cancel(t), this);
        }
        return pair;
    }

    internal override void Deliver(T value)
    {
        _retClosed = true;
        if (!_done)
        {
            _result = value;
            Complete();
        }
        MaybeRecycle();
    }

    internal override void DeliverNone()
    {
        _retClosed = true;
        if (!_done)
        {
            _error = Policy == ActorEndPolicy.Surface ? new ActorFail() : new OperationCanceledException("The request was dropped: the actor that held the Ret ended or abandoned it.");
            Complete();
        }
        MaybeRecycle();
    }

    internal override void DeliverNone(object cause)
    {
        _retClosed = true;
        if (!_done)
        {
            string why = "No result: " + cause + ".";
            _error = Policy == ActorEndPolicy.Surface ? new ActorFail(why) : new OperationCanceledException(why);
            Complete();
        }
        MaybeRecycle();
    }

    void Cancel(CancellationToken token)
    {
        // From the token's thread: hop to the Core before touching state.
        if (!Core.IsOnThread)
        {
            Core.PostAnyThread(static s => s.Node.CancelOnCore(s.Token, s.Version), (Node: this, Token: token, Version: _token));
            return;
        }
        CancelOnCore(token, _token);
    }

    void CancelOnCore(CancellationToken token, short version)
    {
        if (version != _token || _done) return;
        _error = new OperationCanceledException(token);
        Complete();
    }

    void Complete()
    {
        _done = true;
        _continuation.Fire();
    }

    void MaybeRecycle()
    {
        if (!_retClosed || !_resultTaken) return;
        _cancel.Dispose();
        _cancel = default;
        _token++;
        _result = default!;
        _error = null;
        Core.Pool.Return(this);
    }

    internal override void Scrub() => _continuation.Scrub();

    void Validate(short token)
    {
        if (token != _token) throw new InvalidOperationException("The result of this ValueTask was already consumed: a ValueTask may be awaited only once.");
    }

    public T GetResult(short token)
    {
        Validate(token);
        if (!_done) throw new InvalidOperationException("The ValueTask has not completed: await it instead of reading its result.");
        T result = _result;
        Exception? error = _error;
        _resultTaken = true;
        if (_retClosed) MaybeRecycle();
        else _token++;   // the Ret is still out there: this token is spent, the node waits for it
        if (error is not null) ExceptionDispatchInfo.Throw(error);
        return result;
    }

    public ValueTaskSourceStatus GetStatus(short token)
    {
        Validate(token);
        return SourceStatus.Of(_done, _error);
    }

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        Validate(token);
        Core.CheckThread();
        _continuation.Set(continuation, state, flags);
        if (_done) _continuation.Fire();
    }
}
