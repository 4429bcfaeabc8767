using Stakker.Actors;
using Stakker.Internal;
using Stakker.Returns;

namespace Stakker;

/// <summary>The context of an actor coroutine: an async method that runs on its actor's turns</summary>
/// <remarks>
/// <para>Start one with <see cref="AsyncCxExtensions.StartAsync{T}(Cx{T}, Func{AsyncCx{T}, Task}, ActorEndPolicy)"/>.
/// Its code runs on the Core's thread as calls to the actor: the part before the first <c>await</c>
/// inside the handler that started it, each later part as a queued call. Between awaits the actor's
/// queue keeps running, so other calls (and other coroutines) interleave; during each part the
/// coroutine may read and change <see cref="State"/>.</para>
/// <para>When the actor ends, <see cref="Token"/> is cancelled and the policy given at start applies
/// (see <see cref="ActorEndPolicy"/>). An exception escaping the coroutine fails the actor.</para>
/// </remarks>
public sealed class AsyncCx<T> where T : class
{
    readonly ActorCell<T> _cell;

    internal AsyncCx(ActorCell<T> cell, ActorEndPolicy policy)
    {
        _cell = cell;
        Policy = policy;
    }

    /// <summary>What happens to this coroutine if its actor ends</summary>
    public ActorEndPolicy Policy { get; }

    /// <summary>The actor</summary>
    public Actor<T> This => new(_cell);

    /// <summary>The runtime</summary>
    public Core Core => _cell.Core;

    /// <summary>Current (possibly virtual) time</summary>
    public Instant Now => _cell.Core.Now;

    internal bool IsPrep => _cell.State == ActorState.Prep;

    /// <summary>True once the actor has ended</summary>
    public bool IsActorEnded => _cell.State == ActorState.Zombie;

    /// <summary>The actor's state, reachable during the coroutine's turns</summary>
    /// <exception cref="ActorFail">The actor has ended.</exception>
    /// <exception cref="InvalidOperationException">Touched off the Core's thread or outside the actor's turn (e.g. after <c>ConfigureAwait(false)</c>).</exception>
    public T State
    {
        get
        {
            Core core = _cell.Core;
            core.CheckThread();
            if (_cell.State == ActorState.Zombie) throw new ActorFail($"{_cell.Name} has ended: its state is gone.");
            if (!core.IsCurrent(_cell)) ThrowHelper.ThrowStateOutsideTurn(_cell.Name);
            return _cell.Value!;
        }
    }

    /// <summary>Cancelled when the actor ends; pass it to the async APIs the coroutine calls</summary>
    public CancellationToken Token => _cell.EndToken;

    /// <summary>Completes after <paramref name="delay"/> of the Core's time (virtual in tests)</summary>
    /// <remarks>Pooled: no allocation in steady state. If the actor ends first, the await throws
    /// (<see cref="ActorEndPolicy.Surface"/>: <see cref="ActorFail"/>) or the coroutine is dropped.</remarks>
    public ValueTask Delay(TimeSpan delay) => Async.DelaySource.Start(_cell.Core, delay, _cell, Policy);

    /// <summary>Ends the actor with <see cref="StopCause.Stopped"/> at the end of this turn</summary>
    public void Stop() => RequestStop(StopCause.Stopped);

    /// <summary>Fails the actor at the end of this turn</summary>
    public void Fail(Exception error) => RequestStop(StopCause.Failed(error));

    void RequestStop(StopCause cause)
    {
        Core core = _cell.Core;
        core.CheckThread();
        if (_cell.State == ActorState.Zombie) return;
        if (!core.IsCurrent(_cell)) ThrowHelper.ThrowStateOutsideTurn(_cell.Name);
        _cell.RequestStop(cause);
    }
}

/// <summary>Starts coroutines and tasks from an actor's handler</summary>
public static class AsyncCxExtensions
{
    /// <summary>Starts a coroutine on this actor</summary>
    /// <param name="cx">The handler's context.</param>
    /// <param name="body">The async method: <c>static async co => { await co.Delay(...); co.State.X++; }</c>.</param>
    /// <param name="policy">What happens to the coroutine if the actor ends while it awaits.</param>
    /// <returns>The coroutine's task (faulted if it threw; the actor then fails too).</returns>
    public static Task StartAsync<T>(this Cx<T> cx, Func<AsyncCx<T>, Task> body, ActorEndPolicy policy = ActorEndPolicy.Drop) where T : class
    {
        ArgumentNullException.ThrowIfNull(body);
        ActorCell<T> cell = cx.This.Cell!;
        var co = new AsyncCx<T>(cell, policy);
        var ctx = new Async.ActorContext<T>(cell, policy);
        SynchronizationContext? prev = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(ctx);
        try { return RunCoroutine(co, body); }
        finally { SynchronizationContext.SetSynchronizationContext(prev); }
    }

    /// <summary>Runs a task-returning coroutine on this actor and sends its result to <paramref name="ret"/></summary>
    /// <remarks>The spawn mapping: the result answers the Ret; an exception fails the actor and the Ret
    /// answers "no value"; if the actor ends first, the policy applies and the Ret answers "no value".</remarks>
    public static void SpawnTask<T, TResult>(this Cx<T> cx, Func<AsyncCx<T>, Task<TResult>> body, Ret<TResult> ret, ActorEndPolicy policy = ActorEndPolicy.Drop) where T : class
    {
        ArgumentNullException.ThrowIfNull(body);
        var holder = new AsyncBodyRet<TResult>(ret);
        _ = cx.StartAsync(async co =>
        {
            try { holder.Answer(await body(co).ConfigureAwait(true)); }
            finally { holder.Abandon(); }
        }, policy);
        // With Drop, a coroutine of an ended actor never finishes: the actor's end answers the Ret.
        cx.This.Cell!.Extras.Add(holder);
    }

    static async Task RunCoroutine<T>(AsyncCx<T> co, Func<AsyncCx<T>, Task> body) where T : class
    {
        try
        {
            // Started during init: the state does not exist yet, so begin on the actor's first
            // turn after it becomes Ready (the continuation waits in its Prep queue).
            if (co.IsPrep) await Task.Yield();
            await body(co);
        }
        catch (Exception ex) when (!co.IsActorEnded)
        {
            // An escaping exception fails the actor, at the end of the current turn.
            co.Fail(ex);
            throw;
        }
    }
}

/// <summary>Keeps a Ret for an async body and answers it exactly once: with the result, or "no value"</summary>
internal sealed class AsyncBodyRet<T> : ActorEndListener
{
    Ret<T> _ret;

    internal AsyncBodyRet(Ret<T> ret)
    {
        // The async body owns the Ret now, not the call that carried it into the handler.
        if (ret.IsPending) RetHolding.Release(ret.Node!);
        _ret = ret;
    }

    internal void Answer(T value)
    {
        Ret<T> r = _ret;
        _ret = default;
        if (r.IsPending) r.Answer(value);
    }

    internal void Abandon()
    {
        Unregister();
        Ret<T> r = _ret;
        _ret = default;
        r.Dispose();
    }

    internal override void ActorEnded() => Abandon();
}
