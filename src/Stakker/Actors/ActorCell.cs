using System.Diagnostics;
using System.Runtime.CompilerServices;
using Stakker.Calls;
using Stakker.Internal;
using Stakker.Returns;

namespace Stakker.Actors;

/// <summary>The runtime's record of one actor, whatever its state type</summary>
/// <remarks>
/// Owns: the Prep queue (calls that arrived before init), the list of Rets the actor holds, the
/// owner count and the notify Ret. Touched only on the Core's thread. A Zombie cell keeps no state,
/// no Prep calls and no held Rets; it stays reachable only through stale <see cref="Actor{T}"/>s.
/// </remarks>
internal abstract class ActorCellBase : RetHolder
{
    internal readonly Core Core;
    /// <summary>Identifies the actor in messages; unique within its Core</summary>
    internal readonly long Id;
    internal ActorState State;
    /// <summary>Stop or failure requested by the running handler; applied when it returns (first wins)</summary>
    internal StopCause? PendingStop;
    /// <summary>Calls that arrived while Prep, in arrival order</summary>
    internal CallQueue Prep;
    /// <summary>Live <see cref="ActorOwn{T}"/> handles; the actor is dropped when it reaches zero</summary>
    internal int Owners;
    /// <summary>Told the cause when the actor ends; answered exactly once</summary>
    internal Ret<StopCause> Notify;
    /// <summary>Async ties (end token, listeners), made on first use</summary>
    ActorExtras? _extras;

    internal ActorExtras Extras => _extras ??= new ActorExtras();

    /// <summary>Cancelled when the actor ends</summary>
    internal CancellationToken EndToken => State == ActorState.Zombie ? new CancellationToken(true) : Extras.Token;

    protected ActorCellBase(Core core, Ret<StopCause> notify)
    {
        Core = core;
        Id = core.NextActorId();
        Notify = notify;
    }

    /// <summary>The actor's state type, for messages</summary>
    internal abstract Type StateType { get; }

    /// <summary>Removes and returns the state object (null if Prep)</summary>
    internal abstract object? TakeValue();

    /// <summary>"Light#12" style name for messages</summary>
    internal string Name => StateType.Name + "#" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A call reached this actor while it is not Ready: keep it (Prep) or drop it (Zombie)</summary>
    internal void NotReady(CallNode node)
    {
        if (State == ActorState.Prep) Prep.Push(node);
        else node.Drop(Core);
    }

    /// <summary>Records a stop or failure; the first request in a handler wins</summary>
    internal void RequestStop(StopCause cause) => PendingStop ??= cause;

    /// <summary>Ends the actor: Zombie at once, then its state disposed (children end first), held Rets
    /// answered "no value", the owner told; see <see cref="Actors.Teardown"/></summary>
    /// <remarks>Never throws for faults of the actor's own teardown: they go into the cause.</remarks>
    internal void Terminate(StopCause cause) => Core.Teardown.End(this, cause);

    /// <summary>Ends the async ties (end token, listeners); returns the first error any of them threw</summary>
    internal Exception? EndExtras()
    {
        ActorExtras? extras = _extras;
        return extras is null ? null : extras.End();
    }

    [Conditional("DEBUG")]
    internal void AssertInvariants()
    {
        Debug.Assert(State != ActorState.Ready || Prep.IsEmpty, "A Ready actor keeps no Prep queue.");
        Debug.Assert(State != ActorState.Zombie || HeldRets is null, "A Zombie actor holds no Rets.");
        Debug.Assert(State != ActorState.Zombie || Prep.IsEmpty, "A Zombie actor keeps no Prep calls.");
    }
}

/// <summary>The cell of an actor whose state is a <typeparamref name="T"/></summary>
internal sealed class ActorCell<T> : ActorCellBase where T : class
{
    /// <summary>The state: null while Prep and once Zombie</summary>
    internal T? Value;

    internal ActorCell(Core core, Ret<StopCause> notify) : base(core, notify) { }

    internal override Type StateType => Value?.GetType() ?? typeof(T);

    internal override object? TakeValue()
    {
        T? v = Value;
        Value = null;
        return v;
    }

    /// <summary>Runs a handler on this Ready actor: the one place every call, Ret delivery and
    /// continuation enters actor code</summary>
    /// <remarks>An exception leaves <see cref="Core"/>'s current actor set, so the run loop fails this
    /// actor (<c>Core.HandleFault</c>); a stop or failure the handler asked for is applied on exit.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void RunHandler<TArgs>(Core core, ref TArgs args) where TArgs : struct, ICallArgs<T>
    {
        core.EnterHandler(this);
        args.Invoke(Value!, new Cx<T>(this));
        core.ExitHandler(this);
    }

    /// <summary>The inline-call form of <see cref="RunHandler{TArgs}(Core, ref TArgs)"/>: the same
    /// enter, invoke, exit, with the handler and its argument passed as they are</summary>
    /// <remarks>Inline calls are the commonest message; passing the delegate directly (rather than in
    /// an argument struct through a constrained generic call) lets the JIT compile the whole path
    /// without a generic dictionary lookup in the code shared by every actor type (measured: about
    /// 20% of a ping-pong message, decision 013).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void RunCall(Core core, ActorCall<T> fn)
    {
        core.EnterHandler(this);
        fn(Value!, new Cx<T>(this));
        core.ExitHandler(this);
    }

    /// <inheritdoc cref="RunCall(Core, ActorCall{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void RunCall<T1>(Core core, ActorCall<T, T1> fn, T1 a1)
    {
        core.EnterHandler(this);
        fn(Value!, new Cx<T>(this), a1);
        core.ExitHandler(this);
    }

    /// <summary>Runs a handler whose arguments include Rets held by <paramref name="holder"/>: once it
    /// returns (or throws), the Rets it neither answered nor passed on are held by this actor</summary>
    internal void RunHandler<TArgs>(Core core, ref TArgs args, CallNode holder) where TArgs : struct, ICallArgs<T>
    {
        core.EnterHandler(this);
        try { args.Invoke(Value!, new Cx<T>(this)); }
        finally { args.Ran(holder, this); }
        core.ExitHandler(this);
    }

    /// <summary>Runs an init on this Prep actor: the one place every init enters actor code</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void RunInit<TArgs>(Core core, ref TArgs args) where TArgs : struct, IInitArgs<T>
    {
        core.EnterHandler(this);
        T? value = args.Invoke(new Cx<T>(this));
        core.LeaveHandler();
        FinishInit(value);
    }

    /// <summary>The init returned <paramref name="value"/>: become Ready, stay Prep (two-step init), or end as it asked</summary>
    void FinishInit(T? value)
    {
        if (PendingStop is { } stop)
        {
            // Stopped or failed during init: whatever it built is disposed with the actor.
            Value = value;
            PendingStop = null;
            Terminate(stop);
        }
        else if (value is not null)
        {
            BecomeReady(value);
        }
    }

    /// <summary>Installs the state and runs the calls that waited in Prep, in order, now</summary>
    internal void BecomeReady(T value)
    {
        Debug.Assert(State == ActorState.Prep, "Only a Prep actor becomes Ready.");
        Value = value;
        State = ActorState.Ready;
        Core.Diagnostics?.ActorStarted(this);
        // Buffered calls run inside the item that made the actor Ready, before anything else. Each
        // is popped first, so if one ends the actor, Terminate drops the rest (answering their Rets).
        while (State == ActorState.Ready && Prep.Pop() is { } node)
            Core.RunGuarded(node);
        AssertInvariants();
    }
}
