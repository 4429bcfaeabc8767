using Stakker.Actors;
using Stakker.Calls;

namespace Stakker;

/// <summary>The context passed to every handler of an actor with state <typeparamref name="T"/></summary>
/// <remarks>
/// A ref struct holding one reference: it cannot be stored, captured or used after the handler
/// returns. Through it the handler reaches its own actor (<see cref="This"/>), the time, timers,
/// its own ending (<see cref="Stop"/>, <see cref="Fail(Exception)"/>), and makes children and
/// Ret/Fwd end-points that call back into this actor.
/// </remarks>
public readonly ref partial struct Cx<T> where T : class
{
    readonly ActorCell<T> _cell;

    internal Cx(ActorCell<T> cell) => _cell = cell;

    /// <summary>This actor</summary>
    public Actor<T> This => new(_cell);

    /// <summary>The runtime</summary>
    public Core Core => _cell.Core;

    /// <summary>This actor's logger: its state type's category, with <c>ActorType</c>, <c>ActorId</c>
    /// and <c>Core</c> as a scope on every entry</summary>
    /// <remarks>Made on first use and kept for the actor's life. Without diagnostics attached to the
    /// Core (<see cref="StakkerDiagnostics.Attach"/>), a logger that writes nothing. Log through
    /// <c>[LoggerMessage]</c> methods, which test the level before formatting anything.</remarks>
    public Microsoft.Extensions.Logging.ILogger Logger => _cell.Core.LoggerFor(_cell);

    /// <summary>Current (possibly virtual) time</summary>
    public Instant Now => _cell.Core.Now;

    /// <summary>Ends this actor with <see cref="StopCause.Stopped"/> once the handler returns</summary>
    /// <remarks>The first Stop or Fail in a handler wins. An exception escaping the handler afterwards
    /// still ends the actor as <see cref="StopKind.Failed"/>: an error is never swallowed.</remarks>
    public void Stop() => _cell.RequestStop(StopCause.Stopped);

    /// <summary>Fails this actor with <paramref name="error"/> once the handler returns</summary>
    public void Fail(Exception error) => _cell.RequestStop(StopCause.Failed(error));

    /// <summary>Fails this actor with a message once the handler returns</summary>
    public void Fail(string message) => _cell.RequestStop(StopCause.Failed(message));

    /// <summary>Ends this actor with the given cause once the handler returns (to pass a child's failure up)</summary>
    public void Fail(StopCause cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        _cell.RequestStop(cause.Kind switch
        {
            StopKind.Failed or StopKind.Killed => StopCause.Failed(cause.Error!),
            StopKind.Stopped => StopCause.Stopped,
            _ => StopCause.Failed(new ActorException(cause.ToString())),
        });
    }

    /// <summary>True if a stop or failure was requested in this handler</summary>
    public bool IsStopping => _cell.PendingStop is not null;

    // ---- timers --------------------------------------------------------------------------------

    /// <summary>Calls this actor after <paramref name="delay"/></summary>
    public FixedTimerKey After(TimeSpan delay, ActorCall<T> handler) => At(Now + delay, handler);

    /// <summary>Calls this actor with one argument after <paramref name="delay"/></summary>
    public FixedTimerKey After<T1>(TimeSpan delay, ActorCall<T, T1> handler, T1 arg1) => At(Now + delay, handler, arg1);

    /// <summary>Calls this actor at <paramref name="expiry"/></summary>
    public FixedTimerKey At(Instant expiry, ActorCall<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Core.AddTimer(expiry, Core.MakeCall(_cell, handler));
    }

    /// <summary>Calls this actor with one argument at <paramref name="expiry"/></summary>
    /// <remarks>A <see cref="Ret{T}"/> passed as <paramref name="arg1"/> is held by this actor while
    /// the timer waits: it answers "no value" when the timer is cancelled or as soon as the actor ends.</remarks>
    public FixedTimerKey At<T1>(Instant expiry, ActorCall<T, T1> handler, T1 arg1)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var call = Core.MakeCall(_cell, handler, arg1);
        Stakker.Returns.RetHolding.Timed(ref call.Args.A1, call, _cell);
        return Core.AddTimer(expiry, call);
    }

    /// <summary>Cancels a fixed timer; true if it was still pending</summary>
    public bool TimerDel(FixedTimerKey key) => Core.TimerDel(key);

    /// <summary>Sets or moves later a max timer that calls this actor at the latest expiry given</summary>
    /// <remarks>If <paramref name="key"/> is pending, only its expiry moves (the handler given now is
    /// not used); otherwise a new timer is made and <paramref name="key"/> updated. Typical use: an
    /// inactivity timeout pushed back on every event.</remarks>
    public void TimerMax(ref MaxTimerKey key, Instant expiry, ActorCall<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!Core.TimerMaxUpdate(key, expiry)) key = Core.AddMaxTimer(expiry, Core.MakeCall(_cell, handler));
    }

    /// <summary>Sets or moves earlier a min timer that calls this actor at the earliest expiry given</summary>
    /// <remarks>If <paramref name="key"/> is pending, only its expiry moves; otherwise a new timer is
    /// made. Typical use: a deadline refined as information arrives.</remarks>
    public void TimerMin(ref MinTimerKey key, Instant expiry, ActorCall<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!Core.TimerMinUpdate(key, expiry)) key = Core.AddMinTimer(expiry, Core.MakeCall(_cell, handler));
    }

    // ---- other queues --------------------------------------------------------------------------

    /// <summary>Calls this actor from the lazy queue (after the main queue empties, before Run returns)</summary>
    public void Lazy(ActorCall<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Core.Post(_cell, handler, Lane.Lazy);
    }

    /// <summary>Calls this actor from the idle queue (when the driver has nothing else to do)</summary>
    public void Idle(ActorCall<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Core.Post(_cell, handler, Lane.Idle);
    }

    // ---- children ------------------------------------------------------------------------------

    /// <summary>Creates a child actor and queues its init (see <see cref="Core.Spawn{TChild}(ActorInit{TChild}, Ret{StopCause})"/>)</summary>
    public ActorOwn<TChild> Spawn<TChild>(ActorInit<TChild> init, Ret<StopCause> onStop) where TChild : class =>
        Core.Spawn(init, onStop);

    /// <summary>Creates a child actor with one init argument</summary>
    public ActorOwn<TChild> Spawn<TChild, T1>(ActorInit<TChild, T1> init, T1 arg1, Ret<StopCause> onStop) where TChild : class =>
        Core.Spawn(init, arg1, onStop);

    /// <summary>Creates a child actor with two init arguments</summary>
    public ActorOwn<TChild> Spawn<TChild, T1, T2>(ActorInit<TChild, T1, T2> init, T1 arg1, T2 arg2, Ret<StopCause> onStop) where TChild : class =>
        Core.Spawn(init, arg1, arg2, onStop);

    /// <summary>Creates a child actor with an init taking three arguments</summary>
    public ActorOwn<TChild> Spawn<TChild, T1, T2, T3>(ActorInit<TChild, T1, T2, T3> init, T1 arg1, T2 arg2, T3 arg3, Ret<StopCause> onStop) where TChild : class =>
        Core.Spawn(init, arg1, arg2, arg3, onStop);

    /// <summary>Creates a child actor with an init taking four arguments</summary>
    public ActorOwn<TChild> Spawn<TChild, T1, T2, T3, T4>(ActorInit<TChild, T1, T2, T3, T4> init, T1 arg1, T2 arg2, T3 arg3, T4 arg4, Ret<StopCause> onStop) where TChild : class =>
        Core.Spawn(init, arg1, arg2, arg3, arg4, onStop);

    // ---- end-points into this actor ------------------------------------------------------------

    /// <summary>A Ret whose answer (or "no value") calls this actor</summary>
    public Ret<TValue> Ret<TValue>(ActorCall<T, Answer<TValue>> handler) => This.Ret(handler);

    /// <summary>A Ret whose answer calls this actor with a fixed first argument</summary>
    public Ret<TValue> Ret<TFixed, TValue>(TFixed fixedArg, ActorCall<T, TFixed, Answer<TValue>> handler) => This.Ret(fixedArg, handler);

    /// <summary>A Ret whose value calls this actor; "no value" is ignored</summary>
    public Ret<TValue> RetSome<TValue>(ActorCall<T, TValue> handler) => This.RetSome(handler);

    /// <summary>A Ret whose value calls this actor with a fixed first argument; "no value" is ignored</summary>
    public Ret<TValue> RetSome<TFixed, TValue>(TFixed fixedArg, ActorCall<T, TFixed, TValue> handler) => This.RetSome(fixedArg, handler);

    /// <summary>A Fwd whose values call this actor</summary>
    public Fwd<TValue> Fwd<TValue>(ActorCall<T, TValue> onItem, ActorCall<T, StreamEnd>? onEnd = null) => This.Fwd(onItem, onEnd);

    /// <summary>A notify Ret for a child that must not end first: any ending of the child (or "no value") fails this actor</summary>
    public Ret<StopCause> RetFail(string message) =>
        This.Ret<string, StopCause>(message, static (a, cx, msg, cause) =>
            cx.Fail(new ActorException(cause.TryGetValue(out var c) ? msg + ": " + c : msg)));

    /// <summary>A notify Ret that passes a child's failure up: this actor fails only if the child
    /// failed or was lost (with the child's error); stopped, killed or dropped children are ignored</summary>
    public Ret<StopCause> RetFailThrough() =>
        This.RetSome<StopCause>(static (a, cx, cause) =>
        {
            if (cause.Kind == StopKind.Failed) cx.Fail(cause.Error!);
            else if (cause.Kind == StopKind.Lost) cx.Fail(new ActorException(cause.ToString()));
        });
}
