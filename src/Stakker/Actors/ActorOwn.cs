using System.Diagnostics;
using Stakker.Actors;
using Stakker.Calls;
using Stakker.Internal;

namespace Stakker;

/// <summary>An owning reference to an actor: the actor lives while an owner is undisposed</summary>
/// <remarks>
/// <para>Disposing the last owner ends the actor with <see cref="StopCause.Dropped"/>. From normal
/// code the ending is queued, so calls queued before the dispose still run first. When the owner is
/// disposed by another actor's state's <c>Dispose</c> (the parent's state held this owner), the child
/// ends right after that <c>Dispose</c> returns, before the parent's owner hears about the parent,
/// so a whole subtree ends depth first (at any depth: see <c>docs/semantics.md</c> section 6).
/// Disposing an owner never throws for the owned actor's faults.</para>
/// <para>Keep children's owners in fields of the parent's state and make the state
/// <see cref="IDisposable"/> to dispose them: ownership trees then clean up by themselves.</para>
/// <para>32 bytes on the heap; one per owner. <see cref="Owned"/> makes another.</para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class ActorOwn<T> : IDisposable where T : class
{
    readonly ActorCell<T> _cell;
    bool _disposed;

    internal ActorOwn(ActorCell<T> cell)
    {
        _cell = cell;
        cell.Owners++;
    }

    /// <summary>The (non-owning) actor reference</summary>
    public Actor<T> Actor => new(_cell);

    /// <summary>The non-owning reference, for passing where an <see cref="Actor{T}"/> is expected</summary>
    public static implicit operator Actor<T>(ActorOwn<T> own) => own.Actor;

    /// <summary>True once this owner was disposed</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Another owner of the same actor</summary>
    public ActorOwn<T> Owned()
    {
        if (_disposed) ThrowHelper.ThrowOwnerDisposed(_cell.Name);
        _cell.Core.CheckThread(_cell);
        return new ActorOwn<T>(_cell);
    }

    /// <summary>Queues a call with no arguments (see <see cref="Actor{T}.Call(ActorCall{T})"/>)</summary>
    public void Call(ActorCall<T> handler) => Actor.Call(handler);

    /// <summary>Queues a call with one argument</summary>
    public void Call<T1>(ActorCall<T, T1> handler, T1 arg1) => Actor.Call(handler, arg1);

    /// <summary>Queues a call with two arguments</summary>
    public void Call<T1, T2>(ActorCall<T, T1, T2> handler, T1 arg1, T2 arg2) => Actor.Call(handler, arg1, arg2);

    /// <summary>Queues a call with three arguments</summary>
    public void Call<T1, T2, T3>(ActorCall<T, T1, T2, T3> handler, T1 arg1, T2 arg2, T3 arg3) => Actor.Call(handler, arg1, arg2, arg3);

    /// <summary>Queues a call with four arguments</summary>
    public void Call<T1, T2, T3, T4>(ActorCall<T, T1, T2, T3, T4> handler, T1 arg1, T2 arg2, T3 arg3, T4 arg4) => Actor.Call(handler, arg1, arg2, arg3, arg4);

    /// <summary>Ends the actor with <see cref="StopCause.Killed(Exception)"/></summary>
    /// <remarks>Outside handlers the actor ends now; inside a handler (which must not run another
    /// actor's teardown in the middle of its own work) the kill is queued.</remarks>
    public void Kill(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Core core = _cell.Core;
        core.CheckThread(_cell);
        if (_cell.State == ActorState.Zombie) return;
        StopCause cause = StopCause.Killed(error);
        if (core.InHandler) core.PostEnd(_cell, cause);
        else _cell.Terminate(cause);
    }

    /// <summary>Ends the actor with <see cref="StopCause.Killed(string)"/></summary>
    public void Kill(string message) => Kill(new ActorException(message));

    /// <summary>Gives up this ownership; the last owner's dispose ends the actor (<see cref="StopCause.Dropped"/>)</summary>
    public void Dispose()
    {
        if (_disposed) return;
        Core core = _cell.Core;
        core.CheckThread(_cell);
        _disposed = true;
        if (--_cell.Owners > 0 || _cell.State == ActorState.Zombie) return;
        if (core.Teardown.InStateDispose) _cell.Terminate(StopCause.Dropped);
        else core.PostEnd(_cell, StopCause.Dropped);
    }

    /// <summary>"owner of Light#3 (Ready)"</summary>
    public override string ToString() => "owner of " + Actor.ToString();
}
