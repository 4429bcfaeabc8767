using Stakker.Testing;

namespace Stakker.Testing.Tests;

/// <summary>Cross-Core calls under the simulator: the seed owns when each batch arrives and in which
/// order against other Cores' batches; back-pressure; a Core lost with calls on the way</summary>
public class CrossCoreSimulationTests
{
    sealed class Recorder
    {
        public List<string> Seen { get; } = [];
        public void Note(Cx<Recorder> cx, string what) => Seen.Add(what);
        public void Hold(Cx<Recorder> cx, Ret<int> ret) => Held.Add(ret);
        public List<Ret<int>> Held { get; } = [];
    }

    sealed class Sender
    {
        public int Refused;
        public int Next;
        public Answer<int>? Answer;
        public int Answers;

        public void Note(Cx<Sender> cx, CrossCoreActor<Recorder> to, string what) =>
            to.Call(static (r, cx, w) => r.Note(cx, w), what);

        /// <summary>Sends numbered notes up to <paramref name="count"/>, as fast as the receiver's capacity allows</summary>
        CrossCoreActor<Recorder> _to;
        int _count;

        public void Pump(Cx<Sender> cx, CrossCoreActor<Recorder> to, int count)
        {
            _to = to;
            _count = count;
            Pump(cx);
        }

        void Pump(Cx<Sender> cx)
        {
            CrossCoreActor<Recorder> to = _to;
            int count = _count;
            while (Next < count && to.HasRoom) to.Call(static (r, cx, w) => r.Note(cx, w), (Next++).ToString());
            if (Next == count) return;
            // Full: a call now is refused and queues nothing; come back once the batch has gone.
            Assert.Throws<CrossCoreFullException>(() => to.Call(static (r, cx, w) => r.Note(cx, w), "refused"));
            Refused++;
            cx.After(TimeSpan.FromTicks(100), static (a, cx) => a.Pump(cx));
        }

        public void Ask(Cx<Sender> cx, CrossCoreActor<Recorder> to) =>
            to.Call(static (r, cx, ret) => r.Hold(cx, ret), cx.Ret<int>(static (a, cx, ans) => { a.Answers++; a.Answer = ans; }));
    }

    static string FirstArrival(ulong seed)
    {
        string first = "";
        Simulation.Check(seed, sim =>
        {
            Core c1 = sim.AddCore(), c2 = sim.AddCore();
            using var rec = c1.Spawn<Recorder>(static cx => new Recorder(), Ret.Shutdown(c1));
            var to = rec.Actor.CrossCore();
            using var s0 = sim.Core.Spawn<Sender>(static cx => new Sender(), Ret.Shutdown(sim.Core));
            using var s2 = c2.Spawn<Sender>(static cx => new Sender(), Ret.Shutdown(c2));
            // Both senders run at the same instant; only the seed orders their batches.
            sim.Schedule(TimeSpan.Zero, () => s0.Call(static (s, cx, t) => s.Note(cx, t, "c0"), to), core: sim.Core);
            sim.Schedule(TimeSpan.Zero, () => s2.Call(static (s, cx, t) => s.Note(cx, t, "c2"), to), core: c2);
            sim.RunUntilQuiet(TimeSpan.FromSeconds(1));
            var seen = rec.Actor.Query(static (r, cx) => r.Seen.ToArray());
            Assert.Equal(2, seen.Length);
            first = seen[0];
        }, new SimulationOptions { CrossCoreMaxLatency = TimeSpan.Zero });
        return first;
    }

    [Fact]
    public void BatchesFromTwoCoresAtOneInstant_ArriveInTheOrderTheSeedChooses()
    {
        var firsts = Enumerable.Range(1, 40).Select(s => FirstArrival((ulong)s)).ToList();
        Assert.Contains("c0", firsts);
        Assert.Contains("c2", firsts);
        for (int s = 1; s <= 5; s++) Assert.Equal(firsts[s - 1], FirstArrival((ulong)s));
    }

    static void Pumped(Simulation sim, int count, out int refused)
    {
        Core c1 = sim.AddCore();
        c1.CrossCoreCapacity = 8;
        using var rec = c1.Spawn<Recorder>(static cx => new Recorder(), Ret.Shutdown(c1));
        var to = rec.Actor.CrossCore();
        using var sender = sim.Core.Spawn<Sender>(static cx => new Sender(), Ret.Shutdown(sim.Core));
        sender.Call(static (s, cx, t) => s.Pump(cx, t, 200), to);
        Assert.True(sim.RunUntilQuiet(TimeSpan.FromSeconds(10)));
        Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString()), rec.Actor.Query(static (r, cx) => r.Seen.ToArray()));
        refused = sender.Actor.Query(static (s, cx) => s.Refused);
    }

    [Fact]
    public void AFullReceiver_PushesBack_AndEveryCallArrivesOnceInOrder()
    {
        int refusedTotal = 0;
        Simulation.Explore(30, sim =>
        {
            Pumped(sim, 200, out int refused);
            // Capacity 8 and 200 calls: at least 24 times full.
            Assert.True(refused >= 200 / 8 - 1, $"refused only {refused} times");
            refusedTotal += refused;
        }, new SimulationOptions { CrossCoreMaxLatency = TimeSpan.FromMilliseconds(1) });
        Assert.True(refusedTotal > 0);
        Simulation.CheckDeterministic(9, sim => Pumped(sim, 200, out _));
    }

    [Fact]
    public void ACoreLostWithACallOnTheWay_AnswersItsRetNoValue_Once()
    {
        Simulation.Explore(20, sim =>
        {
            Core c1 = sim.AddCore();
            var rec = c1.Spawn<Recorder>(static cx => new Recorder(), Ret.Shutdown(c1));
            var to = rec.Actor.CrossCore();
            using var sender = sim.Core.Spawn<Sender>(static cx => new Sender(), Ret.Shutdown(sim.Core));
            sender.Call(static (s, cx, t) => s.Ask(cx, t), to);
            Assert.True(sim.Step(Instant.MaxValue));   // the sender runs; its batch is on the way
            Assert.Equal(1, sim.CrossCoreBatches);
            c1.Dispose();                               // the receiving Core is lost
            Assert.True(sim.RunUntilQuiet(TimeSpan.FromSeconds(1)));
            Assert.Equal(1, sender.Actor.Query(static (s, cx) => s.Answers));
            Assert.False(sender.Actor.Query(static (s, cx) => s.Answer!.Value.HasValue));
            Assert.Contains(sim.Trace.OfKind(TraceKind.Arrival), e => e.Text.StartsWith("refused", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void ACoreLostHoldingAnotherCoresRet_AnswersItNoValue_Once()
    {
        Simulation.Explore(20, sim =>
        {
            Core c1 = sim.AddCore();
            var rec = c1.Spawn<Recorder>(static cx => new Recorder(), Ret.Shutdown(c1));
            var to = rec.Actor.CrossCore();
            using var sender = sim.Core.Spawn<Sender>(static cx => new Sender(), Ret.Shutdown(sim.Core));
            sim.RunUntilQuiet(TimeSpan.FromSeconds(1));   // both actors ready
            sender.Call(static (s, cx, t) => s.Ask(cx, t), to);
            // The Recorder holds the stand-in for the sender's Ret.
            Assert.True(sim.RunUntil(() => rec.Actor.Query(static (r, cx) => r.Held.Count) == 1, TimeSpan.FromSeconds(1)));
            c1.Dispose();   // its answer "no value" crosses back as a batch
            Assert.Equal(0, sender.Actor.Query(static (s, cx) => s.Answers));
            Assert.True(sim.RunUntilQuiet(TimeSpan.FromSeconds(1)));
            Assert.Equal(1, sender.Actor.Query(static (s, cx) => s.Answers));
            Assert.False(sender.Actor.Query(static (s, cx) => s.Answer!.Value.HasValue));
        });
    }

    [Fact]
    public void CallsFromOutsideEveryCore_AreCarriedToo_InOrder()
    {
        Simulation.Explore(20, sim =>
        {
            Core c1 = sim.AddCore();
            using var rec = c1.Spawn<Recorder>(static cx => new Recorder(), Ret.Shutdown(c1));
            var to = rec.Actor.CrossCore();
            sim.RunUntilQuiet(TimeSpan.FromSeconds(1));   // the Recorder ready
            // The test's own thread runs no Core: each call is its own batch, on one channel.
            for (int i = 0; i < 10; i++) to.Call(static (r, cx, w) => r.Note(cx, w), i.ToString());
            Assert.Equal(10, sim.CrossCoreBatches);
            Assert.Empty(rec.Actor.Query(static (r, cx) => r.Seen.ToArray()));
            Assert.True(sim.RunUntilQuiet(TimeSpan.FromSeconds(1)));
            Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), rec.Actor.Query(static (r, cx) => r.Seen.ToArray()));
        });
    }
}
