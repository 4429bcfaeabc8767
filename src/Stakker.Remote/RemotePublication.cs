namespace Stakker.Remote;

/// <summary>An actor published under a name; dispose to stop receiving calls</summary>
public sealed class RemotePublication : IDisposable
{
    readonly RemoteNode _node;
    readonly Target _target;
    readonly CancellationTokenSource _stop;

    internal RemotePublication(RemoteNode node, string subject, Target target)
    {
        _node = node;
        Subject = subject;
        _target = target;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(node.StopToken);
        Started = Task.CompletedTask;
    }

    /// <summary>The NATS subject the actor listens on</summary>
    public string Subject { get; }

    /// <summary>Completes once the subscription is in force on the server: calls sent after that reach the actor</summary>
    public Task Ready => Started;

    internal Task Started { get; set; }
    internal CancellationToken Stop => _stop.Token;
    internal bool IsDisposed { get; private set; }
    internal bool IsGone => IsDisposed || _target.IsGone;

    internal void Dispatch(ref CallReader call) => _target.Dispatch(ref call);

    /// <summary>Unsubscribes; calls that arrive later are refused (their Rets answer as lost)</summary>
    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        _stop.Cancel();
    }
}

internal abstract class Target
{
    public abstract bool IsGone { get; }
    public abstract void Dispatch(ref CallReader call);
}

internal sealed class Target<TIface, TActor>(RemoteInterface<TIface> iface, Actor<TActor> actor) : Target
    where TIface : class
    where TActor : class, TIface
{
    public override bool IsGone => actor.IsZombie;
    public override void Dispatch(ref CallReader call) => iface.Dispatch(actor, call.Method, ref call);
}
