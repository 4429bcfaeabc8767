using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Stakker.Hosting;

/// <summary>Configures the hosted Core (or Cores): root actors and options</summary>
/// <remarks>
/// <para>Root actors are spawned in the order added, when the host starts, each with its own service
/// scope; when the host stops they are stopped in the reverse order (last added, first stopped), as
/// the host stops its services and the container disposes singletons.</para>
/// <para>With several Cores (<see cref="StakkerOptions.Cores"/>), a root actor runs on the Core given
/// to <c>AddRootActor</c>, or, given none, on the next Core in turn: the roots added without an index
/// go round the Cores in the order added (0, 1, …), so where each lands does not change between runs.</para>
/// </remarks>
public sealed class StakkerBuilder
{
    readonly StakkerRegistrations _registrations;

    internal StakkerBuilder(IServiceCollection services, StakkerRegistrations registrations)
    {
        Services = services;
        _registrations = registrations;
    }

    /// <summary>The application's services</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds a root actor whose state is built by <typeparamref name="T"/>'s public constructor</summary>
    /// <remarks>The constructor's parameters are resolved from the actor's service scope; it may also
    /// take the actor's own <see cref="Actor{T}"/> (calls made through it wait until the constructor
    /// has returned) and the <see cref="Core"/>. It runs on the Core's thread.</remarks>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no public constructor, or
    /// one takes a ref struct such as <see cref="Cx{T}"/>.</exception>
    public StakkerBuilder AddRootActor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>() where T : class
    {
        _registrations.RootActors.Add(new RootActor<T>(RootActor<T>.FromConstructor<T>()));
        return this;
    }

    /// <summary>Adds a root actor built by <typeparamref name="T"/>'s public constructor, on Core <paramref name="core"/></summary>
    /// <param name="core">The Core's index, from 0 to <see cref="StakkerOptions.Cores"/> - 1 (checked when the host starts).</param>
    /// <remarks>As <see cref="AddRootActor{T}()"/>; the constructor runs on that Core's thread.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is negative.</exception>
    public StakkerBuilder AddRootActor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(int core) where T : class
    {
        ArgumentOutOfRangeException.ThrowIfNegative(core);
        _registrations.RootActors.Add(new RootActor<T>(RootActor<T>.FromConstructor<T>()) { Core = core });
        return this;
    }

    /// <summary>Adds a root actor whose state is built by <paramref name="factory"/></summary>
    /// <param name="factory">Runs on the Core's thread with the new actor's context and its service
    /// scope: <c>(cx, services) => new Light(cx, services.GetRequiredService&lt;ILogger&lt;Light&gt;&gt;())</c>.</param>
    public StakkerBuilder AddRootActor<T>(RootActorFactory<T> factory) where T : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        _registrations.RootActors.Add(new RootActor<T>(factory));
        return this;
    }

    /// <summary>Adds a root actor whose state is built by <paramref name="factory"/>, on Core <paramref name="core"/></summary>
    /// <param name="core">The Core's index, from 0 to <see cref="StakkerOptions.Cores"/> - 1 (checked when the host starts).</param>
    /// <param name="factory">Runs on that Core's thread with the new actor's context and its service scope.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is negative.</exception>
    public StakkerBuilder AddRootActor<T>(int core, RootActorFactory<T> factory) where T : class
    {
        ArgumentOutOfRangeException.ThrowIfNegative(core);
        ArgumentNullException.ThrowIfNull(factory);
        _registrations.RootActors.Add(new RootActor<T>(factory) { Core = core });
        return this;
    }

    /// <summary>Changes the options after configuration has been applied</summary>
    public StakkerBuilder Configure(Action<StakkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }
}

/// <summary>What every <c>AddStakker</c> call of one service collection adds to: one list of root actors</summary>
internal sealed class StakkerRegistrations
{
    internal readonly List<RootActor> RootActors = [];
}
