namespace Stakker.Returns;

/// <summary>Calls a plain callback synchronously, at the moment of answering or abandoning</summary>
/// <remarks>Up to <see cref="Core.MaxCallbackNesting"/> such callbacks nest inside each other (a callback
/// answering the next Ret, which answers the next...); past that the answer is queued on the main queue
/// instead, so a chain of any length runs in bounded stack.</remarks>
internal sealed class RetToCallback<T> : RetNode<T>
{
    internal Action<Answer<T>> Fn = null!;

    internal override void Deliver(T value) => Send(new Answer<T>(value));
    internal override void DeliverNone() => Send(default);
    internal override void DeliverNone(object cause) => Send(Answer<T>.NoneWith(cause));

    void Send(Answer<T> answer)
    {
        Action<Answer<T>> fn = Fn;
        Core core = Core;
        Fn = null!;
        core.Pool.Return(this);
        core.RunCallback(fn, answer);
    }
}
