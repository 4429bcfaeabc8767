namespace Stakker.Remote;

/// <summary>A handle on an actor published under a name by some node, used like a local actor</summary>
/// <remarks>
/// Calls are batched: those made during one Core run leave together when the run has drained its
/// queue, in the order made. Use on the Core's thread of the node that made it.
/// </remarks>
/// <typeparam name="T">The remote interface</typeparam>
public sealed class RemoteActor<T> where T : class
{
    readonly RemoteSender _sender;

    internal RemoteActor(string name, T proxy, RemoteSender sender)
    {
        Name = name;
        Proxy = proxy;
        _sender = sender;
    }

    /// <summary>The name the actor was published under</summary>
    public string Name { get; }

    /// <summary>The NATS subject calls go to</summary>
    public string Subject => _sender.Subject;

    /// <summary>The interface itself: each method call is sent</summary>
    public T Proxy { get; }

    /// <summary>False while the node has too much waiting for NATS (<see cref="RemoteNode.HasRoom"/>)</summary>
    public bool HasRoom => _sender.Node.HasRoom;

    /// <summary>Makes a call on the remote actor</summary>
    public void Call(Action<T> call) => call(Proxy);

    /// <summary>Makes a call with one argument on the remote actor</summary>
    public void Call<A1>(Action<T, A1> call, A1 arg1) => call(Proxy, arg1);

    /// <summary>Makes a call with two arguments on the remote actor</summary>
    public void Call<A1, A2>(Action<T, A1, A2> call, A1 arg1, A2 arg2) => call(Proxy, arg1, arg2);

    /// <summary>Makes a call with three arguments on the remote actor</summary>
    public void Call<A1, A2, A3>(Action<T, A1, A2, A3> call, A1 arg1, A2 arg2, A3 arg3) => call(Proxy, arg1, arg2, arg3);

    /// <summary>Makes a call with four arguments on the remote actor</summary>
    public void Call<A1, A2, A3, A4>(Action<T, A1, A2, A3, A4> call, A1 arg1, A2 arg2, A3 arg3, A4 arg4) => call(Proxy, arg1, arg2, arg3, arg4);
}
