using Stakker.Testing;
using Xunit.Abstractions;

namespace Stakker.Testing.Tests;

/// <summary>Three simulated Cores whose workers send numbered calls and Rets to each other at random,
/// while workers are killed and a Core is lost, with seeded latencies: every Ret is answered exactly
/// once, each receiver sees each sender's calls once and in order, every owner hears one cause</summary>
public class CrossCoreChaosTests(ITestOutputHelper output)
{
    const int Cores = 3, WorkersPerCore = 2, Workers = Cores * WorkersPerCore;

    sealed class World
    {
        public readonly CrossCoreActor<Worker>[] Handles = new CrossCoreActor<Worker>[Workers];
        public readonly Dictionary<long, int> Answers = new();
        public readonly Dictionary<long, int> AnsweredWithValue = new();
        public readonly HashSet<long> Received = new();
        public readonly int[] Causes = new int[Workers];
        public readonly Worker?[] Actors = new Worker?[Workers];
        public readonly List<string> Violations = new();
        public bool LoseNow;
        public long NextRet;
        public long Sent, Refused;
        public bool Stopping;
    }

    sealed class Worker
    {
        readonly int _id;
        readonly World _world;
        readonly Simulation _sim;
        readonly int[] _nextTo = new int[Workers];
        readonly int[] _lastFrom = Enumerable.Repeat(-1, Workers).ToArray();
        public bool Ended;

        public Worker(Cx<Worker> cx, int id, World world, Simulation sim)
        {
            _id = id;
            _world = world;
            _sim = sim;
            world.Actors[id] = this;
            cx.After(TimeSpan.FromTicks(sim.Random.Next(1, 2_000)), static (w, cx) => w.Tick(cx));
        }

        void Tick(Cx<Worker> cx)
        {
            if (_world.Stopping) return;
            int burst = _sim.Random.Next(1, 12);
            for (int i = 0; i < burst; i++)
            {
                int to = _sim.Random.Next(Workers);
                var target = _world.Handles[to];
                if (!target.HasRoom) { _world.Refused++; break; }
                int seq = _nextTo[to]++;
                _world.Sent++;
                if (_sim.Random.Chance(0.5))
                {
                    target.Call(static (w, cx, from, seq) => w.Take(cx, from, seq), _id, seq);
                    continue;
                }
                long k = _world.NextRet++;
                _world.Answers[k] = 0;
                // A plain Ret of this Core, not an end-point into this actor: it is answered even if
                // this worker has ended meanwhile, so "exactly once" is checked for every one.
                var world = _world;
                target.Call(static (w, cx, from, seq, r) => w.Reply(cx, from, seq, r), _id, seq,
                    Ret.From<int>(cx.Core, a => Answered(world, k, seq, a)));
            }
            cx.After(TimeSpan.FromTicks(_sim.Random.Next(1, 2_000)), static (w, cx) => w.Tick(cx));
        }

        static void Answered(World world, long k, int seq, Answer<int> a)
        {
            world.Answers[k]++;
            if (a.TryGetValue(out int v))
            {
                if (v != seq * 2) world.Violations.Add($"ret {k} answered {v} for {seq}");
                world.AnsweredWithValue[k] = v;
            }
        }

        void Check(int from, int seq)
        {
            if (Ended) _world.Violations.Add($"a call ran on ended worker {_id}");
            // Per sender, in order and once; gaps are calls dropped with an ended actor or a lost Core.
            if (seq <= _lastFrom[from]) _world.Violations.Add($"worker {_id} got {seq} from {from} after {_lastFrom[from]}");
            _lastFrom[from] = seq;
            if (!_world.Received.Add(((long)from << 40) | ((long)_id << 32) | (uint)seq)) _world.Violations.Add($"duplicate {from}>{_id} {seq}");
        }

        public void Take(Cx<Worker> cx, int from, int seq) => Check(from, seq);

        public void Reply(Cx<Worker> cx, int from, int seq, Ret<int> ret)
        {
            Check(from, seq);
            // One in eight is dropped unanswered: the asker hears "no value".
            if (_sim.Random.Next(8) == 0) ret.Dispose();
            else ret.Answer(seq * 2);
        }
    }

    /// <summary>What the runs went through, summed over seeds, so a test can see it reached each case</summary>
    sealed class Totals
    {
        public long Sent, Refused, NoValue, LostCores, Batches;
    }

    static void Program(Simulation sim) => Program(sim, new Totals());

    static void Program(Simulation sim, Totals totals)
    {
        var world = new World();
        var cores = new Core[Cores];
        cores[0] = sim.Core;
        for (int c = 1; c < Cores; c++) cores[c] = sim.AddCore();
        foreach (var core in cores) core.CrossCoreCapacity = 16;
        var owns = new ActorOwn<Worker>?[Workers];
        for (int w = 0; w < Workers; w++)
        {
            Core core = cores[w / WorkersPerCore];
            int id = w;
            owns[w] = core.Spawn<Worker, (int, World, Simulation)>(
                static (cx, s) => new Worker(cx, s.Item1, s.Item2, s.Item3), (id, world, sim),
                Ret.From<StopCause>(core, a =>
                {
                    world.Causes[id]++;
                    if (world.Actors[id] is { } ended) ended.Ended = true;
                }));
            world.Handles[w] = owns[w]!.Actor.CrossCore();
        }
        // A worker killed now and then, and (one run in two) the last Core lost, at seeded times.
        for (int i = 0; i < 2; i++)
        {
            int victim = sim.Random.Next(Workers);
            sim.Schedule(TimeSpan.FromTicks(sim.Random.Next(5_000, 60_000)), () => owns[victim]?.Kill("chaos"), "kill", cores[victim / WorkersPerCore]);
        }
        bool loseCore = sim.Random.Chance(0.5);
        if (loseCore)
            sim.Schedule(TimeSpan.FromTicks(sim.Random.Next(10_000, 80_000)), () => world.LoseNow = true, "lose");
        var lost = false;
        sim.RunUntil(() =>
        {
            // Between steps, as a machine loses a Core whatever the others are doing.
            if (world.LoseNow && !lost)
            {
                lost = true;
                cores[Cores - 1].Dispose();
            }
            return sim.Now.Ticks >= 100_000;
        }, TimeSpan.FromSeconds(1));
        world.Stopping = true;
        Assert.True(sim.RunUntilQuiet(TimeSpan.FromSeconds(1)));
        for (int w = 0; w < Workers; w++)
        {
            if (lost && w / WorkersPerCore == Cores - 1) continue;
            owns[w]!.Dispose();
        }
        Assert.True(sim.RunUntilQuiet(TimeSpan.FromSeconds(1)));
        Assert.True(world.Sent > 50, $"only {world.Sent} calls sent");
        totals.Sent += world.Sent;
        totals.Refused += world.Refused;
        totals.NoValue += world.Answers.Count - world.AnsweredWithValue.Count;
        totals.LostCores += lost ? 1 : 0;
        totals.Batches += sim.CrossCoreBatches;
        Assert.Empty(world.Violations);
        // Every Ret exactly once, whatever happened to its receiver or the Core it was on.
        Assert.All(world.Answers, kv => Assert.True(kv.Value == 1, $"ret {kv.Key} answered {kv.Value} times"));
        // Every owner hears one cause; on a lost Core, live actors are left as they are (docs/semantics.md
        // section 2: a disposed Core answers no notify), so those heard one only if they had ended before.
        for (int w = 0; w < Workers; w++)
        {
            bool onLostCore = lost && w / WorkersPerCore == Cores - 1;
            if (onLostCore) Assert.True(world.Causes[w] <= 1, $"worker {w}'s owner heard {world.Causes[w]} causes");
            else Assert.True(world.Causes[w] == 1, $"worker {w}'s owner heard {world.Causes[w]} causes");
        }
    }

    [Fact]
    public void RandomTrafficBetweenThreeCores_WithKillsAndALostCore_KeepsEveryGuarantee()
    {
        var totals = new Totals();
        int runs = Simulation.Explore(ModelTests.Long ? 5_000 : 100, sim => Program(sim, totals),
            new SimulationOptions { CrossCoreMaxLatency = TimeSpan.FromTicks(3_000), TraceCapacity = 2_000 });
        output.WriteLine($"chaos: {runs:N0} seeds, {totals.Sent:N0} calls in {totals.Batches:N0} batches, " +
            $"{totals.Refused:N0} refused for capacity, {totals.NoValue:N0} Rets answered no value, {totals.LostCores:N0} Cores lost");
        if (runs == 1) return;   // a replay of one seed
        Assert.True(totals.Refused > 0 && totals.NoValue > 0 && totals.LostCores > 0);
    }

    [Fact]
    public void ARunOfChaosRepeatsExactlyFromItsSeed() => Simulation.CheckDeterministic(7, Program,
        new SimulationOptions { CrossCoreMaxLatency = TimeSpan.FromTicks(3_000) });
}
