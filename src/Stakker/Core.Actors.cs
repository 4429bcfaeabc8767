using Stakker.Actors;
using Stakker.Calls;
using Stakker.Internal;
using Stakker.Returns;

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
        Diagnostics?.ActorCreated(cell);
        // The notify Ret now belongs to the new actor, not to whatever call carried it here.
        if (onStop.IsPending) RetHolding.Release(onStop.Node!);
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

    /// <summary>Creates an actor and queues its init with three arguments</summary>
    public ActorOwn<T> Spawn<T, T1, T2, T3>(ActorInit<T, T1, T2, T3> init, T1 arg1, T2 arg2, T3 arg3, Ret<StopCause> onStop) where T : class
    {
        ArgumentNullException.ThrowIfNull(init);
        ActorOwn<T> own = Create<T>(onStop);
        own.Actor.Init(init, arg1, arg2, arg3);
        return own;
    }

    /// <summary>Creates an actor and queues its init with four arguments</summary>
    public ActorOwn<T> Spawn<T, T1, T2, T3, T4>(ActorInit<T, T1, T2, T3, T4> init, T1 arg1, T2 arg2, T3 arg3, T4 arg4, Ret<StopCause> onStop) where T : class
    {
        ArgumentNullException.ThrowIfNull(init);
        ActorOwn<T> own = Create<T>(onStop);
        own.Actor.Init(init, arg1, arg2, arg3, arg4);
        return own;
    }

    /// <summary>Told of every actor that ends, after its owner was told: for logs, metrics and tests</summary>
    /// <remarks>Runs on the Core's thread, outside any handler. This is where a fault in an actor's
    /// teardown (<see cref="StopCause.TeardownError"/>) or in its owner's notify callback
    /// (<see cref="ActorEnd.NotifyError"/>) is reported, since neither is thrown. An exception thrown
    /// by an observer is ignored: an observer's fault must not stop the Core.</remarks>
    public event Action<ActorEnd>? ActorEnded;

    internal void ReportEnded(ActorCellBase cell, StopCause cause, Exception? notifyError)
    {
        Diagnostics?.ActorEnded(cell, cause, notifyError);
        if (ActorEnded is not { } observers) return;
        try { observers(new ActorEnd(cell.Name, cell.Id, cell.StateType, cause, notifyError)); }
        catch (Exception) { /* see ActorEnded: nothing may escape a teardown */ }
    }
}

/// <summary>An actor's ending, as reported by <see cref="Core.ActorEnded"/></summary>
/// <param name="ActorName">"Light#12": state type and id.</param>
/// <param name="ActorId">The actor's id within its Core.</param>
/// <param name="StateType">The actor's state type (the declared type while it was still Prep).</param>
/// <param name="Cause">The cause its owner was told.</param>
/// <param name="NotifyError">What the owner's notify callback threw, if it threw.</param>
public readonly record struct ActorEnd(string ActorName, long ActorId, Type StateType, StopCause Cause, Exception? NotifyError);
