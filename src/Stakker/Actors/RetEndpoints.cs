using Stakker.Calls;
using Stakker.Returns;

namespace Stakker.Actors;

// The end-points a Ret can deliver to. Each is pooled per Core and returns itself to the pool as
// soon as it has handed its answer on, which is safe because the version was bumped first. Like call
// nodes, a returned end-point keeps its target and handler (usually the same next time).

/// <summary>Delivers <see cref="Answer{T}"/> to an actor method: the node queues itself as the call</summary>
internal sealed class RetToActor<TActor, T> : RetNode<T> where TActor : class
{
    internal ActorCell<TActor> Cell = null!;
    internal ActorCall<TActor, Answer<T>> Fn = null!;

    internal override void Scrub()
    {
        Cell = null!;
        Fn = null!;
    }

    Answer<T> _answer;

    internal override void Deliver(T value)
    {
        _answer = new Answer<T>(value);
        Core.PostNode(this);
    }

    internal override void DeliverNone()
    {
        _answer = default;
        Core.PostNode(this);
    }

    internal override void DeliverNone(object cause)
    {
        _answer = Answer<T>.NoneWith(cause);
        Core.PostNode(this);
    }

    internal override void Run(Core core)
    {
        ActorCell<TActor> cell = Cell;
        if (cell.State != ActorState.Ready) { cell.NotReady(this); return; }
        ActorCall<TActor, Answer<T>> fn = Fn;
        Answer<T> answer = _answer;
        Drop(core);
        cell.RunCall(core, fn, answer);
    }

    internal override void Drop(Core core)
    {
        _answer = default;
        core.Pool.Return(this);
    }
}

/// <summary>Delivers a fixed argument plus <see cref="Answer{T}"/> to an actor method</summary>
internal sealed class RetToActor<TActor, TFixed, T> : RetNode<T> where TActor : class
{
    internal ActorCell<TActor> Cell = null!;
    internal ActorCall<TActor, TFixed, Answer<T>> Fn = null!;

    internal override void Scrub()
    {
        Cell = null!;
        Fn = null!;
    }

    internal TFixed Fixed = default!;

    internal override void Deliver(T value) => Send(new Answer<T>(value));
    internal override void DeliverNone() => Send(default);
    internal override void DeliverNone(object cause) => Send(Answer<T>.NoneWith(cause));

    void Send(Answer<T> answer)
    {
        ActorCell<TActor> cell = Cell;
        ActorCall<TActor, TFixed, Answer<T>> fn = Fn;
        TFixed fixedArg = Fixed;
        Fixed = default!;
        Core.Pool.Return(this);
        Core.Deliver(cell, fn, fixedArg, answer);
    }
}

/// <summary>Delivers only a real value to an actor method ("no value" is ignored): the node queues itself as the call</summary>
internal sealed class RetSomeToActor<TActor, T> : RetNode<T> where TActor : class
{
    internal ActorCell<TActor> Cell = null!;
    internal ActorCall<TActor, T> Fn = null!;

    internal override void Scrub()
    {
        Cell = null!;
        Fn = null!;
    }

    T _value = default!;
    /// <summary>The value is itself a Ret: deliver through a tracked call, so the actor then holds it</summary>
    readonly bool _valueIsRet = RetArg<T>.IsRet;

    internal override void Deliver(T value)
    {
        if (_valueIsRet)
        {
            ActorCell<TActor> cell = Cell;
            ActorCall<TActor, T> fn = Fn;
            Core.Pool.Return(this);
            Core.Deliver(cell, fn, value);
            return;
        }
        _value = value;
        Core.PostNode(this);
    }

    internal override void DeliverNone() => Core.Pool.Return(this);

    internal override void Run(Core core)
    {
        ActorCell<TActor> cell = Cell;
        if (cell.State != ActorState.Ready) { cell.NotReady(this); return; }
        var args = new CallArgs<TActor, T> { Fn = Fn, A1 = _value };
        Drop(core);
        cell.RunHandler(core, ref args);
    }

    internal override void Drop(Core core)
    {
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>()) _value = default!;
        core.Pool.Return(this);
    }
}

/// <summary>Delivers a fixed argument plus a real value to an actor method; "no value" is ignored</summary>
internal sealed class RetSomeToActor<TActor, TFixed, T> : RetNode<T> where TActor : class
{
    internal ActorCell<TActor> Cell = null!;
    internal ActorCall<TActor, TFixed, T> Fn = null!;

    internal override void Scrub()
    {
        Cell = null!;
        Fn = null!;
    }

    internal TFixed Fixed = default!;

    internal override void Deliver(T value)
    {
        ActorCell<TActor> cell = Cell;
        ActorCall<TActor, TFixed, T> fn = Fn;
        TFixed fixedArg = Fixed;
        Release();
        Core.Deliver(cell, fn, fixedArg, value);
    }

    internal override void DeliverNone() => Release();

    void Release()
    {
        Fixed = default!;
        Core.Pool.Return(this);
    }
}
