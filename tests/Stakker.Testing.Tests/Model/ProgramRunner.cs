using System.Globalization;

namespace Stakker.Testing.Tests.Model;

/// <summary>Runs a random program against the runtime (in a <see cref="Simulation"/>) and against the
/// <see cref="ReferenceModel"/>, comparing the histories after every step and checking the
/// invariants at the end</summary>
sealed class ProgramRunner : IDisposable
{
    readonly Simulation _sim;
    readonly Core _core;
    readonly ReferenceModel _model = new();
    readonly List<string> _history = new();
    readonly ActorOwn<Probe>?[] _owns = new ActorOwn<Probe>?[Op.Slots];
    readonly int[] _actorOf = Enumerable.Repeat(-1, Op.Slots).ToArray();
    readonly List<Probe?> _probes = new();
    readonly List<int> _stops = new();
    readonly List<int> _retAnswers = new();
    readonly List<(int K, ValueTask<int> Task)> _asks = new();
    readonly Dictionary<int, List<int>> _timersOf = new();
    int _nextTimer, _nextCo;

    public long CheckedSteps { get; private set; }

    /// <summary>The runtime's history, for coverage checks</summary>
    public IReadOnlyList<string> History => _history;

    public ProgramRunner(ulong seed)
    {
        _sim = new Simulation(seed);
        _core = _sim.Core;
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

    void Apply(Op op)
    {
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
                int k = NewRet(out var ret);
                Actor(slot).Call(static (a, cx, v, r) => a.Answer(cx, v, r), op.N, ret);
                _model.Post(new(ReferenceModel.K.RetCall, actor, op.N, k));
                break;
            }
            case OpKind.Chain when any && _actorOf[op.B] >= 0:
            {
                int k = NewRet(out var ret);
                Actor(slot).Call(static (a, cx, next, v, r) => a.Pass(cx, next, v, r), Actor(op.B), op.N, ret);
                _model.Post(new(ReferenceModel.K.Pass, actor, op.N, k, _actorOf[op.B]));
                break;
            }
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
        var history = _history;
        var probes = _probes;
        _owns[slot]?.Dispose();
        _owns[slot] = _core.Spawn<Probe, (int, int, List<string>, List<Probe?>)>(
            static (cx, s) => s.Item4[s.Item2] = new Probe(s.Item1, s.Item3), (slot, actor, history, probes),
            Ret.From<StopCause>(_core, a =>
            {
                _stops[actor]++;
                if (_probes[actor] is { } p) p.Ended = true;
                _history.Add($"stop {slot} {(a.TryGetValue(out var c) ? c.Kind.ToString() : "(no value)")}");
            }));
        _handles[slot] = _owns[slot]!.Actor;
    }

    int NewRet(out Ret<int> ret)
    {
        int k = _retAnswers.Count;
        _retAnswers.Add(0);
        ret = Ret.From<int>(_core, a =>
        {
            _retAnswers[k]++;
            _history.Add($"ret {k} {a}");
        });
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
            _history.Add($"ask {k} {r}");
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
        }
        _sim.RunUntil(_sim.Now);
        _model.Drain();
        EndStep();
    }

    void Compare(int step, Op op)
    {
        CheckedSteps++;
        if (_history.SequenceEqual(_model.History)) return;
        int at = 0;
        while (at < _history.Count && at < _model.History.Count && _history[at] == _model.History[at]) at++;
        throw new InvalidOperationException(
            $"step {step} {op}: runtime and model differ at line {at}\n runtime: {string.Join(" | ", _history.Skip(at).Take(8))}\n model:   {string.Join(" | ", _model.History.Skip(at).Take(8))}");
    }

    void CheckInvariants()
    {
        for (int k = 0; k < _retAnswers.Count; k++)
            if (_retAnswers[k] != 1) throw new InvalidOperationException($"ret {k} answered {_retAnswers[k]} times");
        for (int a = 0; a < _stops.Count; a++)
            if (_stops[a] != 1) throw new InvalidOperationException($"actor {a}'s owner heard {_stops[a]} causes");
        if (_asks.Count != 0) throw new InvalidOperationException($"{_asks.Count} asks never completed");
        // Timers in time order: every timer line's time is at least the one before it.
        long last = 0;
        foreach (var line in _history)
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
