using Stakker.Actors;
using Stakker.Calls;
using Stakker.Internal;

namespace Stakker;

public sealed partial class Core
{
    /// <summary>Creates an actor in Prep, to be initialised later with <see cref="Actor{T}.Init(ActorInit{T})"/></summary>
    /// <remarks>Two-phase creation lets actors refer to each other before either exists. Calls made
    /// to a Prep actor wait inside it and run, in order, as soon as it becomes Ready.</remarks>
    /// <param name="onStop">Told once why the actor ended.</param>
    public ActorOwn<T> Create<T>(Ret<StopCause> onStop) where T : class
    {
        CheckThread();
        if (_disposed) ThrowHelper.ThrowDisposed();
        var cell = new ActorCell<T>(this, onStop);
        // The notify Ret now belongs to the new actor, not to whatever call carried it here.
        if (onStop.IsPending) onStop.Node!.Unhold();
        return new ActorOwn<T>(cell);
    }

    /// <summary>Creates an actor and queues its init</summary>
    /// <remarks>The init runs on the queue like any call (so not before this returns); it returns
    /// the state (Ready), null (stay in Prep for a later init), or fails (throw or
    /// <c>cx.Fail</c>), which ends the actor with <see cref="StopKind.Failed"/>.</remarks>
    /// <param name="init">Builds the actor's state: <c>static cx => new Light(cx)</c>.</param>
    /// <param name="onStop">Told once why the actor ended.</param>
    public ActorOwn<T> Spawn<T>(ActorInit<T> init, Ret<StopCause> onStop) where T : class
    {
        ArgumentNullException.ThrowIfNull(init);
        ActorOwn<T> own = Create<T>(onStop);
        own.Actor.Init(init);
        return own;
    }

    /// <summary>Creates an actor and queues its init with one argument</summary>
    public ActorOwn<T> Spawn<T, T1>(ActorInit<T, T1> init, T1 arg1, Ret<StopCause> onStop) where T : class
    {
        ArgumentNullException.ThrowIfNull(init);
        ActorOwn<T> own = Create<T>(onStop);
        own.Actor.Init(init, arg1);
        return own;
    }

    /// <summary>Creates an actor and queues its init with two arguments</summary>
    public ActorOwn<T> Spawn<T, T1, T2>(ActorInit<T, T1, T2> init, T1 arg1, T2 arg2, Ret<StopCause> onStop) where T : class
    {
        ArgumentNullException.ThrowIfNull(init);
        ActorOwn<T> own = Create<T>(onStop);
        own.Actor.Init(init, arg1, arg2);
        return own;
    }
}
