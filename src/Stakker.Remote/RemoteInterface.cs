using System.ComponentModel;

namespace Stakker.Remote;

/// <summary>What the generator emits for a <see cref="RemoteActorAttribute"/> interface: how to make
/// its proxy and how to make a received call on an actor implementing it</summary>
/// <typeparam name="TIface">The remote interface</typeparam>
public abstract class RemoteInterface<TIface> where TIface : class
{
    /// <summary>Creates the descriptor</summary>
    protected RemoteInterface(string name) => Name = name;

    /// <summary>The interface's full name</summary>
    public string Name { get; }

    /// <summary>A proxy that sends each call through <paramref name="sender"/></summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected internal abstract TIface CreateProxy(RemoteSender sender);

    /// <summary>Decodes the call's arguments and makes the call on <paramref name="actor"/></summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected internal abstract void Dispatch<TActor>(Actor<TActor> actor, uint method, ref CallReader args) where TActor : class, TIface;
}
