using Stakker.Internal;
using Stakker.Returns;
using Stakker.Actors;

namespace Stakker;

// The one way to make an end-point into an actor: a method on its handle. Inside a handler,
// cx.Ret(...) and friends forward here with cx.This.
public readonly partial struct Actor<T>
{
    /// <summary>A Ret whose answer (or "no value") is queued as a call to this actor</summary>
    public Ret<TValue> Ret<TValue>(ActorCall<T, Answer<TValue>> handler)
    {
        var cell = CellOrThrow();
        ArgumentNullException.ThrowIfNull(handler);
        var n = cell.Core.Pool.RentRet<RetToActor<T, TValue>>(cell.Core);
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Fn, handler);
        return new Ret<TValue>(n);
    }

    /// <summary>A Ret whose answer (or "no value") is queued as a call to this actor with a fixed first argument</summary>
    /// <remarks>The fixed argument carries context (a request id, a connection) without a capturing lambda.</remarks>
    public Ret<TValue> Ret<TFixed, TValue>(TFixed fixedArg, ActorCall<T, TFixed, Answer<TValue>> handler)
    {
        var cell = CellOrThrow();
        ArgumentNullException.ThrowIfNull(handler);
        var n = cell.Core.Pool.RentRet<RetToActor<T, TFixed, TValue>>(cell.Core);
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Fn, handler);
        n.Fixed = fixedArg;
        return new Ret<TValue>(n);
    }

    /// <summary>A Ret whose value is queued as a call to this actor; "no value" is ignored</summary>
    public Ret<TValue> RetSome<TValue>(ActorCall<T, TValue> handler)
    {
        var cell = CellOrThrow();
        ArgumentNullException.ThrowIfNull(handler);
        var n = cell.Core.Pool.RentRet<RetSomeToActor<T, TValue>>(cell.Core);
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Fn, handler);
        return new Ret<TValue>(n);
    }

    /// <summary>A Ret whose value is queued as a call to this actor with a fixed first argument; "no value" is ignored</summary>
    public Ret<TValue> RetSome<TFixed, TValue>(TFixed fixedArg, ActorCall<T, TFixed, TValue> handler)
    {
        var cell = CellOrThrow();
        ArgumentNullException.ThrowIfNull(handler);
        var n = cell.Core.Pool.RentRet<RetSomeToActor<T, TFixed, TValue>>(cell.Core);
        Store.IfChanged(ref n.Cell, cell);
        Store.IfChanged(ref n.Fn, handler);
        n.Fixed = fixedArg;
        return new Ret<TValue>(n);
    }

    /// <summary>A Fwd whose values are queued as calls to this actor</summary>
    /// <param name="onItem">Called with each value.</param>
    /// <param name="onEnd">Called once when the stream ends or fails; optional.</param>
    public Fwd<TValue> Fwd<TValue>(ActorCall<T, TValue> onItem, ActorCall<T, StreamEnd>? onEnd = null)
    {
        var cell = CellOrThrow();
        ArgumentNullException.ThrowIfNull(onItem);
        return new FwdToActor<T, TValue>(cell, onItem, onEnd);
    }
}
