using Stakker.Calls;
using Stakker.Returns;

namespace Stakker.CrossCore;

/// <summary>A stand-in on the receiving Core for a Ret that crossed in a call</summary>
internal interface IRetAcross
{
    IRetAcross? LivePrev { get; set; }
    IRetAcross? LiveNext { get; set; }

    /// <summary>The Core is closing: answer the origin "no value" (through the usual path)</summary>
    void AbandonForClose();
}

/// <summary>Stands in, on another Core, for a <see cref="Ret{T}"/> of the Core that sent it: its answer
/// (value or "no value") travels back and answers the original there, exactly once</summary>
/// <remarks>
/// <para>On the receiving Core it is an ordinary Ret end-point: held by the call that carried it, then
/// by the actor that kept it, answered "no value" when either ends (<see cref="RetHolding"/>). Once
/// answered it becomes a parcel: it rides back in a batch to the origin, where its answer moves into
/// a pooled node of that Core (<see cref="RetAnswer{T}"/>), which answers the original when it runs
/// if the original is still pending (its Core may have answered it "no value" meanwhile, when it
/// closed). Pooled by the receiving Core: the emptied stand-in rides back to it with the batch that
/// carried it (<see cref="CrossBatch.GiveBack"/>), so a steady stream of Rets across allocates nothing.</para>
/// <para>While pending it is listed in its Core's <see cref="CoreLinks.LiveAcross"/>, so a Core that
/// closes with actors still holding stand-ins (a disposed Core leaves its actors as they are) still
/// answers their origins.</para>
/// </remarks>
internal sealed class RetAcross<T> : RetNode<T>, ICrossParcel, IRetAcross
{
    RetNode<T> _origin = null!;
    int _originVersion;
    CrossLink _back = null!;
    T _value = default!;
    bool _hasValue;

    public IRetAcross? LivePrev { get; set; }
    public IRetAcross? LiveNext { get; set; }

    /// <summary>A stand-in on <paramref name="here"/> (rented from its pool) for <paramref name="origin"/>, pending at <paramref name="originVersion"/></summary>
    internal static RetAcross<T> Make(Core here, RetNode<T> origin, int originVersion, CrossLink back)
    {
        RetAcross<T> r = here.Pool.RentRet<RetAcross<T>>(here);
        r._origin = origin;
        r._originVersion = originVersion;
        r._back = back;
        r._hasValue = false;
        r.List();
        return r;
    }

    void List()
    {
        CoreLinks links = Core.Links;
        LiveNext = links.LiveAcross;
        if (LiveNext is { } next) next.LivePrev = this;
        links.LiveAcross = this;
    }

    internal override void Deliver(T value)
    {
        _value = value;
        _hasValue = true;
        SendBack();
    }

    internal override void DeliverNone() => SendBack();

    void SendBack()
    {
        Unlist();
        // While tracing, the answer carries the activity that gave it (the answering handler's span).
        if (Core.Diverted) _back.Append(call: false).Target = TraceCarry.Parcel(Core, this);
        else _back.Append(this, call: false);
        if (!Core.InRun) Core.Links.Flush();
    }

    void Unlist()
    {
        CoreLinks links = Core.Links;
        if (LivePrev is null) links.LiveAcross = LiveNext;
        else LivePrev.LiveNext = LiveNext;
        if (LiveNext is not null) LiveNext.LivePrev = LivePrev;
        LivePrev = null;
        LiveNext = null;
    }

    public void AbandonForClose() => RetHolding.ReleaseAndAbandon(this);

    // Back on the origin's Core (its thread): the answer moves into a node of that Core, and this
    // stand-in, emptied, rides back to its own Core's pool.

    bool ICrossParcel.Arrive(Core here, CrossLink? link)
    {
        RetAnswer<T> answer = here.Pool.Rent<RetAnswer<T>>();
        answer.Origin = _origin;
        answer.OriginVersion = _originVersion;
        answer.Value = _value;
        answer.HasValue = _hasValue;
        _origin = null!;
        _back = null!;
        _value = default!;
        here.Push(answer);
        return true;
    }

    void ICrossParcel.Undelivered(ref Exception? error) { /* the origin has closed: it answered its Ret itself */ }
}

/// <summary>A Ret's answer that came back from another Core, queued on the Ret's own Core</summary>
internal sealed class RetAnswer<T> : CallNode
{
    internal RetNode<T> Origin = null!;
    internal int OriginVersion;
    internal T Value = default!;
    internal bool HasValue;

    internal override void Run(Core core) => AnswerOrigin(core);

    /// <summary>The origin's Core was disposed with the answer queued: the answer is still given,
    /// and the end-point does what it does on a disposed Core (a callback runs, an actor call is dropped)</summary>
    internal override void Drop(Core core) => AnswerOrigin(core);

    void AnswerOrigin(Core core)
    {
        RetNode<T> origin = Origin;
        int version = OriginVersion;
        T value = Value;
        bool hasValue = HasValue;
        Origin = null!;
        Value = default!;
        core.Pool.Return(this);
        // Its Core may have answered it "no value" meanwhile (it closed, or gave up on it).
        if (origin.Version != version) return;
        if (hasValue) new Ret<T>(origin).AnswerInternal(value);
        else RetHolding.ReleaseAndAbandon(origin);
    }
}
