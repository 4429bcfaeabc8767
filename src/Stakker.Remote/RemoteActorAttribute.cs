namespace Stakker.Remote;

/// <summary>Marks an interface whose calls can cross processes over NATS</summary>
/// <remarks>
/// The Stakker.Remote source generator emits, for an interface <c>IName</c> so marked, a static class
/// <c>NameRemote</c> with an <c>Interface</c> descriptor: a proxy that implements the interface by
/// sending each call, and a dispatcher that decodes calls and makes them on an actor implementing
/// it. Every method returns void and takes at most four parameters, each a value MemoryPack can
/// serialise (no recursive types), a <see cref="Ret{T}"/> or a <see cref="Fwd{T}"/>.
/// A method's wire identity is its name, so methods cannot be overloaded; see docs/remote.md for the
/// versioning rules.
/// </remarks>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class RemoteActorAttribute : Attribute
{
}
