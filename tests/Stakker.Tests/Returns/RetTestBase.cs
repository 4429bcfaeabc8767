using Stakker.Tests.Actors;

namespace Stakker.Tests.Returns;

/// <summary>The actors and helpers the Ret tests share</summary>
public abstract class RetTestBase
{
    /// <summary>Answers, keeps, passes on or forgets the Rets it is given</summary>
    protected sealed class Server : IDisposable
    {
        public int Value;
        Ret<int> _kept;
        readonly List<Ret<int>> _keptMany = [];
        FixedTimerKey _timer;
        public readonly List<string> Log = [];

        public Server(Cx<Server> cx, int value) { Value = value; }

        public void Get(Cx<Server> cx, Ret<int> ret) => ret.Answer(Value);
        public void Keep(Cx<Server> cx, Ret<int> ret) => _kept = ret;
        public void KeepMany(Cx<Server> cx, Ret<int> ret) => _keptMany.Add(ret);
#pragma warning disable STK0004 // ignoring the Ret is the mistake under test: it must stay pending until the actor ends
        public void Ignore(Cx<Server> cx, Ret<int> ret) { }
#pragma warning restore STK0004
        public void AnswerKept(Cx<Server> cx, int v) => _kept.Answer(v);
        public void AnswerKeptTwice(Cx<Server> cx, int v) { _kept.Answer(v); _kept.Answer(v + 1); }
        public void KeepAndStop(Cx<Server> cx, Ret<int> ret) { _kept = ret; cx.Stop(); }
        public void KeepAndFail(Cx<Server> cx, Ret<int> ret) { _kept = ret; cx.Fail("failing with a kept Ret"); }
        public void KeepAndThrow(Cx<Server> cx, Ret<int> ret) { _kept = ret; throw new InvalidOperationException("throwing with a kept Ret"); }
        public void AnswerAndThrow(Cx<Server> cx, Ret<int> ret) { ret.Answer(Value); throw new InvalidOperationException("after answering"); }
        public void AnswerAndStop(Cx<Server> cx, Ret<int> ret) { ret.Answer(Value); cx.Stop(); }
        public void Stop(Cx<Server> cx) => cx.Stop();
        public void Fail(Cx<Server> cx) => cx.Fail("server failed");
        public void Throw(Cx<Server> cx) => throw new InvalidOperationException("server threw");

        /// <summary>Passes the Ret on to <paramref name="next"/>, which keeps it</summary>
        public void Relay(Cx<Server> cx, Actor<Server> next, Ret<int> ret) =>
            next.Call(static (a, cx, r) => a.Keep(cx, r), ret);
        public void RelayAndStop(Cx<Server> cx, Actor<Server> next, Ret<int> ret)
        {
            next.Call(static (a, cx, r) => a.Get(cx, r), ret);
            cx.Stop();
        }
        /// <summary>Passes a Ret kept earlier on to <paramref name="next"/></summary>
        public void RelayKept(Cx<Server> cx, Actor<Server> next) =>
            next.Call(static (a, cx, r) => a.Keep(cx, r), _kept);

        public void AnswerLater(Cx<Server> cx, TimeSpan delay, Ret<int> ret) =>
            _timer = cx.After(delay, static (a, cx, r) => r.Answer(a.Value), ret);
        public void CancelTimer(Cx<Server> cx) => Log.Add("cancelled " + cx.TimerDel(_timer));

        /// <summary>Two Rets in one call, in the 2nd and 4th positions</summary>
        public void Pair(Cx<Server> cx, int a, Ret<int> r1, string b, Ret<int> r2) { r1.Answer(a); r2.Answer(b.Length); }

        public void Dispose() => Log.Add("disposed");
    }

    /// <summary>Asks servers for values through Rets that call back into this actor</summary>
    protected sealed class Client
    {
        public readonly List<Answer<int>> Got = [];
        public readonly List<int> Some = [];
        public readonly List<(string Tag, Answer<int> Answer)> Tagged = [];
        public Client(Cx<Client> cx) { }

        public void Ask(Cx<Client> cx, Actor<Server> server) =>
            server.Call(static (a, cx, r) => a.Get(cx, r), cx.Ret<int>(static (c, cx, v) => c.Got.Add(v)));
        public void AskKept(Cx<Client> cx, Actor<Server> server) =>
            server.Call(static (a, cx, r) => a.Keep(cx, r), cx.Ret<int>(static (c, cx, v) => c.Got.Add(v)));
        public void AskSome(Cx<Client> cx, Actor<Server> server) =>
            server.Call(static (a, cx, r) => a.Get(cx, r), cx.RetSome<int>(static (c, cx, v) => c.Some.Add(v)));
        public void AskSomeKept(Cx<Client> cx, Actor<Server> server) =>
            server.Call(static (a, cx, r) => a.Keep(cx, r), cx.RetSome<int>(static (c, cx, v) => c.Some.Add(v)));
        public void AskTagged(Cx<Client> cx, Actor<Server> server, string tag) =>
            server.Call(static (a, cx, r) => a.Get(cx, r), cx.Ret<string, int>(tag, static (c, cx, t, v) => c.Tagged.Add((t, v))));
        public void AskTaggedKept(Cx<Client> cx, Actor<Server> server, string tag) =>
            server.Call(static (a, cx, r) => a.Keep(cx, r), cx.Ret<string, int>(tag, static (c, cx, t, v) => c.Tagged.Add((t, v))));
    }

    protected static ActorOwn<Server> SpawnServer(Core core, int value = 7, Ret<StopCause> notify = default) =>
        core.Spawn<Server, int>(static (cx, v) => new Server(cx, v), value, notify);

    protected static ActorOwn<Client> SpawnClient(Core core) =>
        core.Spawn<Client>(static cx => new Client(cx), Ret.Nop<StopCause>());

    protected static List<Answer<int>> GotBy(Actor<Client> c) => c.Query(static (a, cx) => a.Got.ToList());

    protected static void Keep(Actor<Server> s, Ret<int> r) => s.Call(static (a, cx, x) => a.Keep(cx, x), r);

    /// <summary>The ways an actor can end, for theories over all of them</summary>
    public enum Ending { Stop, Fail, Throw, Kill, Drop }

    protected static void End(Core core, ActorOwn<Server> server, Ending how)
    {
        switch (how)
        {
            case Ending.Stop: server.Call(static (a, cx) => a.Stop(cx)); break;
            case Ending.Fail: server.Call(static (a, cx) => a.Fail(cx)); break;
            case Ending.Throw: server.Call(static (a, cx) => a.Throw(cx)); break;
            case Ending.Kill: server.Kill("killed"); break;
            case Ending.Drop: server.Dispose(); break;
        }
    }
}
