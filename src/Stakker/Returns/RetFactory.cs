using Stakker.Returns;
using Stakker.Internal;

namespace Stakker;

/// <summary>Makes <see cref="Ret{T}"/> end-points</summary>
public static class Ret
{
    /// <summary>A Ret whose answer (or "no value") is queued as a call to <paramref name="actor"/></summary>
    public static Ret<T> To<TActor, T>(Actor<TActor> actor, ActorCall<TActor, Answer<T>> handler) where TActor : class
    {
        var cell = actor.CellOrThrow();
        ArgumentNullException.ThrowIfNull(handler);
        var n = cell.Core.Pool.RentRet<RetToActor<TActor, T>>(cell.Core);
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Fn, handler);
        return new Ret<T>(n);
    }

    /// <summary>A Ret whose answer is queued as a call to <paramref name="actor"/> with a fixed first argument</summary>
    /// <remarks>The fixed argument carries context (a request id, a connection) without a capturing lambda.</remarks>
    public static Ret<T> To<TActor, TFixed, T>(Actor<TActor> actor, TFixed fixedArg, ActorCall<TActor, TFixed, Answer<T>> handler) where TActor : class
    {
        var cell = actor.CellOrThrow();
        ArgumentNullException.ThrowIfNull(handler);
        var n = cell.Core.Pool.RentRet<RetToActor<TActor, TFixed, T>>(cell.Core);
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Fn, handler);
        n.Fixed = fixedArg;
        return new Ret<T>(n);
    }

    /// <summary>A Ret whose value is queued as a call to <paramref name="actor"/>; "no value" is ignored</summary>
    public static Ret<T> SomeTo<TActor, T>(Actor<TActor> actor, ActorCall<TActor, T> handler) where TActor : class
    {
        var cell = actor.CellOrThrow();
        ArgumentNullException.ThrowIfNull(handler);
        var n = cell.Core.Pool.RentRet<RetSomeToActor<TActor, T>>(cell.Core);
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Fn, handler);
        return new Ret<T>(n);
    }

    /// <summary>A Ret whose value is queued as a call with a fixed first argument; "no value" is ignored</summary>
    public static Ret<T> SomeTo<TActor, TFixed, T>(Actor<TActor> actor, TFixed fixedArg, ActorCall<TActor, TFixed, T> handler) where TActor : class
    {
        var cell = actor.CellOrThrow();
        ArgumentNullException.ThrowIfNull(handler);
        var n = cell.Core.Pool.RentRet<RetSomeToActor<TActor, TFixed, T>>(cell.Core);
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Fn, handler);
        n.Fixed = fixedArg;
        return new Ret<T>(n);
    }

    /// <summary>A Ret that calls <paramref name="callback"/> synchronously when answered or abandoned</summary>
    /// <remarks>For drivers and tests outside actors. The callback runs wherever the answer happens.</remarks>
    public static Ret<T> From<T>(Core core, Action<Answer<T>> callback)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(callback);
        var n = core.Pool.RentRet<RetToCallback<T>>(core);
        n.Fn = callback;
        return new Ret<T>(n);
    }

    /// <summary>A Ret that ignores its answer</summary>
    public static Ret<T> Nop<T>() => default;

    /// <summary>A notify Ret for a top-level actor: its cause (or <see cref="StopCause.Dropped"/>) shuts the Core down</summary>
    public static Ret<StopCause> Shutdown(Core core) =>
        From<StopCause>(core, a => core.Shutdown(a.GetValueOrDefault(StopCause.Dropped)));
}
