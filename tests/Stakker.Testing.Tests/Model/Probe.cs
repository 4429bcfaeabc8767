namespace Stakker.Testing.Tests.Model;

/// <summary>The actor the random programs drive: every handler writes what it did to the shared history</summary>
sealed class Probe
{
    public readonly int Slot;
    readonly List<string> _history;
    readonly Dictionary<int, FixedTimerKey> _timers = new();
    public bool Ended;

    public Probe(int slot, List<string> history) { Slot = slot; _history = history; }

    void Log(string s)
    {
        // Invariant checked at the source as well as by the model: no call runs on an ended actor.
        if (Ended) throw new InvalidOperationException($"call ran on ended actor {Slot}: {s}");
        _history.Add(s);
    }

    public void Run(Cx<Probe> cx, int v) => Log($"run {Slot} {v}");

    public void Answer(Cx<Probe> cx, int v, Ret<int> r) { Log($"run {Slot} {v}"); r.Answer(v); }

    public void Pass(Cx<Probe> cx, CrossCoreActor<Probe> next, int v, Ret<int> r)
    {
        Log($"pass {Slot}");
        next.Call(static (a, cx, v, r) => a.Answer(cx, v, r), v, r);
    }

    /// <summary>Asks another actor (on this Core or another) with this actor's own Ret end-point</summary>
    public void Ask(Cx<Probe> cx, CrossCoreActor<Probe> to, int v)
    {
        Log($"xask {Slot} {v}");
        to.Call(static (a, cx, v, r) => a.Answer(cx, v, r), v,
            cx.Ret<int>(static (a, cx, ans) => a.Log($"xret {a.Slot} {ans}")));
    }

    /// <summary>Sends up to <paramref name="n"/> calls while the receiver has room; a call past that is refused</summary>
    public void Burst(Cx<Probe> cx, CrossCoreActor<Probe> to, int n)
    {
        int sent = 0;
        while (sent < n && to.HasRoom) to.Call(static (a, cx, v) => a.Run(cx, v), 1000 + sent++);
        bool refused = false;
        if (sent < n)
        {
            try { to.Call(static (a, cx, v) => a.Run(cx, v), -1); }
            catch (CrossCoreFullException) { refused = true; }
        }
        Log($"burst {Slot} {sent} {refused}");
    }

    /// <summary>Gives another actor a Fwd into this one; it sends two values through it</summary>
    public void FwdTo(Cx<Probe> cx, CrossCoreActor<Probe> to, int v)
    {
        Log($"xfwd {Slot} {v}");
        to.Call(static (a, cx, f, v) => a.Feed(cx, f, v), cx.Fwd<int>(static (a, cx, x) => a.Log($"fwdgot {a.Slot} {x}")), v);
    }

    public void Feed(Cx<Probe> cx, Fwd<int> fwd, int v)
    {
        Log($"feed {Slot}");
        fwd.Send(v);
        fwd.Send(v + 1);
    }

    /// <summary>A stop and then a call, in one batch: the call finds its actor ended</summary>
    public void StopThenCall(Cx<Probe> cx, CrossCoreActor<Probe> to, int v)
    {
        Log($"xstop {Slot}");
        to.Call(static (a, cx) => a.Stop(cx));
        to.Call(static (a, cx, v) => a.Run(cx, v), v);
    }

    public void Stop(Cx<Probe> cx) { Log($"stopping {Slot}"); cx.Stop(); }

    public void Throw(Cx<Probe> cx) { Log($"throwing {Slot}"); throw new InvalidOperationException("boom " + Slot); }

    public void SetTimer(Cx<Probe> cx, int id, int ms)
    {
        Log($"set {Slot} t{id}");
        _timers[id] = cx.After(TimeSpan.FromMilliseconds(ms), static (a, cx, id) => a.Log($"timer t{id} at {cx.Now.Ticks}"), id);
    }

    public void CancelTimer(Cx<Probe> cx, int id)
    {
        bool was = _timers.Remove(id, out var key) && cx.TimerDel(key);
        Log($"cancel {Slot} t{id} {was}");
    }

    MaxTimerKey _max;

    /// <summary>An inactivity timer: moved later while pending, made anew once it has fired</summary>
    public void PushMax(Cx<Probe> cx, int ms)
    {
        Log($"max {Slot}");
        cx.TimerMax(ref _max, cx.Now + TimeSpan.FromMilliseconds(ms), static (a, cx) => a.Log($"maxfire {a.Slot} at {cx.Now.Ticks}"));
    }

    public void StartCoroutine(Cx<Probe> cx, int id, int ms)
    {
        Log($"co-start {Slot} c{id}");
        _ = cx.StartAsync(async co =>
        {
            await co.Delay(TimeSpan.FromMilliseconds(ms));
            co.State.Log($"co c{id} at {co.Core.Now.Ticks}");
        });
    }
}
