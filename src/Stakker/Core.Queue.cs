using System.Runtime.CompilerServices;
using Stakker.Actors;
using Stakker.Calls;
using Stakker.Internal;
using Stakker.Returns;

namespace Stakker;

public sealed partial class Core
{
    /// <summary>Queues a plain action on the main queue</summary>
    /// <remarks>For code outside actors (drivers, callbacks). The action is not an actor handler: an
    /// exception from it propagates out of <see cref="Run"/>.</remarks>
    public void Defer(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckThread();
        Push(PlainCall(action));
    }

    /// <summary>Queues a plain action with a state argument (use a static lambda: no allocation)</summary>
    public void Defer<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckThread();
        Push(PlainCall(action, state));
    }

    /// <summary>Queues a plain action on the lazy queue, run once the main queue is empty</summary>
    public void Lazy(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckThread();
        Push(PlainCall(action), Lane.Lazy);
    }

    /// <summary>Queues a plain action with a state argument on the lazy queue (static lambda: no allocation)</summary>
    public void Lazy<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckThread();
        Push(PlainCall(action, state), Lane.Lazy);
    }

    /// <summary>Queues a plain action with a state argument on the idle queue</summary>
    public void Idle<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckThread();
        Push(PlainCall(action, state), Lane.Idle);
    }

    /// <summary>Queues a plain action on the idle queue, run one per <c>Run(now, idle: true)</c></summary>
    public void Idle(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckThread();
        Push(PlainCall(action), Lane.Idle);
    }

    /// <summary>How deeply plain callbacks (<see cref="Ret.From{T}"/>) may nest before the next one is queued</summary>
    /// <remarks>Such a callback runs where its Ret is answered, so a chain of them, each answering the
    /// next from inside its own callback, would grow the stack without bound. Past this depth the
    /// callback is queued on the main queue and runs in the current <see cref="Run"/> (or the next one,
    /// if the answer was given outside Run), after the calls already queued.</remarks>
    public const int MaxCallbackNesting = 64;

    int _callbackDepth;

    /// <summary>True when plain callbacks already nest <see cref="MaxCallbackNesting"/> deep: the next is queued</summary>
    /// <remarks>After Dispose a queued callback would be dropped unrun, so it then runs inline rather
    /// than lose an answer.</remarks>
    internal bool MustQueueCallback => _callbackDepth >= MaxCallbackNesting && !_disposed;

    /// <summary>Queues a plain callback on the main queue</summary>
    internal void QueueCallback<TArg>(Action<TArg> fn, TArg arg) => Push(PlainCall(fn, arg));

    /// <summary>Runs a plain callback now, or queues it if callbacks already nest too deeply</summary>
    internal void RunCallback<TArg>(Action<TArg> fn, TArg arg)
    {
        if (MustQueueCallback)
        {
            QueueCallback(fn, arg);
            return;
        }
        _callbackDepth++;
        try { fn(arg); }
        finally { _callbackDepth--; }
    }

    /// <summary>True if idle calls are waiting</summary>
    public bool HasIdleWork => !Queues.Idle.IsEmpty;

    ActionCall PlainCall(Action action)
    {
        var n = Pool.Rent<ActionCall>();
        n.Fn = action;
        return n;
    }

    ActionCall<TState> PlainCall<TState>(Action<TState> action, TState state)
    {
        var n = Pool.Rent<ActionCall<TState>>();
        n.Set(action, state);
        return n;
    }

    /// <summary>A call made after <see cref="Dispose"/>: it never runs, and a Ret in it answers "no value" now</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void DropLate(CallNode node) => node.Drop(this);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Push(CallNode node, Lane lane = Lane.Main)
    {
        if (Diverted) { PushDiverted(node, lane); return; }
        Queues.Push(node, lane);
    }
}
