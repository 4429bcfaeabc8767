using System.Diagnostics;
using System.Runtime.CompilerServices;
using Stakker.Actors;
using Stakker.Calls;
using Stakker.Internal;

namespace Stakker;

/// <summary>A reference to an actor whose state is a <typeparamref name="T"/></summary>
/// <remarks>
/// <para>An 8-byte handle, copied freely; it does not keep the actor alive (only
/// <see cref="ActorOwn{T}"/> does). Calls made through it are queued: they run later, in the order
/// made, when the Core's queue reaches them. A call to an actor that has ended is dropped, and any
/// <see cref="Ret{T}"/> among its arguments answers "no value".</para>
/// <para>Use static lambdas for handlers: <c>actor.Call(static (a, cx, x) => a.Set(cx, x), 5)</c>
/// allocates nothing. <typeparamref name="T"/> may be an interface, for an actor known only by it.</para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public readonly partial struct Actor<T> : IEquatable<Actor<T>> where T : class
{
    internal readonly ActorCell<T>? Cell;

    internal Actor(ActorCell<T> cell) => Cell = cell;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ActorCell<T> CellOrThrow()
    {
        ActorCell<T>? c = Cell;
        if (c is null) ThrowHelper.ThrowDefaultActor(typeof(T));
        return c;
    }

    /// <summary>True for a handle that refers to an actor (false for <c>default</c>)</summary>
    public bool IsValid => Cell is not null;

    /// <summary>The actor's lifecycle state</summary>
    public ActorState State => CellOrThrow().State;

    /// <summary>True once the actor has ended</summary>
    public bool IsZombie => CellOrThrow().State == ActorState.Zombie;

    /// <summary>Identifies the actor within its Core (for logs and messages)</summary>
    public long Id => CellOrThrow().Id;

    /// <summary>The runtime the actor lives on</summary>
    public Core Core => CellOrThrow().Core;

    /// <summary>Queues a call with no arguments</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Call(ActorCall<T> handler)
    {
        ActorCell<T> cell = CellOrThrow();
        if (handler is null) ThrowHelper.ThrowArgumentNull(nameof(handler));
        cell.Core.CheckThread(cell);
        cell.Core.Post(cell, handler);
    }

    /// <summary>Queues a call with one argument</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Call<T1>(ActorCall<T, T1> handler, T1 arg1)
    {
        ActorCell<T> cell = CellOrThrow();
        if (handler is null) ThrowHelper.ThrowArgumentNull(nameof(handler));
        cell.Core.CheckThread(cell);
        cell.Core.Post(cell, handler, arg1);
    }

    /// <summary>Queues a call with two arguments</summary>
    public void Call<T1, T2>(ActorCall<T, T1, T2> handler, T1 arg1, T2 arg2)
    {
        ActorCell<T> cell = CellOrThrow();
        if (handler is null) ThrowHelper.ThrowArgumentNull(nameof(handler));
        cell.Core.CheckThread(cell);
        cell.Core.Post(cell, handler, arg1, arg2);
    }

    /// <summary>Queues a call with three arguments</summary>
    public void Call<T1, T2, T3>(ActorCall<T, T1, T2, T3> handler, T1 arg1, T2 arg2, T3 arg3)
    {
        ActorCell<T> cell = CellOrThrow();
        if (handler is null) ThrowHelper.ThrowArgumentNull(nameof(handler));
        cell.Core.CheckThread(cell);
        cell.Core.Post(cell, handler, arg1, arg2, arg3);
    }

    /// <summary>Queues a call with four arguments</summary>
    public void Call<T1, T2, T3, T4>(ActorCall<T, T1, T2, T3, T4> handler, T1 arg1, T2 arg2, T3 arg3, T4 arg4)
    {
        ActorCell<T> cell = CellOrThrow();
        if (handler is null) ThrowHelper.ThrowArgumentNull(nameof(handler));
        cell.Core.CheckThread(cell);
        cell.Core.Post(cell, handler, arg1, arg2, arg3, arg4);
    }

    /// <summary>Queues the init of a Prep actor (two-phase creation)</summary>
    /// <remarks>Returning state makes the actor Ready and runs the calls that waited, in order;
    /// returning null keeps it in Prep. Ignored once the actor is Ready.</remarks>
    public void Init(ActorInit<T> init)
    {
        ActorCell<T> cell = CellOrThrow();
        ArgumentNullException.ThrowIfNull(init);
        cell.Core.CheckThread(cell);
        cell.Core.PostInit(cell, init);
    }

    /// <summary>Queues the init of a Prep actor, with one argument</summary>
    public void Init<T1>(ActorInit<T, T1> init, T1 arg1)
    {
        ActorCell<T> cell = CellOrThrow();
        ArgumentNullException.ThrowIfNull(init);
        cell.Core.CheckThread(cell);
        cell.Core.PostInit(cell, init, arg1);
    }

    /// <summary>Queues the init of a Prep actor, with two arguments</summary>
    public void Init<T1, T2>(ActorInit<T, T1, T2> init, T1 arg1, T2 arg2)
    {
        ActorCell<T> cell = CellOrThrow();
        ArgumentNullException.ThrowIfNull(init);
        cell.Core.CheckThread(cell);
        var n = cell.Core.Pool.Rent<InitNode<T, InitArgs<T, T1, T2>>>();
        n.Cell = cell;
        n.Args = new InitArgs<T, T1, T2> { Fn = init, A1 = arg1, A2 = arg2 };
        cell.Core.PostNode(n);
    }

    /// <summary>Queues the init of a Prep actor, with three arguments</summary>
    public void Init<T1, T2, T3>(ActorInit<T, T1, T2, T3> init, T1 arg1, T2 arg2, T3 arg3)
    {
        ActorCell<T> cell = CellOrThrow();
        ArgumentNullException.ThrowIfNull(init);
        cell.Core.CheckThread(cell);
        var n = cell.Core.Pool.Rent<InitNode<T, InitArgs<T, T1, T2, T3>>>();
        n.Cell = cell;
        n.Args = new InitArgs<T, T1, T2, T3> { Fn = init, A1 = arg1, A2 = arg2, A3 = arg3 };
        cell.Core.PostNode(n);
    }

    /// <summary>Queues the init of a Prep actor, with four arguments</summary>
    public void Init<T1, T2, T3, T4>(ActorInit<T, T1, T2, T3, T4> init, T1 arg1, T2 arg2, T3 arg3, T4 arg4)
    {
        ActorCell<T> cell = CellOrThrow();
        ArgumentNullException.ThrowIfNull(init);
        cell.Core.CheckThread(cell);
        var n = cell.Core.Pool.Rent<InitNode<T, InitArgs<T, T1, T2, T3, T4>>>();
        n.Cell = cell;
        n.Args = new InitArgs<T, T1, T2, T3, T4> { Fn = init, A1 = arg1, A2 = arg2, A3 = arg3, A4 = arg4 };
        cell.Core.PostNode(n);
    }

    /// <summary>Runs <paramref name="query"/> on the actor now and returns its result</summary>
    /// <remarks>For drivers and tests: the one synchronous entry into an actor. Refused inside any
    /// handler (a handler never runs inside another). A stop requested by the query applies at once;
    /// an exception fails the actor and is rethrown.</remarks>
    /// <exception cref="InvalidOperationException">The actor is not Ready, or a handler is running.</exception>
    public TResult Query<TResult>(ActorQuery<T, TResult> query)
    {
        if (!TryQuery(query, out TResult result)) ThrowNotReady();
        return result;
    }

    void ThrowNotReady()
    {
        ActorCell<T> cell = CellOrThrow();
        ThrowHelper.ThrowNotReady(cell.Name, cell.State.ToString());
    }

    /// <summary>Runs <paramref name="query"/> on the actor now if it is Ready</summary>
    /// <returns>False if the actor is Prep or Zombie.</returns>
    public bool TryQuery<TResult>(ActorQuery<T, TResult> query, out TResult result)
    {
        ActorCell<T> cell = CellOrThrow();
        ArgumentNullException.ThrowIfNull(query);
        return cell.Core.TryQuery(cell, query, out result);
    }

    /// <summary>Same actor</summary>
    public bool Equals(Actor<T> other) => ReferenceEquals(Cell, other.Cell);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Actor<T> a && Equals(a);
    /// <inheritdoc/>
    public override int GetHashCode() => Cell is null ? 0 : RuntimeHelpers.GetHashCode(Cell);
    /// <summary>Same actor</summary>
    public static bool operator ==(Actor<T> a, Actor<T> b) => a.Equals(b);
    /// <summary>Different actors</summary>
    public static bool operator !=(Actor<T> a, Actor<T> b) => !a.Equals(b);

    /// <summary>"Light#3 (Ready)"</summary>
    public override string ToString() => Cell is null ? "Actor<" + typeof(T).Name + ">(none)" : Cell.Name + " (" + Cell.State + ")";
}
