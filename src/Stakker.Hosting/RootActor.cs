using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Stakker.Hosting;

/// <summary>One root actor registered with <see cref="StakkerBuilder"/>: how to build it, and its type</summary>
internal abstract class RootActor
{
    /// <summary>The actor's state type, for logs and <see cref="StakkerRuntime.GetRootActor{T}"/></summary>
    internal abstract Type StateType { get; }

    /// <summary>The Core index asked for, or null: the next Core in turn</summary>
    internal int? Core { get; init; }

    /// <summary>Spawns the actor on <paramref name="core"/>, its state built from <paramref name="services"/></summary>
    /// <returns>The owner (disposing it stops the actor), the actor handle, and its cross-Core handle.</returns>
    internal abstract (IDisposable Owner, object Actor, object CrossCore) Spawn(Core core, IServiceProvider services, Ret<StopCause> onStop);
}

internal sealed class RootActor<T>(RootActorFactory<T> factory) : RootActor where T : class
{
    internal override Type StateType => typeof(T);

    internal override (IDisposable Owner, object Actor, object CrossCore) Spawn(Core core, IServiceProvider services, Ret<StopCause> onStop)
    {
        ActorOwn<T> own = core.Spawn<T, (RootActorFactory<T> Factory, IServiceProvider Services)>(
            static (cx, s) => s.Factory(cx, s.Services) ?? throw new InvalidOperationException(
                $"The factory of root actor {typeof(T).Name} returned null; it must return the actor's state."),
            (factory, services), onStop);
        return (own, own.Actor, own.Actor.CrossCore());
    }

    /// <summary>A factory calling <typeparamref name="T"/>'s public constructor with services from the container</summary>
    /// <remarks>
    /// Besides services, the constructor may take the actor's own <see cref="Actor{T}"/> and its
    /// <see cref="Core"/>. Not <see cref="Cx{T}"/>: a ref struct cannot be handed through
    /// <see cref="ActivatorUtilities"/> (nor any reflection), so an actor that needs it in its
    /// constructor is registered with a <see cref="RootActorFactory{T}"/> instead. The constructor is
    /// looked up once, here; building the actor calls a prepared factory.
    /// </remarks>
    internal static RootActorFactory<T> FromConstructor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImpl>()
        where TImpl : class, T
    {
        ConstructorInfo[] ctors = typeof(TImpl).GetConstructors();
        if (ctors.Length == 0)
            throw new InvalidOperationException($"Root actor {typeof(TImpl).Name} has no public constructor.");
        bool wantsSelf = false, wantsCore = false;
        foreach (ConstructorInfo c in ctors)
        {
            foreach (ParameterInfo p in c.GetParameters())
            {
                Type t = p.ParameterType;
                if (t.IsByRefLike)
                    throw new InvalidOperationException(
                        $"Root actor {typeof(TImpl).Name}: constructor parameter '{p.Name}' is a {t.Name}, which cannot be injected " +
                        $"(a ref struct such as Cx<T> cannot pass through dependency injection). Take Actor<{typeof(T).Name}> and/or Core " +
                        $"in the constructor, or register it with AddRootActor<{typeof(T).Name}>((cx, services) => new {typeof(TImpl).Name}(...)).");
                wantsSelf |= t == typeof(Actor<T>);
                wantsCore |= t == typeof(Core);
            }
        }
        Type[] given = (wantsSelf, wantsCore) switch
        {
            (true, true) => [typeof(Actor<T>), typeof(Core)],
            (true, false) => [typeof(Actor<T>)],
            (false, true) => [typeof(Core)],
            _ => [],
        };
        ObjectFactory<TImpl> create = ActivatorUtilities.CreateFactory<TImpl>(given);
        return (wantsSelf, wantsCore) switch
        {
            (true, true) => (cx, sp) => create(sp, [cx.This, cx.Core]),
            (true, false) => (cx, sp) => create(sp, [cx.This]),
            (false, true) => (cx, sp) => create(sp, [cx.Core]),
            _ => (cx, sp) => create(sp, null),
        };
    }
}
