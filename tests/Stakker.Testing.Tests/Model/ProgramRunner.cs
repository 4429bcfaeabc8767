using System.Globalization;

namespace Stakker.Testing.Tests.Model;

/// <summary>Runs a random program against the runtime (in a <see cref="Simulation"/>) and against the
/// <see cref="ReferenceModel"/>, comparing the histories after every step and checking the
/// invariants at the end</summary>
sealed class ProgramRunner : IDisposable
{
    readonly Simulation _sim;
    readonly Core[] _cores;
    readonly ReferenceModel _model = new();
    /// <summary>One history per Core, then the driver's (as the model's)</summary>
    readonly List<string>[] _histories = Enumerable.Range(0, Op.Cores + 1).Select(_ => new List<string>()).ToArray();
    readonly CrossCoreActor<Probe>[] _cross = new CrossCoreActor<Probe>[Op.Slots];
    readonly ActorOwn<Probe>?[] _owns = new ActorOwn<Probe>?[Op.Slots];
    readonly int[] _actorOf = Enumerable.Repeat(-1, Op.Slots).ToArray();
    readonly List<Probe?> _probes = new();
    readonly List<int> _stops = new();
    readonly List<int> _retAnswers = new();
    readonly List<(int K, ValueTask<int> Task)> _asks = new();
    readonly Dictionary<int, List<int>> _timersOf = new();
    int _nextTimer, _nextCo;

    public long CheckedSteps { get; private set; }

    /// <summary>The runtime's histories, one after the other, for coverage checks</summary>
    public IEnumerable<string> History => _histories.SelectMany(h => h);

    /// <summary>The simulation's trace so far (two runs of one program and seed must agree)</summary>
    public SimTrace Trace => _sim.Trace;

    /// <summary>Batches carried between the Cores</summary>
    public long CrossCoreBatches => _sim.CrossCoreBatches;

    public ProgramRunner(ulong seed)
    {
        // Batches arrive at the instant they are sent (in an order the seed chooses), so every step
        // runs to quiet without moving time and the model needs no latencies.
        _sim = new Simulation(seed, new SimulationOptions { CrossCoreMaxLatency = TimeSpan.Zero });
        _cores = new Core[Op.Cores];
        _cores[0] = _sim.Core;
        for (int c = 1; c < Op.Cores; c++) _cores[c] = _sim.AddCore();
        foreach (var core in _cores) core.CrossCoreCapacity = Op.CrossCapacity;
    }

    public void Dispose() => _sim.Dispose();

    public void Run(IReadOnlyList<Op> program)
    {
        for (int i = 0; i < program.Count; i++)
        {
            Apply(program[i]);
            Compare(i, program[i]);
        }
        Teardown();
        Compare(program.Count, new Op(OpKind.Drop, -1, -1, 0));
        CheckInvariants();
    }

    Actor<Probe>? Target(int slot) => _owns[slot] is { } o ? o.Actor : null;

    /// <summary>The second actor of a step across Cores: the first slot from <paramref name="b"/> on
    /// with an actor on the other Core than <paramref name="a"/>'s, else <paramref name="b"/> itself</summary>
    /// <remarks>A program reaches two Cores far more often this way than by drawing both slots blind.</remarks>
    int Partner(int a, int b)
    {
        for (int i = 0; i < Op.Slots; i++)
        {
            int s = (b + i) % Op.Slots;
            if (_actorOf[s] >= 0 && Op.CoreOf(s) != Op.CoreOf(a)) return s;
        }
        return b;
    }

    void Apply(Op op)
    {
        if (op.Kind is OpKind.XAsk or OpKind.Burst or OpKind.XStop or OpKind.XKill or OpKind.XFwd) op = op with { B = Partner(op.A, op.B) };
        int slot = op.A;
        int actor = _actorOf[slot];
        bool any = actor >= 0;
        switch (op.Kind)
        {
            case OpKind.Spawn when !any || !_model.Alive(actor):
                Spawn(slot);
                break;
            case OpKind.Call when any:
                Actor(slot).Call(static (a, cx, v) => a.Run(cx, v), op.N);
                _model.Post(new(ReferenceModel.K.Run, actor, op.N));
                break;
            case OpKind.Fwd when any:
                Actor(slot).Fwd<int>(static (a, cx, v) => a.Run(cx, v)).Send(op.N);
                _model.Post(new(ReferenceModel.K.Run, actor, op.N));
                break;
            case OpKind.CallRet when any:
            {
                int k = NewRet(slot, out var ret);
                Actor(slot).Call(static (a, cx, v, r) => a.Answer(cx, v, r), op.N, ret);
                _model.Post(new(ReferenceModel.K.RetCall, actor, op.N, k));
                break;
            }
            case OpKind.Chain when any && _actorOf[op.B] >= 0:
            {
                int k = NewRet(slot, out var ret);
                Actor(slot).Call(static (a, cx, next, v, r) => a.Pass(cx, next, v, r), _cross[op.B], op.N, ret);
                _model.Post(new(ReferenceModel.K.Pass, actor, op.N, k, _actorOf[op.B]));
                break;
            }
            case OpKind.XKill when any && op.A != op.B && _owns[op.B] is { } victim:
            {
                // A chain whose second actor is killed while the call to it is on the way.
                int k = NewRet(slot, out var ret);
                Actor(slot).Call(static (a, cx, next, v, r) => a.Pass(cx, next, v, r), _cross[op.B], op.N, ret);
                _model.Post(new(ReferenceModel.K.Pass, actor, op.N, k, _actorOf[op.B]));
                _sim.Step(_sim.Now);
                if (Op.CoreOf(op.A) != Op.CoreOf(op.B)) _model.RunOne();   // the call crosses: still on the way
                else _model.Drain();                                       // local: it ran in the same step
                victim.Kill("killed");
                _model.Kill(_actorOf[op.B]);
                break;
            }
            case OpKind.XAsk when any && _actorOf[op.B] >= 0:
                Actor(slot).Call(static (a, cx, to, v) => a.Ask(cx, to, v), _cross[op.B], op.N);
                _model.Post(new(ReferenceModel.K.XAsk, actor, op.N, Next: _actorOf[op.B]));
                break;
            case OpKind.Burst when any && _actorOf[op.B] >= 0:
                Actor(slot).Call(static (a, cx, to, n) => a.Burst(cx, to, n), _cross[op.B], op.N);
                _model.Post(new(ReferenceModel.K.Burst, actor, op.N, Next: _actorOf[op.B]));
                break;
            case OpKind.XFwd when any && _actorOf[op.B] >= 0:
                Actor(slot).Call(static (a, cx, to, v) => a.FwdTo(cx, to, v), _cross[op.B], op.N);
                _model.Post(new(ReferenceModel.K.XFwd, actor, op.N, Next: _actorOf[op.B]));
                break;
            case OpKind.XStop when any && _actorOf[op.B] >= 0:
                Actor(slot).Call(static (a, cx, to, v) => a.StopThenCall(cx, to, v), _cross[op.B], op.N);
                _model.Post(new(ReferenceModel.K.XStop, actor, op.N, Next: _actorOf[op.B]));
                break;
            case OpKind.Ask when any:
            {
                int k = _asks.Count;
                _asks.Add((k, Actor(slot).Ask<int, int>(static (a, cx, v, r) => a.Answer(cx, v, r), op.N)));
                _model.Ask(k);
                _model.Post(new(ReferenceModel.K.Ask, actor, op.N, k));
                break;
            }
            case OpKind.Stop when any:
                Actor(slot).Call(static (a, cx) => a.Stop(cx));
                _model.Post(new(ReferenceModel.K.Stop, actor));
                break;
            case OpKind.Fail when any:
                Actor(slot).Call(static (a, cx) => a.Throw(cx));
                _model.Post(new(ReferenceModel.K.Fail, actor));
                break;
            case OpKind.Kill when _owns[slot] is { } own:
                own.Kill("killed");
                _model.Kill(actor);
                break;
            case OpKind.Drop when _owns[slot] is { } own:
                own.Dispose();
                _owns[slot] = null;
                _model.Post(new(ReferenceModel.K.End, actor));
                break;
            case OpKind.SetTimer when any:
            {
                int id = _nextTimer++;
                (CollectionsMarshalHelper.Get(_timersOf, actor)).Add(id);
                Actor(slot).Call(static (a, cx, id, ms) => a.SetTimer(cx, id, ms), id, op.N);
                _model.Post(new(ReferenceModel.K.SetTimer, actor, Id: id, Ms: op.N));
                break;
            }
            case OpKind.CancelTimer when any && _timersOf.TryGetValue(actor, out var ids) && ids.Count > 0:
            {
                int id = ids[op.N % ids.Count];
                Actor(slot).Call(static (a, cx, id) => a.CancelTimer(cx, id), id);
                _model.Post(new(ReferenceModel.K.CancelTimer, actor, Id: id));
                break;
            }
            case OpKind.Coroutine when any:
            {
                int id = _nextCo++;
                Actor(slot).Call(static (a, cx, id, ms) => a.StartCoroutine(cx, id, ms), id, op.N);
                _model.Post(new(ReferenceModel.K.Coroutine, actor, Id: id, Ms: op.N));
                break;
            }
            case OpKind.MaxTimer when any:
                Actor(slot).Call(static (a, cx, ms) => a.PushMax(cx, ms), op.N);
                _model.Post(new(ReferenceModel.K.MaxTimer, actor, Ms: op.N));
                break;
            case OpKind.Advance:
                _sim.RunFor(TimeSpan.FromMilliseconds(op.N));
                _model.Advance(_sim.Now.Ticks);
                EndStep();
                return;
            default:
                return;   // not applicable in this state: both sides do nothing
        }
        _sim.RunUntil(_sim.Now);
        _model.Drain();
        EndStep();
    }

    // The Actor handle of the slot's latest actor, whether or not its owner was dropped.
    Actor<Probe> Actor(int slot) => _handles[slot];
    readonly Actor<Probe>[] _handles = new Actor<Probe>[Op.Slots];

    void Spawn(int slot)
    {
        int actor = _model.NewActor(slot);
        _actorOf[slot] = actor;
        _stops.Add(0);
        _probes.Add(null);
        Core core = _cores[Op.CoreOf(slot)];
        var history = _histories[Op.CoreOf(slot)];
        var probes = _probes;
        _owns[slot]?.Dispose();
        _owns[slot] = core.Spawn<Probe, (int, int, List<string>, List<Probe?>)>(
            static (cx, s) => s.Item4[s.Item2] = new Probe(s.Item1, s.Item3), (slot, actor, history, probes),
            Ret.From<StopCause>(core, a =>
            {
                _stops[actor]++;
                if (_probes[actor] is { } p) p.Ended = true;
                history.Add($"stop {slot} {(a.TryGetValue(out var c) ? c.Kind.ToString() : "(no value)")}");
            }));
        _handles[slot] = _owns[slot]!.Actor;
        _cross[slot] = _handles[slot].CrossCore();
    }

    /// <summary>A Ret on the Core of <paramref name="slot"/>'s actor, which may pass it across</summary>
    int NewRet(int slot, out Ret<int> ret)
    {
        int k = _retAnswers.Count;
        _retAnswers.Add(0);
        var history = _histories[Op.CoreOf(slot)];
        ret = Ret.From<int>(_cores[Op.CoreOf(slot)], a =>
        {
            _retAnswers[k]++;
            history.Add($"ret {k} {a}");
        });
        _model.NewRet(k, Op.CoreOf(slot));
        return k;
    }

    void EndStep()
    {
        for (int i = 0; i < _asks.Count; i++)
        {
            var (k, t) = _asks[i];
            if (!t.IsCompleted) continue;
            string r;
            try { r = t.Result.ToString(CultureInfo.InvariantCulture); }
            catch (ActorFail) { r = "fail"; }
            _histories[ReferenceModel.Driver].Add($"ask {k} {r}");
            _asks.RemoveAt(i--);
        }
        _model.EndStep();
    }

    void Teardown()
    {
        for (int s = 0; s < Op.Slots; s++)
        {
            if (_owns[s] is not { } own) continue;
            own.Dispose();
            _owns[s] = null;
            _model.Post(new(ReferenceModel.K.End, _actorOf[s]));
            // One at a time: endings on two Cores at one instant come in the seed's order.
            _sim.RunUntil(_sim.Now);
            _model.Drain();
        }
        EndStep();
    }

    void Compare(int step, Op op)
    {
        CheckedSteps++;
        for (int h = 0; h < _histories.Length; h++)
        {
            List<string> runtime = _histories[h], model = _model.Histories[h];
            if (runtime.SequenceEqual(model)) continue;
            int at = 0;
            while (at < runtime.Count && at < model.Count && runtime[at] == model[at]) at++;
            string where = h == ReferenceModel.Driver ? "driver" : "core " + h;
            throw new InvalidOperationException(
                $"step {step} {op}: runtime and model differ on {where} at line {at}\n runtime: {string.Join(" | ", runtime.Skip(at).Take(8))}\n model:   {string.Join(" | ", model.Skip(at).Take(8))}");
        }
    }

    void CheckInvariants()
    {
        for (int k = 0; k < _retAnswers.Count; k++)
            if (_retAnswers[k] != 1) throw new InvalidOperationException($"ret {k} answered {_retAnswers[k]} times");
        for (int a = 0; a < _stops.Count; a++)
            if (_stops[a] != 1) throw new InvalidOperationException($"actor {a}'s owner heard {_stops[a]} causes");
        if (_asks.Count != 0) throw new InvalidOperationException($"{_asks.Count} asks never completed");
        // Timers in time order: every timer line's time is at least the one before it.
        foreach (var history in _histories) CheckTimeOrder(history);
    }

    static void CheckTimeOrder(List<string> history)
    {
        long last = 0;
        foreach (var line in history)
        {
            int i = line.IndexOf(" at ", StringComparison.Ordinal);
            if (i < 0) continue;
            long t = long.Parse(line.AsSpan(i + 4), CultureInfo.InvariantCulture);
            if (t < last) throw new InvalidOperationException($"timer fired out of time order: {line}");
            last = t;
        }
    }
}

static class CollectionsMarshalHelper
{
    public static List<int> Get(Dictionary<int, List<int>> d, int key)
    {
        if (!d.TryGetValue(key, out var l)) d[key] = l = new List<int>();
        return l;
    }
}
