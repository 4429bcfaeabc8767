namespace Stakker.Tests.Timers;

/// <summary>Timers in bulk: random fixed/min/max timers against a model, and a million pending timers</summary>
public class TimerOrderTests
{
    static readonly Instant T0 = Instant.Zero + TimeSpan.FromDays(1);

    sealed class Rig(int capacity)
    {
        public readonly List<(int Id, Instant At)> Fired = [];
        public readonly MaxTimerKey[] MaxKeys = new MaxTimerKey[capacity];
        public readonly MinTimerKey[] MinKeys = new MinTimerKey[capacity];
        public void Fire(Cx<Rig> cx, int id) => Fired.Add((id, cx.Now));
    }

    enum Kind { Fixed, CoreFixed, Max, Min }

    sealed class Expect
    {
        public required int Id;
        public required Kind Kind;
        public Instant Expiry;
        /// <summary>When the expiry in force was set: equal expiries fire in this order</summary>
        public long Order;
        public FixedTimerKey Key;
        public bool Deleted;
        public int Fires;
    }

    /// <summary>A delay from 1 tick to about an hour, log-uniform; sometimes snapped to whole seconds to make ties</summary>
    static Instant RandomExpiry(Random rnd, Instant now)
    {
        double scale = Math.Pow(10, rnd.NextDouble() * 10.6);   // 1 .. ~4e10 ticks
        Instant t = now + TimeSpan.FromTicks(1 + (long)scale);
        if (rnd.Next(3) == 0)
        {
            long sec = TimeSpan.TicksPerSecond;
            long snapped = (t.Ticks + sec - 1) / sec * sec;
            if (snapped > now.Ticks) t = new Instant(snapped);
        }
        return t;
    }

    [Theory]
    [InlineData(11)]
    [InlineData(22)]
    [InlineData(33)]
    public void Timers_RandomFixedMinMaxAgainstModel_EachFiresOnceNeverEarlyInExpiryThenSetOrder(int seed)
    {
        const int MaxTimers = 3_000;
        var rnd = new Random(seed);
        var core = new Core(T0);
        using var own = core.Spawn<Rig>(static cx => new Rig(MaxTimers), Ret.Nop<StopCause>());
        core.Run(T0, false);
        Actor<Rig> rig = own.Actor;
        Rig state = rig.Query(static (a, cx) => a);   // the test reads the record directly between runs

        var all = new List<Expect>();
        var pending = new List<Expect>();
        long order = 0;
        Instant now = T0;
        int checkedFires = 0;
        int runs = 0;

        void CheckRun(Instant runNow)
        {
            var due = pending.Where(e => e.Expiry <= runNow).OrderBy(e => e.Expiry).ThenBy(e => e.Order).ToList();
            var got = state.Fired.Skip(checkedFires).ToList();
            Assert.True(got.All(g => g.At == runNow), $"run {runs}: a timer saw a time other than the run's now");
            Assert.True(due.Select(e => e.Id).SequenceEqual(got.Select(g => g.Id)),
                $"run {runs} at {runNow}: expected [{string.Join(",", due.Select(e => e.Kind + ":" + e.Id + "@" + e.Expiry.Ticks + "#" + e.Order))}] got [{string.Join(",", got.Select(g => g.Id))}]");
            foreach (var e in due) { e.Fires++; pending.Remove(e); }
            checkedFires = state.Fired.Count;
        }

        for (int step = 0; step < 25_000; step++)
        {
            int op = rnd.Next(100);
            if (op < 35 && all.Count < MaxTimers)
            {
                var e = new Expect { Id = all.Count, Kind = (Kind)rnd.Next(4), Expiry = RandomExpiry(rnd, now), Order = order++ };
                int id = e.Id;
                Instant t = e.Expiry;
                switch (e.Kind)
                {
                    case Kind.Fixed:
                        e.Key = rig.Query((a, cx) => cx.At(t, static (a, cx, id) => a.Fire(cx, id), id));
                        break;
                    case Kind.CoreFixed:
                        e.Key = core.At(t, () => state.Fired.Add((id, core.Now)));
                        break;
                    case Kind.Max:
                        rig.Query((a, cx) => { cx.TimerMax(ref a.MaxKeys[id], t, (a, cx) => a.Fire(cx, id)); return 0; });
                        break;
                    case Kind.Min:
                        rig.Query((a, cx) => { cx.TimerMin(ref a.MinKeys[id], t, (a, cx) => a.Fire(cx, id)); return 0; });
                        break;
                }
                all.Add(e);
                pending.Add(e);
            }
            else if (op < 60)
            {
                var vars = pending.Where(p => p.Kind is Kind.Max or Kind.Min).ToList();
                if (vars.Count == 0) continue;
                var e = vars[rnd.Next(vars.Count)];
                Instant t = rnd.Next(2) == 0 ? RandomExpiry(rnd, now) : now + (e.Expiry - now) * rnd.NextDouble() + TimeSpan.FromTicks(1);
                int id = e.Id;
                if (e.Kind == Kind.Max)
                {
                    Assert.True(core.TimerMaxActive(state.MaxKeys[id]));
                    rig.Query((a, cx) => { cx.TimerMax(ref a.MaxKeys[id], t, static (a, cx) => a.Fire(cx, -1)); return 0; });
                    if (t > e.Expiry) { e.Expiry = t; e.Order = order; }
                }
                else
                {
                    Assert.True(core.TimerMinActive(state.MinKeys[id]));
                    rig.Query((a, cx) => { cx.TimerMin(ref a.MinKeys[id], t, static (a, cx) => a.Fire(cx, -1)); return 0; });
                    if (t < e.Expiry) { e.Expiry = t; e.Order = order; }
                }
                order++;
            }
            else if (op < 66)
            {
                if (pending.Count == 0) continue;
                // Mostly pending timers; sometimes any timer, which may have fired or been deleted already.
                var e = rnd.Next(3) == 0 ? all[rnd.Next(all.Count)] : pending[rnd.Next(pending.Count)];
                bool wasPending = pending.Contains(e);
                bool deleted = e.Kind switch
                {
                    Kind.Max => core.TimerMaxDel(state.MaxKeys[e.Id]),
                    Kind.Min => core.TimerMinDel(state.MinKeys[e.Id]),
                    _ => core.TimerDel(e.Key),
                };
                Assert.Equal(wasPending, deleted);
                if (wasPending) { e.Deleted = true; pending.Remove(e); }
            }
            else
            {
                double scale = Math.Pow(10, rnd.NextDouble() * 10.3);
                now += TimeSpan.FromTicks((long)scale);
                core.Run(now, false);
                runs++;
                CheckRun(now);
                Assert.Equal(pending.Count, core.TimerCount);
                if (pending.Count == 0) Assert.Null(core.NextExpiry);
                else
                {
                    Instant earliest = pending.Min(p => p.Expiry);
                    Instant reported = core.NextExpiry!.Value;
                    Assert.True(reported > now && reported <= earliest, $"NextExpiry {reported} outside ({now}, {earliest}]");
                    if (!pending.Any(p => p.Kind == Kind.Max)) Assert.Equal(earliest, reported);
                }
            }
        }

        now += TimeSpan.FromDays(10);
        core.Run(now, false);
        CheckRun(now);
        Assert.Empty(pending);
        Assert.Equal(0, core.TimerCount);
        Assert.All(all, e => Assert.Equal(e.Deleted ? 0 : 1, e.Fires));
        Assert.DoesNotContain(state.Fired, f => f.Id == -1);
        Assert.True(all.Count > 2_000 && runs > 1_000 && all.Count(e => e.Deleted) > 100, $"{all.Count} timers, {runs} runs, {all.Count(e => e.Deleted)} deleted");
    }

    sealed class Million(int[] expiry)
    {
        public Instant PreviousRunNow;
        public long LastKey = long.MinValue;
        public int Count;
        public int Errors;

        public void Fire(Cx<Million> cx, int id)
        {
            long e = expiry[id];
            long key = e * 2_000_000 + id;   // (expiry, set order); ids were set in order
            if (key <= LastKey || cx.Now.Ticks < T0.Ticks + e || T0.Ticks + e <= PreviousRunNow.Ticks) Errors++;
            LastKey = key;
            Count++;
        }
    }

    [Fact]
    public void At_MillionPendingTimers_FireOnceInExpiryThenSetOrder()
    {
        const int N = 1_000_000;
        var rnd = new Random(1234);
        var expiry = new int[N];
        for (int i = 0; i < N; i++) expiry[i] = 1 + rnd.Next(100_000) * 1_000;   // ~10 timers per 100 µs step: many ties
        var core = new Core(T0);
        using var own = core.Spawn<Million, int[]>(static (cx, e) => new Million(e), expiry, Ret.Nop<StopCause>());
        core.Run(T0, false);
        own.Actor.Query((a, cx) =>
        {
            for (int i = 0; i < N; i++)
                cx.At(T0 + TimeSpan.FromTicks(expiry[i]), static (a, cx, id) => a.Fire(cx, id), i);
            return 0;
        });
        Assert.Equal(N, core.TimerCount);
        Assert.Equal(T0 + TimeSpan.FromTicks(expiry.Min()), core.NextExpiry);

        Million state = own.Actor.Query(static (a, cx) => a);
        Instant now = T0;
        int runs = 0;
        while (core.TimerCount > 0)
        {
            state.PreviousRunNow = now;
            now += TimeSpan.FromTicks(1 + rnd.Next(2_000_000));   // up to 0.2 s of virtual time per run
            core.Run(now, false);
            runs++;
        }
        Assert.Equal(N, state.Count);
        Assert.Equal(0, state.Errors);
        Assert.True(runs > 50);
        Assert.Null(core.NextExpiry);
    }
}
