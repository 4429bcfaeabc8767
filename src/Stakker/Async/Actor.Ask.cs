using Stakker.Actors;
using Stakker.Async;
using Stakker.Calls;
using Stakker.Returns;

namespace Stakker;

public readonly partial struct Actor<T>
{
    /// <summary>Asks this actor for a value: queues <paramref name="request"/> with a Ret whose answer completes the returned task</summary>
    /// <remarks>
    /// <para>On the Core's thread this is allocation-free in steady state: the Ret and the ValueTask
    /// share one pooled node, and the continuation comes back as a queued call. If the actor ends
    /// first, or drops the Ret, the await throws <see cref="ActorFail"/> (policy
    /// <see cref="ActorEndPolicy.Surface"/>, the default) or <see cref="OperationCanceledException"/>
    /// (<see cref="ActorEndPolicy.Drop"/>).</para>
    /// <para>From another thread it also works: the request is posted through the Core's wake path and
    /// the result completes a task whose continuation runs on the thread pool (one allocation).</para>
    /// <para>The A→B→A cycle that deadlocks mailbox-suspending runtimes cannot deadlock here: nothing
    /// waits inside a handler; the awaiting code resumes as a new call.</para>
    /// </remarks>
    public ValueTask<TResult> Ask<TResult>(ActorCall<T, Ret<TResult>> request,
        ActorEndPolicy policy = ActorEndPolicy.Surface, CancellationToken cancellationToken = default)
    {
        ActorCell<T> cell = CellOrThrow();
        ArgumentNullException.ThrowIfNull(request);
        Core core = cell.Core;
        if (!core.IsOnThread) return AskFromOtherThread(request, policy, cancellationToken);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<TResult>(cancellationToken);
        var (task, ret) = core.Pool.RentRet<RetToTask<TResult>>(core).Open(policy, cancellationToken);
        core.Post(cell, request, ret);
        return task;
    }

    /// <summary>Asks with one extra argument for the request</summary>
    public ValueTask<TResult> Ask<TArg, TResult>(ActorCall<T, TArg, Ret<TResult>> request, TArg arg,
        ActorEndPolicy policy = ActorEndPolicy.Surface, CancellationToken cancellationToken = default)
    {
        ActorCell<T> cell = CellOrThrow();
        ArgumentNullException.ThrowIfNull(request);
        Core core = cell.Core;
        if (!core.IsOnThread)
            return AskFromOtherThread<(ActorCall<T, TArg, Ret<TResult>> Request, TArg Arg), TResult>(static (a, cx, s, r) => s.Request(a, cx, s.Arg, r), (request, arg), policy, cancellationToken);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<TResult>(cancellationToken);
        var (task, ret) = core.Pool.RentRet<RetToTask<TResult>>(core).Open(policy, cancellationToken);
        core.Post(cell, request, arg, ret);
        return task;
    }

    ValueTask<TResult> AskFromOtherThread<TResult>(ActorCall<T, Ret<TResult>> request,
        ActorEndPolicy policy, CancellationToken ct) =>
        AskFromOtherThread<ActorCall<T, Ret<TResult>>, TResult>(static (a, cx, r, ret) => r(a, cx, ret), request, policy, ct);

    ValueTask<TResult> AskFromOtherThread<TArg, TResult>(ActorCall<T, TArg, Ret<TResult>> request, TArg arg,
        ActorEndPolicy policy, CancellationToken ct)
    {
        Actor<T> actor = this;
        var tcs = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (ct.CanBeCanceled) ct.Register(static s => ((TaskCompletionSource<TResult>)s!).TrySetCanceled(), tcs);
        actor.Core.PostFromAnyThread(() =>
        {
            Ret<TResult> ret = Stakker.Ret.From<TResult>(actor.Core, a =>
            {
                if (a.HasValue) tcs.TrySetResult(a.Value);
                else if (policy == ActorEndPolicy.Surface) tcs.TrySetException(new ActorFail());
                else tcs.TrySetCanceled();
            });
            actor.Call(request, arg, ret);
        });
        return new ValueTask<TResult>(tcs.Task);
    }

    /// <summary>A lazy ask: nothing is sent until the result is first awaited (the pull pipe)</summary>
    public PullTask<T, TResult> Pull<TResult>(ActorCall<T, Ret<TResult>> request,
        ActorEndPolicy policy = ActorEndPolicy.Surface)
    {
        CellOrThrow();
        ArgumentNullException.ThrowIfNull(request);
        return new PullTask<T, TResult>(this, request, policy);
    }

}
