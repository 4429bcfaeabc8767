using Stakker.Actors;
using Stakker.Async;
using Stakker.Returns;

namespace Stakker;

/// <summary>Asking actors from async code, and turning Rets into awaitables</summary>
public static class Pipes
{
    /// <summary>The push pipe: a Ret whose answer completes a ValueTask awaited by async code</summary>
    /// <remarks>Call on the Core's thread; await on it too. "No value" completes the task per <paramref name="policy"/>.</remarks>
    public static (ValueTask<T> Task, Ret<T> Ret) RetToTask<T>(Core core, ActorEndPolicy policy = ActorEndPolicy.Surface, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(core);
        return core.Pool.RentRet<RetToTask<T>>(core).Open(policy, cancellationToken);
    }

    /// <summary>The spawn mapping, outside actors: runs <paramref name="body"/> on the Core and answers <paramref name="ret"/> with its result</summary>
    /// <remarks>The body starts now, on the Core's thread, with the Core's context, so its awaits resume
    /// on the Core. A faulted or cancelled task answers "no value".</remarks>
    public static void SpawnTask<T>(this Core core, Func<Task<T>> body, Ret<T> ret)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(body);
        core.CheckThread();
        var holder = new AsyncBodyRet<T>(ret);
        SynchronizationContext? prev = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(core.SynchronizationContext);
        try { _ = Run(body, holder); }
        finally { SynchronizationContext.SetSynchronizationContext(prev); }

        static async Task Run(Func<Task<T>> body, AsyncBodyRet<T> holder)
        {
            try { holder.Answer(await body()); }
            catch (Exception) { /* the Ret says "no value"; the error belongs to the task's author */ }
            finally { holder.Abandon(); }
        }
    }
}

/// <summary>An awaitable that asks its actor only when first awaited</summary>
public readonly struct PullTask<T, TResult> where T : class
{
    readonly Actor<T> _actor;
    readonly ActorCall<T, Ret<TResult>> _request;
    readonly ActorEndPolicy _policy;

    internal PullTask(Actor<T> actor, ActorCall<T, Ret<TResult>> request, ActorEndPolicy policy)
    {
        _actor = actor;
        _request = request;
        _policy = policy;
    }

    /// <summary>Sends the request and returns the awaiter of its answer</summary>
    public System.Runtime.CompilerServices.ValueTaskAwaiter<TResult> GetAwaiter() =>
        _actor.Ask(_request, _policy).GetAwaiter();

    /// <summary>Sends the request now</summary>
    public ValueTask<TResult> AsValueTask() => _actor.Ask(_request, _policy);
}
