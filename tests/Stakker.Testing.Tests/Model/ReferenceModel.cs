namespace Stakker.Testing.Tests.Model;

/// <summary>What the runtime should do, written as plainly as possible: one FIFO of pending work, a
/// list of timers, and the set of live actors. It produces the history the runtime must produce.</summary>
/// <remarks>Each Core has a history of its own (and the driver one more, for Asks): at one instant the
/// Cores run in an order the seed chooses, so only each Core's own order is fixed. One FIFO serves all
/// Cores because every step starts one chain of calls (a call across waits for the one before it),
/// and a call across Cores goes to the end of its receiver's queue as a local call does.</remarks>
sealed class ReferenceModel
{
    /// <summary>One history per Core, then the driver's (Ask outcomes)</summary>
    public readonly List<string>[] Histories = Enumerable.Range(0, Op.Cores + 1).Select(_ => new List<string>()).ToArray();
    public const int Driver = Op.Cores;
    public long Now;

    readonly Queue<Item> _queue = new();
    readonly List<Timer> _timers = new();
    readonly List<bool> _alive = new();
    readonly List<int> _slotOf = new();
    readonly List<int> _coreOf = new();
    readonly Dictionary<int, int> _retCore = new();
    readonly HashSet<int> _pendingTimers = new();
    readonly SortedDictionary<int, string?> _asks = new();
    long _timerSeq;

    public enum K { Init, Run, RetCall, Pass, Stop, Fail, End, SetTimer, CancelTimer, Coroutine, Ask, MaxTimer, XAsk, XAnswer, XBack, Burst, XStop, XFwd, Feed, FwdGot }

    public readonly record struct Item(K Kind, int Actor, int V = 0, int Ret = 0, int Next = 0, int Id = 0, int Ms = 0);

    readonly record struct Timer(long Expiry, long Seq, int Actor, int Id, bool Coroutine, bool Max = false);

    public int NewActor(int slot)
    {
        _alive.Add(true);
        _slotOf.Add(slot);
        _coreOf.Add(Op.CoreOf(slot));
        _queue.Enqueue(new Item(K.Init, _alive.Count - 1));
        return _alive.Count - 1;
    }

    public bool Alive(int actor) => _alive[actor];

    public void Post(Item item) => _queue.Enqueue(item);

    public void Ask(int k) => _asks[k] = null;

    /// <summary>Ret <paramref name="k"/> was made on <paramref name="core"/>: its answer is written there</summary>
    public void NewRet(int k, int core) => _retCore[k] = core;

    void Line(int actor, string line) => Histories[_coreOf[actor]].Add(line);

    void RetLine(int k, string answer) => Histories[_retCore[k]].Add($"ret {k} {answer}");

    /// <summary>Runs the first queued item only (the rest stays queued)</summary>
    public void RunOne()
    {
        if (_queue.TryDequeue(out var it)) Execute(it);
    }

    void Ended(int actor, string kind)
    {
        if (!_alive[actor]) return;
        _alive[actor] = false;
        Line(actor, $"stop {_slotOf[actor]} {kind}");
        // A coroutine's pending delay is cancelled with its actor; a fixed timer stays and is dropped when it fires.
        _timers.RemoveAll(t => t.Actor == actor && t.Coroutine);
    }

    public void Kill(int actor) => Ended(actor, "Killed");

    /// <summary>Drains the queue at the current time, as <c>Run</c> does with time unmoved</summary>
    public void Drain()
    {
        while (_queue.TryDequeue(out var it)) Execute(it);
    }

    /// <summary>Asks are looked at by the driver once a step has run: their outcomes, in ask order</summary>
    public void EndStep()
    {
        foreach (var k in _asks.Keys.ToList())
            if (_asks[k] is { } r) { Histories[Driver].Add($"ask {k} {r}"); _asks.Remove(k); }
    }

    void Execute(Item it)
    {
        bool alive = _alive[it.Actor];
        int slot = _slotOf[it.Actor];
        switch (it.Kind)
        {
            case K.Init: break;
            case K.Run:
                if (alive) Line(it.Actor, $"run {slot} {it.V}");
                break;
            case K.RetCall:
                if (alive) { Line(it.Actor, $"run {slot} {it.V}"); RetLine(it.Ret, it.V.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
                else RetLine(it.Ret, "(no value)");
                break;
            case K.XAsk:
                if (alive) { Line(it.Actor, $"xask {slot} {it.V}"); _queue.Enqueue(new Item(K.XAnswer, it.Next, it.V, Next: it.Actor)); }
                break;
            case K.XAnswer:
                // The asker's end-point answers as a call queued to the asker: a value, or "no value" if dropped.
                if (alive) Line(it.Actor, $"run {slot} {it.V}");
                _queue.Enqueue(new Item(K.XBack, it.Next, it.V, Ret: alive ? 1 : 0));
                break;
            case K.XBack:
                if (alive) Line(it.Actor, $"xret {slot} {(it.Ret == 1 ? it.V.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(no value)")}");
                break;
            case K.Burst:
                if (alive)
                {
                    // Every step starts with nothing on the way, so a burst across fills the capacity exactly.
                    bool across = _coreOf[it.Actor] != _coreOf[it.Next];
                    int sent = across ? Math.Min(it.V, Op.CrossCapacity) : it.V;
                    for (int i = 0; i < sent; i++) _queue.Enqueue(new Item(K.Run, it.Next, 1000 + i));
                    Line(it.Actor, $"burst {slot} {sent} {(sent < it.V ? "True" : "False")}");
                }
                break;
            case K.XFwd:
                if (alive) { Line(it.Actor, $"xfwd {slot} {it.V}"); _queue.Enqueue(new Item(K.Feed, it.Next, it.V, Next: it.Actor)); }
                break;
            case K.Feed:
                // Dropped with its actor: the Fwd is dropped too, and nothing comes back.
                if (alive)
                {
                    Line(it.Actor, $"feed {slot}");
                    _queue.Enqueue(new Item(K.FwdGot, it.Next, it.V));
                    _queue.Enqueue(new Item(K.FwdGot, it.Next, it.V + 1));
                }
                break;
            case K.FwdGot:
                if (alive) Line(it.Actor, $"fwdgot {slot} {it.V}");
                break;
            case K.XStop:
                if (alive)
                {
                    Line(it.Actor, $"xstop {slot}");
                    _queue.Enqueue(new Item(K.Stop, it.Next));
                    _queue.Enqueue(new Item(K.Run, it.Next, it.V));
                }
                break;
            case K.Ask:
                if (alive) { Line(it.Actor, $"run {slot} {it.V}"); _asks[it.Ret] = it.V.ToString(System.Globalization.CultureInfo.InvariantCulture); }
                else _asks[it.Ret] = "fail";
                break;
            case K.Pass:
                if (alive) { Line(it.Actor, $"pass {slot}"); _queue.Enqueue(new Item(K.RetCall, it.Next, it.V, it.Ret)); }
                else RetLine(it.Ret, "(no value)");
                break;
            case K.Stop:
                if (alive) { Line(it.Actor, $"stopping {slot}"); Ended(it.Actor, "Stopped"); }
                break;
            case K.Fail:
                if (alive) { Line(it.Actor, $"throwing {slot}"); Ended(it.Actor, "Failed"); }
                break;
            case K.End:
                Ended(it.Actor, "Dropped");
                break;
            case K.SetTimer:
                if (alive)
                {
                    Line(it.Actor, $"set {slot} t{it.Id}");
                    _timers.Add(new Timer(Now + it.Ms * TimeSpan.TicksPerMillisecond, _timerSeq++, it.Actor, it.Id, false));
                    _pendingTimers.Add(it.Id);
                }
                break;
            case K.CancelTimer:
                if (alive)
                {
                    bool was = _pendingTimers.Remove(it.Id);
                    if (was) _timers.RemoveAll(t => t.Id == it.Id && !t.Coroutine);
                    Line(it.Actor, $"cancel {slot} t{it.Id} {was}");
                }
                break;
            case K.MaxTimer:
                if (alive)
                {
                    Line(it.Actor, $"max {slot}");
                    long expiry = Now + it.Ms * TimeSpan.TicksPerMillisecond;
                    int i = _timers.FindIndex(t => t.Max && t.Actor == it.Actor);
                    if (i < 0) _timers.Add(new Timer(expiry, _timerSeq++, it.Actor, -1, false, true));
                    // Moved later: ranks among equal expiries by when it was moved; an earlier time is ignored.
                    else if (expiry > _timers[i].Expiry) _timers[i] = _timers[i] with { Expiry = expiry, Seq = _timerSeq++ };
                }
                break;
            case K.Coroutine:
                if (alive)
                {
                    Line(it.Actor, $"co-start {slot} c{it.Id}");
                    _timers.Add(new Timer(Now + it.Ms * TimeSpan.TicksPerMillisecond, _timerSeq++, it.Actor, it.Id, true));
                }
                break;
        }
    }

    /// <summary>Moves time to <paramref name="until"/>, firing timers in (expiry, order set); at one
    /// instant fixed timers' calls run first and the coroutines they woke after them</summary>
    public void Advance(long until)
    {
        while (true)
        {
            var due = _timers.Where(t => t.Expiry <= until).OrderBy(t => t.Expiry).ThenBy(t => t.Seq).ToList();
            if (due.Count == 0) break;
            long at = due[0].Expiry;
            Now = at;
            var batch = due.Where(t => t.Expiry == at).ToList();
            foreach (var t in batch) _timers.Remove(t);
            var woken = new List<Timer>();
            foreach (var t in batch)
            {
                if (t.Coroutine) { woken.Add(t); continue; }
                if (t.Max)
                {
                    if (_alive[t.Actor]) Line(t.Actor, $"maxfire {_slotOf[t.Actor]} at {at}");
                    continue;
                }
                _pendingTimers.Remove(t.Id);
                if (_alive[t.Actor]) Line(t.Actor, $"timer t{t.Id} at {at}");
            }
            foreach (var t in woken)
                if (_alive[t.Actor]) Line(t.Actor, $"co c{t.Id} at {at}");
            Drain();
        }
        Now = Math.Max(Now, until);
    }
}
