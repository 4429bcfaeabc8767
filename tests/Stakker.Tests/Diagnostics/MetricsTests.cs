using System.Diagnostics.Metrics;
using Stakker.Tests.Actors;

namespace Stakker.Tests.Diagnostics;

public class MetricsTests
{
    sealed class Echo
    {
        public void Ping(Cx<Echo> cx, int n) { }
        public void Hold(Cx<Echo> cx, Ret<int> r) => Held = r;
        public void Arm(Cx<Echo> cx) => cx.After(TimeSpan.FromSeconds(10), static (a, cx) => { });
        public void Break(Cx<Echo> cx) => throw new TimeoutException("slow disk");
        public Ret<int> Held;
    }

    /// <summary>Every measurement of the diagnostics' meter, as (instrument, value, tags)</summary>
    sealed class Collected : IDisposable
    {
        readonly MeterListener _listener = new();
        public readonly List<(string Name, long Value, Dictionary<string, object?> Tags)> Seen = [];

        public Collected(Meter meter)
        {
            _listener.InstrumentPublished = (i, l) => { if (i.Meter == meter) l.EnableMeasurementEvents(i); };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
                Seen.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
            _listener.Start();
        }

        /// <summary>Reads the observable instruments now and returns the sum of <paramref name="name"/>'s values
        /// matching <paramref name="where"/></summary>
        public long Read(string name, Func<Dictionary<string, object?>, bool>? where = null)
        {
            Seen.Clear();
            _listener.RecordObservableInstruments();
            return Seen.Where(s => s.Name == name && (where is null || where(s.Tags))).Sum(s => s.Value);
        }

        public void Dispose() => _listener.Dispose();
    }

    static (Core, StakkerDiagnostics, Collected) Observed()
    {
        var core = new Core(Instant.Zero);
        var d = new StakkerDiagnostics();
        d.Attach(core, "c0");
        return (core, d, new Collected(d.Meter));
    }

    [Fact]
    public void Calls_run_count_every_call_taken_off_the_queue()
    {
        var (core, d, m) = Observed();
        using var _ = d; using var __ = m;
        using var own = core.Spawn<Echo>(static cx => new Echo(), Ret.Nop<StopCause>());
        core.RunNow();
        long before = m.Read("stakker.calls");
        for (int i = 0; i < 25; i++) own.Actor.Call(static (a, cx, n) => a.Ping(cx, n), i);
        Assert.Equal(25, m.Read("stakker.queue.length"));
        core.RunNow();
        Assert.Equal(before + 25, m.Read("stakker.calls"));
        Assert.Equal(0, m.Read("stakker.queue.length"));
        Assert.All(m.Seen, s => Assert.Equal("c0", s.Tags["stakker.core"]));
    }

    [Fact]
    public void Actors_alive_are_counted_by_type_until_they_end()
    {
        var (core, d, m) = Observed();
        using var _ = d; using var __ = m;
        var owners = Enumerable.Range(0, 3).Select(_ => core.Spawn<Echo>(static cx => new Echo(), Ret.Nop<StopCause>())).ToList();
        using var bystander = Bystander.Spawn(core);
        core.RunNow();
        Assert.Equal(3, m.Read("stakker.actors.alive", t => (string?)t["stakker.actor.type"] == "Echo"));
        Assert.Equal(1, m.Read("stakker.actors.alive", t => (string?)t["stakker.actor.type"] == "Bystander"));
        owners[0].Dispose();
        owners[1].Actor.Call(static (a, cx) => a.Break(cx));
        core.RunNow();
        Assert.Equal(1, m.Read("stakker.actors.alive", t => (string?)t["stakker.actor.type"] == "Echo"));
        owners[2].Dispose();
    }

    [Fact]
    public void Failures_are_counted_by_kind_and_exception_type()
    {
        var (core, d, m) = Observed();
        using var _ = d; using var __ = m;
        var a = core.Spawn<Echo>(static cx => new Echo(), Ret.Nop<StopCause>());
        var b = core.Spawn<Echo>(static cx => new Echo(), Ret.Nop<StopCause>());
        var c = core.Spawn<Echo>(static cx => new Echo(), Ret.Nop<StopCause>());
        core.RunNow();
        a.Actor.Call(static (e, cx) => e.Break(cx));
        b.Kill("enough");
        c.Dispose();   // a drop is not a failure
        core.RunNow();

        var failures = m.Seen.Where(s => s.Name == "stakker.actor.failures").ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => (string?)f.Tags["stakker.stop.kind"] == "failed" && (string?)f.Tags["error.type"] == typeof(TimeoutException).FullName);
        Assert.Contains(failures, f => (string?)f.Tags["stakker.stop.kind"] == "killed" && (string?)f.Tags["error.type"] == typeof(ActorException).FullName);
        Assert.All(failures, f => Assert.Equal("Echo", f.Tags["stakker.actor.type"]));
    }

    [Fact]
    public void Timers_pending_and_Rets_answered_no_value_are_read_from_the_Core()
    {
        var (core, d, m) = Observed();
        using var _ = d; using var __ = m;
        var own = core.Spawn<Echo>(static cx => new Echo(), Ret.Nop<StopCause>());
        own.Actor.Call(static (a, cx) => a.Arm(cx));
        own.Actor.Call(static (a, cx) => a.Arm(cx));
        var answers = new List<Answer<int>>();
        own.Actor.Call(static (a, cx, r) => a.Hold(cx, r), ActorTestKit.Recorder(core, answers));
        core.RunNow();
        Assert.Equal(2, m.Read("stakker.timers.pending"));
        Assert.Equal(0, m.Read("stakker.ret.no_value"));

        own.Dispose();   // the held Ret answers "no value"; the timers' calls are dropped when they expire
        core.RunNow();
        Assert.False(Assert.Single(answers).HasValue);
        Assert.Equal(1, m.Read("stakker.ret.no_value"));
        core.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(0, m.Read("stakker.timers.pending"));
    }

    [Fact]
    public void Wakes_from_other_threads_are_counted()
    {
        var (core, d, m) = Observed();
        using var _ = d; using var __ = m;
        var done = new ManualResetEventSlim();
        var t = new Thread(() =>
        {
            for (int i = 0; i < 3; i++) core.PostFromAnyThread(() => { });
            done.Set();
        });
        t.Start();
        done.Wait();
        t.Join();
        core.RunNow();
        Assert.Equal(3, m.Read("stakker.wakes"));
    }

    [Fact]
    public void A_disposed_Core_leaves_the_instruments()
    {
        var (core, d, m) = Observed();
        using var _ = d; using var __ = m;
        core.RunNow();
        m.Read("stakker.calls");
        Assert.Contains(m.Seen, s => s.Name == "stakker.calls");
        core.Dispose();
        m.Read("stakker.calls");
        Assert.DoesNotContain(m.Seen, s => s.Name == "stakker.calls");
    }
}
