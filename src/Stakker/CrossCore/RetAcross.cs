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
/// answered it becomes a parcel: it rides back in a batch to the origin and, when that Core runs it,
/// answers the original if the original is still pending (its Core may have answered it "no value"
/// meanwhile, when it closed). Not pooled: it belongs to one Core, then to the other.</para>
/// <para>While pending it is listed in its Core's <see cref="CoreLinks.LiveAcross"/>, so a Core that
/// closes with actors still holding stand-ins (a disposed Core leaves its actors as they are) still
/// answers their origins.</para>
/// </remarks>
internal sealed class RetAcross<T> : RetNode<T>, ICrossParcel, IRetAcross
{
    readonly RetNode<T> _origin;
    readonly int _originVersion;
    readonly CrossLink _back;
    T _value = default!;
    bool _hasValue;

    public IRetAcross? LivePrev { get; set; }
    public IRetAcross? LiveNext { get; set; }

    internal RetAcross(Core here, RetNode<T> origin, int originVersion, CrossLink back)
    {
        Core = here;
        _origin = origin;
        _originVersion = originVersion;
        _back = back;
        CoreLinks links = here.Links;
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

    // Back on the origin's Core.

    void ICrossParcel.Arrive(Core here, CrossLink? link) => here.Push(this);

    void ICrossParcel.Undelivered(ref Exception? error) { /* the origin has closed: it answered its Ret itself */ }

    internal override void Run(Core core) => AnswerOrigin();

    /// <summary>The origin's Core was disposed with the answer queued: the answer is still given,
    /// and the end-point does what it does on a disposed Core (a callback runs, an actor call is dropped)</summary>
    internal override void Drop(Core core) => AnswerOrigin();

    void AnswerOrigin()
    {
        RetNode<T> origin = _origin;
        T value = _value;
        _value = default!;
        // Its Core may have answered it "no value" meanwhile (it closed, or gave up on it).
        if (origin.Version != _originVersion) return;
        if (_hasValue) new Ret<T>(origin).AnswerInternal(value);
        else RetHolding.ReleaseAndAbandon(origin);
    }
}
