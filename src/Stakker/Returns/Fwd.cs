using Stakker.Actors;
using Stakker.Internal;
using Stakker.Calls;

namespace Stakker;

/// <summary>Pushes a stream of values of type <typeparamref name="T"/> to an end-point</summary>
/// <remarks>
/// <para>One object, allocated when the Fwd is made and shared by everyone who holds it; each
/// <see cref="Send"/> to an actor queues one pooled call and allocates nothing.</para>
/// <para>A Fwd whose target actor has ended drops values silently. A stream ends explicitly with
/// <see cref="End"/> or <see cref="Fail"/>, which reach the end-point's end handler as a
/// <see cref="StreamEnd"/>, so it can tell a normal end from a failure. Sending after the end throws.</para>
/// </remarks>
public abstract partial class Fwd<T>
{
    bool _ended;

    private protected Fwd() { }

    /// <summary>True once <see cref="End"/> or <see cref="Fail"/> was called</summary>
    public bool IsEnded => _ended;

    /// <summary>Sends one value</summary>
    /// <exception cref="InvalidOperationException">The stream was already ended, or this is the wrong thread.</exception>
    public void Send(T value)
    {
        if (_ended) ThrowHelper.ThrowFwdEnded(typeof(T));
        SendCore(value);
    }

    /// <summary>Ends the stream normally</summary>
    public void End() => Finish(StreamEnd.Normal);

    /// <summary>Ends the stream with an error</summary>
    public void Fail(Exception error) => Finish(StreamEnd.Failed(error));

    void Finish(StreamEnd end)
    {
        if (_ended) ThrowHelper.ThrowFwdEnded(typeof(T));
        CheckThread();
        _ended = true;
        EndCore(end);
    }

    /// <summary>The stand-in on another Core (a no-op Fwd needs none)</summary>

    private protected abstract void SendCore(T value);
    private protected abstract void EndCore(StreamEnd end);
    private protected abstract void CheckThread();
}

/// <summary>Makes <see cref="Fwd{T}"/> end-points</summary>
public static class Fwd
{
    /// <summary>A Fwd that calls <paramref name="onItem"/> synchronously for each value</summary>
    public static Fwd<T> From<T>(Core core, Action<T> onItem, Action<StreamEnd>? onEnd = null)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(onItem);
        return new FwdToCallback<T>(core, onItem, onEnd);
    }

    /// <summary>A Fwd that ignores everything sent to it</summary>
    public static Fwd<T> Nop<T>() => new FwdNop<T>();
}

/// <summary>Calls plain callbacks synchronously, like <see cref="Returns.RetToCallback{T}"/>, nesting at most
/// <see cref="Core.MaxCallbackNesting"/> deep</summary>
/// <remarks>Once an item had to be queued, later items and the end queue behind it until it has run,
/// so the callbacks still see the stream in order.</remarks>
internal sealed class FwdToCallback<T>(Core core, Action<T> onItem, Action<StreamEnd>? onEnd) : Fwd<T>
{
    readonly Core _core = core;
    readonly Action<T> _onItem = onItem;
    readonly Action<StreamEnd>? _onEnd = onEnd;
    int _queued;

    private protected override void SendCore(T value)
    {
        _core.CheckThread();
        if (_queued == 0 && !_core.MustQueueCallback) _core.RunCallback(_onItem, value);
        else Queue(static s => s.Fwd._core.RunCallback(s.Fwd._onItem, s.Value), value);
    }

    private protected override void EndCore(StreamEnd end)
    {
        if (_onEnd is null) return;
        if (_queued == 0 && !_core.MustQueueCallback) _core.RunCallback(_onEnd, end);
        else Queue(static s => s.Fwd._core.RunCallback(s.Fwd._onEnd!, s.Value), end);
    }

    void Queue<TValue>(Action<(FwdToCallback<T> Fwd, TValue Value)> run, TValue value)
    {
        _queued++;
        _core.QueueCallback(static s =>
        {
            s.Fwd._queued--;
            s.Run((s.Fwd, s.Value));
        }, (Fwd: this, Run: run, Value: value));
    }

    private protected override void CheckThread() => _core.CheckThread();
}

internal sealed class FwdNop<T> : Fwd<T>
{
    private protected override void SendCore(T value) { }
    private protected override void EndCore(StreamEnd end) { }
    private protected override void CheckThread() { }
}
