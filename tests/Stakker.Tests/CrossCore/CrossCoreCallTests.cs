#pragma warning disable STK0005 // the tests read what handlers saw through captured locals

namespace Stakker.Tests.CrossCore;

/// <summary>Cross-Core calls between Cores driven by hand on one thread: each step is explicit, so
/// batching, order and every Ret outcome can be checked exactly</summary>
public class CrossCoreCallTests
{
    sealed class Sink
    {
        public readonly List<int> Got = [];
        public readonly List<Core?> RanOn = [];
        public void Add(Cx<Sink> cx, int x)
        {
            Got.Add(x);
            RanOn.Add(cx.Core);
        }
    }

    sealed class Sender
    {
        public readonly List<string> Log = [];
    }

    static (Core S, Core D, ActorOwn<Sender> Sender, ActorOwn<Sink> Sink, CrossCoreActor<Sink> Remote) Pair()
    {
        var s = new Core(Instant.Zero);
        var d = new Core(Instant.Zero);
        var sender = s.Spawn<Sender>(static cx => new Sender(), Ret.Nop<StopCause>());
        var sink = d.Spawn<Sink>(static cx => new Sink(), Ret.Nop<StopCause>());
        s.RunQueued();
        d.RunQueued();
        return (s, d, sender, sink, sink.Actor.CrossCore());
    }

    [Fact]
    public void Calls_MadeInOneRun_ArriveTogetherAfterThatRunEnds_InOrder()
    {
        var (s, d, sender, sink, remote) = Pair();
        sender.Actor.Call(static (a, cx, r) =>
        {
            for (int i = 0; i < 2000; i++) r.Call(static (b, cx, x) => b.Add(cx, x), i);
        }, remote);
        d.RunQueued();
        Assert.Empty(sink.Actor.Query(static (b, cx) => b.Got));   // nothing crossed before the sender's run
        s.RunQueued();
        d.RunQueued();
        List<int> got = sink.Actor.Query(static (b, cx) => b.Got);
        Assert.Equal(Enumerable.Range(0, 2000), got);
        Assert.All(sink.Actor.Query(static (b, cx) => b.RanOn), c => Assert.Same(d, c));
    }

    [Fact]
    public void Call_OnTheActorsOwnCore_IsALocalCall()
    {
        var (s, d, _, sink, remote) = Pair();
        var local = d.Spawn<Sender>(static cx => new Sender(), Ret.Nop<StopCause>());
        local.Actor.Call(static (a, cx, r) => r.Call(static (b, cx, x) => b.Add(cx, x), 7), remote);
        d.RunQueued();
        Assert.Equal([7], sink.Actor.Query(static (b, cx) => b.Got));
        Assert.True(remote.TryGetLocal(out _) == false, "outside the Core's run there is no local handle");
    }

    [Fact]
    public void CallsOfEveryArity_Arrive_WithTheirArguments()
    {
        var (s, d, sender, sink, remote) = Pair();
        var log = new List<string>();
        var logger = d.Spawn<List<string>>(cx => log, Ret.Nop<StopCause>());
        d.RunQueued();
        var r = logger.Actor.CrossCore();
        sender.Actor.Call(static (a, cx, r) =>
        {
            r.Call(static (l, cx) => l.Add("0"));
            r.Call(static (l, cx, x) => l.Add("1:" + x), "a");
            r.Call(static (l, cx, x, y) => l.Add($"2:{x},{y}"), 1, (long)2);
            r.Call(static (l, cx, x, y, z) => l.Add($"3:{x},{y},{z}"), 1, "b", Guid.Empty);
            r.Call(static (l, cx, x, y, z, w) => l.Add($"4:{x},{y},{z},{w}"), 1, 2, 3, (decimal)4);
            r.Call(static (l, cx, g) => l.Add("big:" + g), Guid.Empty);   // a 16-byte struct: a parcel
        }, r);
        s.RunQueued();
        d.RunQueued();
        Assert.Equal(["0", "1:a", "2:1,2", $"3:1,b,{Guid.Empty}", "4:1,2,3,4", "big:" + Guid.Empty], log);
    }

    sealed class Server
    {
        public readonly List<Ret<int>> Kept = [];
        public void Answer(Cx<Server> cx, int x, Ret<int> ret) => ret.Answer(x * 10);
        public void Keep(Cx<Server> cx, Ret<int> ret) => Kept.Add(ret);
        public void Drop(Cx<Server> cx, Ret<int> ret) => ret.Dispose();
    }

    sealed class Client
    {
        public readonly List<string> Answers = [];
        public readonly List<Core?> AnsweredOn = [];
        public void Got(Cx<Client> cx, Answer<int> a)
        {
            Answers.Add(a.HasValue ? a.Value.ToString() : "none");
            AnsweredOn.Add(cx.Core);
        }
    }

    static (Core S, Core D, ActorOwn<Client> Client, ActorOwn<Server> Server, CrossCoreActor<Server> Remote) RetPair()
    {
        var s = new Core(Instant.Zero);
        var d = new Core(Instant.Zero);
        var client = s.Spawn<Client>(static cx => new Client(), Ret.Nop<StopCause>());
        var server = d.Spawn<Server>(static cx => new Server(), Ret.Nop<StopCause>());
        s.RunQueued();
        d.RunQueued();
        return (s, d, client, server, server.Actor.CrossCore());
    }

    static void Exchange(Core s, Core d, int rounds = 3)
    {
        for (int i = 0; i < rounds; i++)
        {
            s.RunQueued();
            d.RunQueued();
        }
    }

    static List<string> Answers(ActorOwn<Client> c) => c.Actor.Query(static (a, cx) => a.Answers);

    [Fact]
    public void Ret_AnsweredOnTheRemoteCore_IsDeliveredOnTheCoreThatMadeIt()
    {
        var (s, d, client, _, remote) = RetPair();
        client.Actor.Call(static (a, cx, r) => r.Call(static (b, cx, x, ret) => b.Answer(cx, x, ret), 4, cx.Ret<int>(static (c, cx, ans) => c.Got(cx, ans))), remote);
        Exchange(s, d);
        Assert.Equal(["40"], Answers(client));
        Assert.All(client.Actor.Query(static (a, cx) => a.AnsweredOn), c => Assert.Same(s, c));
    }

    [Fact]
    public void Ret_DisposedOnTheRemoteCore_AnswersNoValueOnce()
    {
        var (s, d, client, _, remote) = RetPair();
        client.Actor.Call(static (a, cx, r) => r.Call(static (b, cx, ret) => b.Drop(cx, ret), cx.Ret<int>(static (c, cx, ans) => c.Got(cx, ans))), remote);
        Exchange(s, d);
        Assert.Equal(["none"], Answers(client));
    }

    [Fact]
    public void Ret_WhoseRemoteHolderEnds_AnswersNoValueOnce()
    {
        var (s, d, client, server, remote) = RetPair();
        client.Actor.Call(static (a, cx, r) => r.Call(static (b, cx, ret) => b.Keep(cx, ret), cx.Ret<int>(static (c, cx, ans) => c.Got(cx, ans))), remote);
        Exchange(s, d);
        Assert.Empty(Answers(client));
        server.Dispose();
        Exchange(s, d);
        Assert.Equal(["none"], Answers(client));
        d.Dispose();
        Exchange(s, s);
        Assert.Equal(["none"], Answers(client));
    }

    [Fact]
    public void Call_ToAnEndedActor_IsDropped_AndItsRetAnswersNoValue()
    {
        var (s, d, client, server, remote) = RetPair();
        server.Dispose();
        d.RunQueued();
        client.Actor.Call(static (a, cx, r) => r.Call(static (b, cx, x, ret) => b.Answer(cx, x, ret), 1, cx.Ret<int>(static (c, cx, ans) => c.Got(cx, ans))), remote);
        Exchange(s, d);
        Assert.Equal(["none"], Answers(client));
    }

    [Fact]
    public void RemoteCoreDisposed_WithTheRetHeldByALiveActor_OriginHearsNoValueOnce()
    {
        var (s, d, client, server, remote) = RetPair();
        client.Actor.Call(static (a, cx, r) => r.Call(static (b, cx, ret) => b.Keep(cx, ret), cx.Ret<int>(static (c, cx, ans) => c.Got(cx, ans))), remote);
        Exchange(s, d);
        d.Dispose();   // leaves the server alive, still holding the stand-in
        Exchange(s, s);
        Assert.Equal(["none"], Answers(client));
        // Calls sent after it closed are dropped, their Rets answered at once.
        client.Actor.Call(static (a, cx, r) => r.Call(static (b, cx, x, ret) => b.Answer(cx, x, ret), 1, cx.Ret<int>(static (c, cx, ans) => c.Got(cx, ans))), remote);
        Exchange(s, s);
        Assert.Equal(["none", "none"], Answers(client));
    }

    [Fact]
    public void RemoteCoreDisposed_WithCallsInItsInbox_ReturnsThemAndTheirRetsAnswerNoValue()
    {
        var (s, d, client, _, remote) = RetPair();
        client.Actor.Call(static (a, cx, r) =>
        {
            for (int i = 0; i < 3; i++) r.Call(static (b, cx, x, ret) => b.Answer(cx, x, ret), i, cx.Ret<int>(static (c, cx, ans) => c.Got(cx, ans)));
        }, remote);
        s.RunQueued();   // handed over, not yet collected
        d.Dispose();
        Exchange(s, s);
        Assert.Equal(["none", "none", "none"], Answers(client));
    }

    [Fact]
    public void OriginCoreDisposed_WhileItsRetIsAway_CallbackHearsNoValueOnce_AndTheLateAnswerIsIgnored()
    {
        var s = new Core(Instant.Zero);
        var d = new Core(Instant.Zero);
        var server = d.Spawn<Server>(static cx => new Server(), Ret.Nop<StopCause>());
        d.RunQueued();
        var remote = server.Actor.CrossCore();
        var heard = new List<string>();
        var asker = s.Spawn<Sender>(static cx => new Sender(), Ret.Nop<StopCause>());
        asker.Actor.Call((a, cx) => remote.Call(static (b, cx, ret) => b.Keep(cx, ret), Ret.From<int>(cx.Core, ans => heard.Add(ans.HasValue ? ans.Value.ToString() : "none"))));
        s.RunQueued();
        d.RunQueued();
        s.Dispose();
        Assert.Equal(["none"], heard);
        // The server answers later: the origin has closed, so nothing more is heard.
        server.Actor.Call(static (b, cx) => b.Kept[0].Answer(5));
        d.RunQueued();
        Assert.Equal(["none"], heard);
    }

    [Fact]
    public void Fwd_AcrossCores_ItemsArriveInOrder_ThenTheEnd()
    {
        var (s, d, client, server, remote) = RetPair();
        var got = new List<string>();
        var stream = client.Actor.Fwd<int>((c, cx, x) => got.Add("item " + x), (c, cx, end) => got.Add(end.ToString()));
        var producer = d.Spawn<Sender>(static cx => new Sender(), Ret.Nop<StopCause>());
        d.RunQueued();
        var r = producer.Actor.CrossCore();
        client.Actor.Call(static (a, cx, arg) => arg.r.Call(static (p, cx, f) =>
        {
            for (int i = 0; i < 5; i++) f.Send(i);
            f.End();
        }, arg.stream), (r, stream));
        Exchange(s, d);
        Assert.Equal(["item 0", "item 1", "item 2", "item 3", "item 4", "end"], got);
    }

    [Fact]
    public void Capacity_Full_RefusesTheCallWithAClearError_AndRoomReturnsOnceCollected()
    {
        var (s, d, sender, sink, remote) = Pair();
        d.CrossCoreCapacity = 10;
        var outcome = new List<string>();
        sender.Actor.Call((a, cx) =>
        {
            for (int i = 0; i < 10; i++) remote.Call(static (b, cx, x) => b.Add(cx, x), i);
            outcome.Add("room " + remote.HasRoom);
            var ex = Assert.Throws<CrossCoreFullException>(() => remote.Call(static (b, cx, x) => b.Add(cx, x), 10));
            outcome.Add(ex.Message.Contains("10 calls", StringComparison.Ordinal) ? "refused" : ex.Message);
        });
        s.RunQueued();
        d.RunQueued();
        sender.Actor.Call((a, cx) => outcome.Add("room " + remote.HasRoom));
        s.RunQueued();
        Assert.Equal(["room False", "refused", "room True"], outcome);
        Assert.Equal(Enumerable.Range(0, 10), sink.Actor.Query(static (b, cx) => b.Got));
    }

    [Fact]
    public void StaleRet_PassedAcross_Throws()
    {
        var (s, d, client, _, remote) = RetPair();
        string? error = null;
        client.Actor.Call((a, cx) =>
        {
            Ret<int> ret = cx.Ret<int>(static (c, cx, ans) => c.Got(cx, ans));
            ret.Answer(1);
            error = Assert.Throws<InvalidOperationException>(() => remote.Call(static (b, cx, r) => b.Drop(cx, r), ret)).Message;
        });
        s.RunQueued();
        Assert.Contains("already answered", error);
    }

    [Fact]
    public void Call_FromAThreadRunningNoCore_Arrives_ButARetCannotCrossFromThere()
    {
        // Synchronous: the Cores belong to this thread, so the test must not resume elsewhere.
        var (s, d, _, sink, remote) = Pair();
        OnOtherThread(() => remote.Call(static (b, cx, x) => b.Add(cx, x), 42));
        d.RunQueued();
        Assert.Equal([42], sink.Actor.Query(static (b, cx) => b.Got));
        var (s2, d2, client, server, rs) = RetPair();
        Ret<int> ret = Ret.From<int>(s2, _ => { });
        var ex = Assert.IsType<InvalidOperationException>(OnOtherThread(() => rs.Call(static (b, cx, r) => b.Drop(cx, r), ret)));
        Assert.Contains("outside any Core's Run", ex.Message);
    }

    static Exception? OnOtherThread(Action action) => OtherThread.Run(action);

    [Fact]
    public void LocalHandle_UsedFromAnotherThread_SaysWhichHandleToUse()
    {
        var (s, d, _, sink, _) = Pair();
        Actor<Sink> local = sink.Actor;
        var ex = Assert.IsType<InvalidOperationException>(OnOtherThread(() => local.Call(static (b, cx) => { })));
        Assert.Contains("CrossCoreActor<T>", ex.Message);
        Assert.Contains("actor.CrossCore()", ex.Message);
    }
}

/// <summary>A Ret or Fwd hidden in a tuple cannot be carried across Cores: the call is refused at once,
/// naming the fix, instead of failing later on the other Core's thread</summary>
public class CrossCoreHiddenEndPointTests
{
    sealed class Holder
    {
        public Fwd<int>? Kept;
        public void Keep(Cx<Holder> cx, Fwd<int> fwd) => Kept = fwd;
        public void KeepPair(Cx<Holder> cx, (Fwd<int> Fwd, bool Flag) pair) => Kept = pair.Fwd;
    }

    sealed class Listener
    {
        public readonly List<int> Heard = [];
    }

    [Fact]
    public void AFwdInsideATuple_IsRefused_AndAsAnArgumentOfItsOwn_Crosses()
    {
        var s = new Core(Instant.Zero);
        var d = new Core(Instant.Zero);
        var listener = s.Spawn<Listener>(static cx => new Listener(), Ret.Nop<StopCause>());
        var holder = d.Spawn<Holder>(static cx => new Holder(), Ret.Nop<StopCause>());
        s.RunQueued();
        d.RunQueued();
        CrossCoreActor<Holder> remote = holder.Actor.CrossCore();
        Exception? refused = null;
        listener.Actor.Call(static (l, cx, p) =>
        {
            Fwd<int> fwd = cx.Fwd<int>(static (l, cx, x) => l.Heard.Add(x));
            try { p.Remote.Call(static (h, cx, pair) => h.KeepPair(cx, pair), (fwd, true)); }
            catch (ArgumentException ex) { p.Refused(ex); }
            p.Remote.Call(static (h, cx, f) => h.Keep(cx, f), fwd);
        }, (Remote: remote, Refused: (Action<Exception>)(ex => refused = ex)));
        s.RunQueued();
        d.RunQueued();
        holder.Actor.Call(static (h, cx) => h.Kept!.Send(42));
        d.RunQueued();
        s.RunQueued();
        Assert.NotNull(refused);
        Assert.Contains("inside a tuple", refused!.Message);
        Assert.Contains("as an argument of its own", refused.Message);
        Assert.Equal([42], listener.Actor.Query(static (l, cx) => l.Heard));
    }
}
