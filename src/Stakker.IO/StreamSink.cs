namespace Stakker.IO;

/// <summary>Turns a stream's events into calls on the actor that owns it</summary>
/// <remarks>One of the two kinds below per stream, chosen by the <c>TcpStream.Open</c> overload: the
/// user's handler with or without the stream as an argument.</remarks>
internal abstract class StreamSink
{
    internal abstract void Notify(TcpStream stream, TcpEvent ev);

    /// <summary>True once the owning actor has ended</summary>
    internal abstract bool TargetGone { get; }
}

internal sealed class StreamSink<TActor>(Actor<TActor> actor, ActorCall<TActor, TcpEvent> handler) : StreamSink where TActor : class
{
    // One static delegate per actor type: the call carries the stream, the event and the user's
    // handler, so delivering an event allocates nothing.
    static readonly ActorCall<TActor, TcpStream, TcpEvent, ActorCall<TActor, TcpEvent>> s_deliver = static (a, cx, s, ev, h) =>
    {
        if (!s.BeginDelivery(ev)) return;
        try { h(a, cx, ev); }
        finally { s.EndDelivery(ev); }
    };

    internal override void Notify(TcpStream stream, TcpEvent ev) => actor.Call(s_deliver, stream, ev, handler);

    internal override bool TargetGone => actor.IsZombie;
}

internal sealed class StreamSinkWithStream<TActor>(Actor<TActor> actor, ActorCall<TActor, TcpStream, TcpEvent> handler) : StreamSink where TActor : class
{
    static readonly ActorCall<TActor, TcpStream, TcpEvent, ActorCall<TActor, TcpStream, TcpEvent>> s_deliver = static (a, cx, s, ev, h) =>
    {
        if (!s.BeginDelivery(ev)) return;
        try { h(a, cx, s, ev); }
        finally { s.EndDelivery(ev); }
    };

    internal override void Notify(TcpStream stream, TcpEvent ev) => actor.Call(s_deliver, stream, ev, handler);

    internal override bool TargetGone => actor.IsZombie;
}
