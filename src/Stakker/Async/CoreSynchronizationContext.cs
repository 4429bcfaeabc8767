namespace Stakker.Async;

/// <summary>Runs posted work as calls on its Core's thread</summary>
/// <remarks>
/// Installed as <see cref="SynchronizationContext.Current"/> while <see cref="Core.Run"/> runs, so an
/// <c>await</c> in code running on the Core resumes on the Core, as a queued call (never inside the
/// handler that completed the awaited work). A post from the Core's own thread takes no lock and no
/// atomic; a post from another thread goes through the Core's wake path and is never lost.
/// </remarks>
internal sealed class CoreSynchronizationContext(Core core) : SynchronizationContext, ICoreContext
{
    internal Core Core => core;

    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        core.PostAnyThread(static s => s.Item1(s.Item2), (d, state));
    }

    public void PostContinuation(Action<object?> continuation, object? state) => core.PostAnyThread(continuation, state);

    /// <summary>Runs inline only on the Core's thread outside handlers; blocking from elsewhere would deadlock</summary>
    public override void Send(SendOrPostCallback d, object? state)
    {
        core.CheckThread();
        if (core.InHandler) throw new InvalidOperationException("SynchronizationContext.Send was called inside a handler: a handler never runs other work inside itself; use Post.");
        d(state);
    }

    public override SynchronizationContext CreateCopy() => this;
}
