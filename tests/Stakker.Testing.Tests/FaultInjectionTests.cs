namespace Stakker.Testing.Tests;

/// <summary>Actors that throw at random points (handlers, Dispose, Ret end-points, timer callbacks,
/// coroutine continuations, Fwd receivers) next to a bystander that must notice nothing</summary>
public class FaultInjectionTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Counts what it is sent; must see every call, in order</summary>
    sealed class Bystander
    {
        public int Next;
        public Bystander(Cx<Bystander> cx) { }
        public void Take(Cx<Bystander> cx, int n, Ret<int> ret)
        {
            if (n != Next) throw new InvalidOperationException($"bystander got {n}, expected {Next}");
            Next++;
            ret.Answer(n);
        }
    }

    /// <summary>Does a bit of everything with the jobs it is given; any of it may throw</summary>
    sealed class Victim : IDisposable
    {
        readonly Simulation _sim;
        readonly Actor<Victim>[] _peers;
        readonly Fwd<Ret<int>> _self;

        public Victim(Cx<Victim> cx, Simulation sim, Actor<Victim>[] peers)
        {
            _sim = sim;
            _peers = peers;
            _self = cx.Fwd<Ret<int>>(static (a, cx, r) => a.FwdItem(cx, r));
            _sim.Faults.ThrowMaybe("init");
        }

        void Maybe(string site) => _sim.Faults.ThrowMaybe(site);

        public void Work(Cx<Victim> cx, int how, Ret<int> ret)
        {
            Maybe("handler");
            switch (how)
            {
                case 0:   // answer later, from a timer that holds the Ret
                    cx.After(TimeSpan.FromMilliseconds(1 + how), static (a, cx, r) => { a.Maybe("timer"); r.Answer(1); }, ret);
                    break;
                case 1:   // pass it to a peer, which answers
                    _peers[_sim.Random.Next(_peers.Length)].Call(static (a, cx, r) => a.Work(cx, 4, r), ret);
                    break;
                case 2:   // send it to ourselves through a Fwd
                    _self.Send(ret);
                    break;
                case 3:   // ask a peer through a Ret end-point of ours, answer from there
                    _peers[_sim.Random.Next(_peers.Length)].Call(static (a, cx, r) => a.Work(cx, 4, r),
                        cx.Ret<Ret<int>, int>(ret, static (a, cx, client, ans) => { a.Maybe("ret end-point"); client.Answer(ans.GetValueOrDefault(-1)); }));
                    break;
                default:
                    ret.Answer(4);
                    break;
            }
            // A coroutine whose continuation may throw, racing the rest.
            _ = cx.StartAsync(static async co =>
            {
                await co.Delay(TimeSpan.FromMilliseconds(2));
                co.State.Maybe("coroutine");
            });
        }

        void FwdItem(Cx<Victim> cx, Ret<int> r)
        {
            Maybe("fwd receiver");
            r.Answer(2);
        }

        public void Dispose() => Maybe("dispose");
    }

    sealed class Counts
    {
        public int RetsMade;
        public readonly Dictionary<int, int> RetAnswers = new();
        public readonly Dictionary<long, int> Causes = new();
        public int Spawned;
        public int TeardownErrors;
    }

    static void Program(Simulation sim, Counts n, int ticks)
    {
        sim.Faults.DefaultRate = 0.05;
        Core core = sim.Core;
        using var bystander = core.Spawn<Bystander>(static cx => new Bystander(cx), Ret.Shutdown(core));
        var peers = new Actor<Victim>[4];
        var owns = new ActorOwn<Victim>?[4];
        bool stopping = false;

        void Spawn(int i)
        {
            var own = core.Create<Victim>(Ret.From<StopCause>(core, a =>
            {
                var cause = a.Value;
                long id = owns[i]!.Actor.Id;
                n.Causes[id] = n.Causes.GetValueOrDefault(id) + 1;
                if (cause.TeardownError is not null) n.TeardownErrors++;
                // Restart from outside, as a supervisor would, after a seeded pause.
                if (!stopping) sim.Schedule(() => { if (stopping) return; owns[i]!.Dispose(); Spawn(i); }, "restart");
            }));
            owns[i] = own;
            peers[i] = own.Actor;
            n.Spawned++;
            n.Causes[own.Actor.Id] = 0;
            own.Actor.Init(static (cx, s) => new Victim(cx, s.sim, s.peers), (sim, peers));
        }
        for (int i = 0; i < peers.Length; i++) Spawn(i);

        Ret<int> NewRet()
        {
            int k = n.RetsMade++;
            n.RetAnswers[k] = 0;
            return Ret.From<int>(core, _ => n.RetAnswers[k]++);
        }

        int sent = 0;
        for (int t = 0; t < ticks; t++)
        {
            sim.Schedule(TimeSpan.FromMilliseconds(t), () =>
            {
                bystander.Call(static (a, cx, x, r) => a.Take(cx, x, r), sent++, NewRet());
                peers[sim.Random.Next(peers.Length)].Call(static (a, cx, how, r) => a.Work(cx, how, r), sim.Random.Next(5), NewRet());
            }, "tick");
        }
        sim.RunFor(TimeSpan.FromMilliseconds(ticks + 100));
        Assert.False(core.IsShutdown);                  // the runtime never stopped
        Assert.Equal(sent, bystander.Actor.Query(static (a, cx) => a.Next));   // nothing unrelated lost

        // Teardown: end every victim, let restarts stop, and count.
        stopping = true;
        for (int i = 0; i < owns.Length; i++) owns[i]!.Kill("end of test");
        sim.RunUntil(sim.Now);
        foreach (var o in owns) o!.Dispose();
        bystander.Dispose();
        sim.RunFor(TimeSpan.FromSeconds(1));
        Assert.All(n.RetAnswers, kv => Assert.True(kv.Value == 1, $"ret {kv.Key} answered {kv.Value} times"));
        Assert.All(n.Causes, kv => Assert.True(kv.Value >= 1, $"actor {kv.Key}'s owner heard no cause"));
        Assert.All(n.Causes, kv => Assert.True(kv.Value <= 1, $"actor {kv.Key}'s owner heard {kv.Value} causes"));
    }

    [Fact]
    public void ThrowingEverywhere_LosesNothingUnrelated_AndEveryOwnerHearsOneCause()
    {
        var total = new Counts();
        long faults = 0;
        var sites = new HashSet<string>();
        int runs = Simulation.Explore(ModelTests.Long ? 5_000 : 150, sim =>
        {
            var n = new Counts();
            Program(sim, n, 200);
            faults += sim.Faults.Fired;
            foreach (var e in sim.Trace.OfKind(TraceKind.Fault)) sites.Add(e.Text);
            total.RetsMade += n.RetsMade;
            total.Spawned += n.Spawned;
            total.TeardownErrors += n.TeardownErrors;
        });
        output.WriteLine($"faults: {runs} seeds, {total.RetsMade:N0} Rets, {total.Spawned:N0} victims, {faults:N0} faults fired, {total.TeardownErrors:N0} teardown errors reported");
        Assert.Equal(["coroutine", "dispose", "fwd receiver", "handler", "init", "ret end-point", "timer"], sites.Order(StringComparer.Ordinal));
        Assert.True(faults > 1000, $"only {faults} faults fired");
        Assert.True(total.TeardownErrors > 0, "no Dispose fault reached an owner's cause");
        Assert.True(total.Spawned > 300, $"only {total.Spawned} victims");
    }
}
