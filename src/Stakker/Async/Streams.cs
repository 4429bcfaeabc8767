using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;
using Stakker.Async;

namespace Stakker;

/// <summary>Async streams to and from actors: <see cref="IAsyncEnumerable{T}"/> ⇄ <see cref="Fwd{T}"/></summary>
public static class Streams
{
    /// <summary>The spawn-stream mapping: drains <paramref name="source"/> on the Core into <paramref name="fwd"/></summary>
    /// <remarks>Each item is sent as it arrives; the end of the source ends the Fwd (<see cref="Fwd{T}.End"/>),
    /// an exception fails it (<see cref="Fwd{T}.Fail"/>). Cancelling <paramref name="cancellationToken"/>
    /// stops the drain; then <paramref name="policy"/> decides: <see cref="ActorEndPolicy.Drop"/> stops
    /// silently, <see cref="ActorEndPolicy.Surface"/> fails the Fwd with <see cref="ActorFail"/>.</remarks>
    public static Task SpawnStream<T>(this Core core, IAsyncEnumerable<T> source, Fwd<T> fwd,
        ActorEndPolicy policy = ActorEndPolicy.Drop, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(fwd);
        core.CheckThread();
        SynchronizationContext? prev = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(core.SynchronizationContext);
        try { return Drain(source, fwd, policy, cancellationToken); }
        finally { SynchronizationContext.SetSynchronizationContext(prev); }
    }

    /// <summary>Drains <paramref name="source"/> into <paramref name="fwd"/> for as long as this actor lives</summary>
    public static Task SpawnStream<TActor, T>(this Cx<TActor> cx, IAsyncEnumerable<T> source, Fwd<T> fwd,
        ActorEndPolicy policy = ActorEndPolicy.Drop) where TActor : class =>
        cx.Core.SpawnStream(source, fwd, policy, cx.This.Cell!.EndToken);

    static async Task Drain<T>(IAsyncEnumerable<T> source, Fwd<T> fwd, ActorEndPolicy policy, CancellationToken ct)
    {
        try
        {
            await foreach (T item in source.WithCancellation(ct))
            {
                // Also for sources that ignore the token: nothing is sent after cancellation.
                ct.ThrowIfCancellationRequested();
                if (fwd.IsEnded) return;
                fwd.Send(item);
            }
            if (!fwd.IsEnded) fwd.End();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            if (policy == ActorEndPolicy.Surface && !fwd.IsEnded) fwd.Fail(new ActorFail("The stream was cancelled: its actor ended."));
        }
        catch (Exception ex)
        {
            if (!fwd.IsEnded) fwd.Fail(ex);
        }
    }

    /// <summary>The push-stream mapping: a Fwd that producers send into, read as an <see cref="IAsyncEnumerable{T}"/></summary>
    /// <param name="core">The Core; the stream is consumed on its thread.</param>
    /// <param name="more">Told "queue empty, send more" each time the consumer finds the buffer empty;
    /// ended (its end handler called) when the consumer stops early.</param>
    /// <param name="capacity">Most items buffered: a producer that sends more than this without being
    /// asked gets an exception, so a slow consumer never makes the buffer grow without limit.</param>
    /// <param name="policy">What the consumer sees when the producer fails the stream:
    /// <see cref="ActorEndPolicy.Surface"/> rethrows the producer's error,
    /// <see cref="ActorEndPolicy.Drop"/> throws <see cref="OperationCanceledException"/>.</param>
    public static (IAsyncEnumerable<T> Stream, Fwd<T> Sink) FwdToStream<T>(Core core, Fwd<Unit> more, int capacity = 64,
        ActorEndPolicy policy = ActorEndPolicy.Surface)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(more);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        core.CheckThread();
        var stream = new PushStream<T>(core, more, capacity, policy);
        return (stream, new PushStreamSink<T>(stream));
    }
}

/// <summary>The consumer side of a push stream: one enumeration, on the Core's thread</summary>
internal sealed class PushStream<T>(Core core, Fwd<Unit> more, int capacity, ActorEndPolicy policy)
    : IAsyncEnumerable<T>, IAsyncEnumerator<T>, IValueTaskSource<bool>
{
    readonly Queue<T> _buffer = new();
    bool _enumerating;
    bool _asked;
    bool _waiting;
    bool _ended;
    bool _closed;
    Exception? _error;
    short _token;
    bool _result;
    Exception? _resultError;
    Continuation _continuation;

    public T Current { get; private set; } = default!;

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        core.CheckThread();
        if (_enumerating) throw new InvalidOperationException("A push stream has one consumer: it can be enumerated once.");
        _enumerating = true;
        return this;
    }

    public ValueTask<bool> MoveNextAsync()
    {
        core.CheckThread();
        if (_buffer.TryDequeue(out T? item))
        {
            Current = item;
            return new ValueTask<bool>(true);
        }
        if (_ended)
        {
            if (_error is not null) return ValueTask.FromException<bool>(_error);
            return new ValueTask<bool>(false);
        }
        // Empty: ask the producer once for more, then wait.
        if (!_asked)
        {
            _asked = true;
            more.Send(default);
        }
        _waiting = true;
        return new ValueTask<bool>(this, _token);
    }

    internal void Push(T item)
    {
        core.CheckThread();
        if (_closed) return;   // the consumer has gone; the producer hears it through 'more'
        _asked = false;
        if (_waiting)
        {
            Current = item;
            Wake(true, null);
            return;
        }
        if (_buffer.Count >= capacity)
            throw new InvalidOperationException($"Push stream buffer full ({capacity} items): the producer must wait for a 'more' signal before sending further.");
        _buffer.Enqueue(item);
    }

    internal void Finish(StreamEnd end)
    {
        if (_closed) return;
        _ended = true;
        if (end.IsFailure)
            _error = policy == ActorEndPolicy.Surface ? end.Error : new OperationCanceledException("The stream's producer failed.", end.Error);
        if (_waiting) Wake(false, _error);
    }

    void Wake(bool result, Exception? error)
    {
        _waiting = false;
        _result = result;
        _resultError = error;
        _continuation.Fire();
    }

    public ValueTask DisposeAsync()
    {
        core.CheckThread();
        if (!_closed)
        {
            _closed = true;
            _buffer.Clear();
            // Stopped early: tell the producer.
            if (!_ended && !more.IsEnded) more.End();
        }
        return ValueTask.CompletedTask;
    }

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        if (token != _token) throw new InvalidOperationException("This ValueTask was already consumed.");
        _token++;
        Exception? e = _resultError;
        _resultError = null;
        if (e is not null) ExceptionDispatchInfo.Throw(e);
        return _result;
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token)
    {
        if (token != _token) throw new InvalidOperationException("This ValueTask was already consumed.");
        return SourceStatus.Of(!_waiting, _resultError);
    }

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        if (token != _token) throw new InvalidOperationException("This ValueTask was already consumed.");
        core.CheckThread();
        _continuation.Set(continuation, state, flags);
        if (!_waiting) _continuation.Fire();
    }

    internal Core Core => core;
}

/// <summary>The producer side of a push stream</summary>
internal sealed class PushStreamSink<T>(PushStream<T> stream) : Fwd<T>
{
    private protected override void SendCore(T value) => stream.Push(value);
    private protected override void EndCore(StreamEnd end) => stream.Finish(end);
    private protected override void CheckThread() => stream.Core.CheckThread();
}
