namespace Stakker;

/// <summary>Runs blocking or CPU-bound work on the thread pool for an actor</summary>
public static class OffloadExtensions
{
    /// <summary>Runs <c>work(arg, token)</c> on the thread pool and answers <paramref name="ret"/> with its result, as a call on this actor's Core</summary>
    /// <param name="cx">The handler's context: the work belongs to this actor.</param>
    /// <param name="work">The work: a static lambda, given <paramref name="arg"/> and a token cancelled
    /// when this actor ends. It runs off the Core, so it must not touch the actor's state.</param>
    /// <param name="arg">What the work needs (pass state here rather than capture it).</param>
    /// <param name="ret">Answered with the result, usually <c>cx.RetSome&lt;TResult&gt;(...)</c> into this actor.</param>
    /// <remarks>
    /// <para>The spawn mapping (<see cref="AsyncCxExtensions.SpawnTask{T, TResult}"/>) with
    /// <see cref="Task.Run{TResult}(Func{TResult}, CancellationToken)"/> as its body: the result comes
    /// back through the Core's wake path and answers the Ret as a call on the Core.</para>
    /// <para>If the actor ends first, the token is cancelled, the result is dropped whenever the work
    /// returns, and the Ret answers "no value" at the actor's end. If the work throws, the actor fails
    /// with the exception (as an exception escaping a handler does) and the Ret answers "no value";
    /// to handle errors in the actor, catch them in the work and return them as part of the result.</para>
    /// </remarks>
    public static void Offload<T, TArg, TResult>(this Cx<T> cx, Func<TArg, CancellationToken, TResult> work, TArg arg, Ret<TResult> ret)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(work);
        cx.SpawnTask(co =>
        {
            // The token, not the context: the work runs on the pool, outside the actor's turns.
            CancellationToken token = co.Token;
            return Task.Run(() => work(arg, token), token);
        }, ret);
    }
}
