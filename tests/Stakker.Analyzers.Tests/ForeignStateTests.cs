namespace Stakker.Analyzers.Tests;

public class ForeignStateTests
{
    const string Actors = """
        sealed class Peer
        {
            public object? Seen;
            public void Meet(Cx<Peer> cx, Ledger other) => Seen = other;
            public void Hello(Cx<Peer> cx, Actor<Ledger> from) { }
            public void Count(Cx<Peer> cx, int n) { }
        }

        """;

    [Fact]
    public Task StatePassedToAnotherActorOrAnswered_IsReported() => Verify<ForeignStateAnalyzer>.Analyzer(Actors + """
        sealed class Ledger
        {
            int _total;
            public void Introduce(Cx<Ledger> cx, Actor<Peer> peer, Ret<Ledger> reply)
            {
                peer.Call(static (p, cx, l) => p.Meet(cx, l), {|STK0006:this|});
                reply.Answer({|STK0006:this|});
            }
            public static void Relay(Actor<Ledger> l, Actor<Peer> peer) =>
                l.Call(static (a, cx, peer) => peer.Call(static (p, cx, x) => p.Meet(cx, x), {|STK0006:a|}), peer);
        }
        """);

    [Fact]
    public Task HandlerLambdaCapturingStateGivenToAnotherActor_IsReported() => Verify<ForeignStateAnalyzer>.Analyzer(Actors + """
        sealed class Ledger
        {
            int _total;
            public void Share(Cx<Ledger> cx, Actor<Peer> peer)
            {
                peer.Call({|STK0006:(p, cx) =>|} p.Count(cx, _total));
            }
            public void Spawned(Cx<Ledger> cx)
            {
                _ = cx.Spawn<Peer, Ledger>(static (cx, l) => new Peer(), {|STK0006:this|}, Ret.Nop<StopCause>());
            }
        }
        """);

    [Fact]
    public Task SelfCallsAndHandlesAndCopies_AreNotReported() => Verify<ForeignStateAnalyzer>.Analyzer(Actors + """
        sealed class Ledger
        {
            int _total;
            public void Introduce(Cx<Ledger> cx, Actor<Peer> peer)
            {
                cx.This.Call(static (a, cx, self) => a._total++, this);
                peer.Call(static (p, cx, from) => p.Hello(cx, from), cx.This);
                peer.Call(static (p, cx, n) => p.Count(cx, n), _total);
                cx.After(TimeSpan.FromSeconds(1), (a, cx) => a._total += _total);
            }
        }
        """);

    [Fact]
    public Task StateHandedOnOutsideAnyHandler_IsNotReported() => Verify<ForeignStateAnalyzer>.Analyzer(Actors + """
        sealed class Ledger
        {
            // A plain method (no Cx): not a handler, so there is no actor state in reach.
            public void Introduce(Actor<Peer> peer) => peer.Call(static (p, cx, l) => p.Meet(cx, l), this);
        }
        """);
}
