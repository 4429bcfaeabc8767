namespace Stakker;

public readonly partial struct Actor<T>
{
    /// <summary>A Ret whose answer (or "no value") is queued as a call to this actor</summary>
    public Ret<TValue> Ret<TValue>(ActorCall<T, Answer<TValue>> handler) => Stakker.Ret.To(this, handler);

    /// <summary>A Ret whose value is queued as a call to this actor; "no value" is ignored</summary>
    public Ret<TValue> RetSome<TValue>(ActorCall<T, TValue> handler) => Stakker.Ret.SomeTo(this, handler);

    /// <summary>A Fwd whose values are queued as calls to this actor</summary>
    public Fwd<TValue> Fwd<TValue>(ActorCall<T, TValue> onItem, ActorCall<T, StreamEnd>? onEnd = null) => Stakker.Fwd.To(this, onItem, onEnd);
}
