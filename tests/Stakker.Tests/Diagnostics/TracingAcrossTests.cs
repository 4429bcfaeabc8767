using System.Collections.Concurrent;
using System.Diagnostics;
using Stakker.Tests.Actors;

namespace Stakker.Tests.Diagnostics;

/// <summary>Traces that cross threads and Cores, and the calls queued by timers and spawns</summary>
[Collection(nameof(TracingTests))]
public class TracingAcrossTests
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    sealed class Adder
    {
        public static void Add(Cx<Adder> cx, int a, int b, Ret<int> r) => r.Answer(a + b);
        public static void Poke(Cx<Adder> cx, TaskCompletionSource poked) => poked.TrySetResult();
    }

    sealed class Front(CrossCoreActor<Adder> adder)
    {
        public void Sum(Cx<Front> cx, int a, int b, Ret<int> done) =>
            adder.Call(static (x, cx, a, b, r) => Adder.Add(cx, a, b, r), a, b,
                cx.RetSome<Ret<int>, int>(done, static (f, cx, done, sum) => done.Answer(sum)));

        /// <summary>One small argument: rides in a slot when nobody traces</summary>
        public void Poke(Cx<Front> cx, TaskCompletionSource poked) => adder.Call(static (x, cx, p) => Adder.Poke(cx, p), poked);
    }

    /// <summary>Every span of the <c>Stakker</c> source and of the tests' own request source, from any thread</summary>
    sealed class Spans : IDisposable
    {
        readonly ActivityListener _listener;
        public readonly ConcurrentQueue<Activity> Stopped = new();
        public readonly ActivitySource Requests = new("Stakker.Tests.Across");

        public Spans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name == StakkerDiagnostics.ActivitySourceName || s == Requests,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a => Stopped.Enqueue(a),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public Activity[] Of(ActivityTraceId trace) => [.. Stopped.Where(a => a.TraceId == trace && a.Source.Name == StakkerDiagnostics.ActivitySourceName)];

        public void Dispose()
        {
            _listener.Dispose();
            Requests.Dispose();
        }
    }

    /// <summary>Two Cores on threads of their own, traced: Front on Core 0, Adder on Core 1</summary>
    static async Task<(CoreSet Set, CrossCoreActor<Front> Front, Actor<Front> FrontLocal)> TwoCores()
    {
        var set = new CoreSet(new CoreSetOptions { Count = 2 });
        var diagnostics = new StakkerDiagnostics(tracing: true);
        for (int i = 0; i < 2; i++)
        {
            string name = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await set.InvokeAsync(i, c => { diagnostics.Attach(c, name); return 0; }).WaitAsync(Timeout);
        }
        CrossCoreActor<Adder> adder = await set.SpawnAsync<Adder>(1, static cx => new Adder()).WaitAsync(Timeout);
        CrossCoreActor<Front> front = await set.SpawnAsync<Front, CrossCoreActor<Adder>>(0, static (cx, a) => new Front(a), adder).WaitAsync(Timeout);
        Actor<Front> local = await set.InvokeAsync(0, _ => front.TryGetLocal(out Actor<Front> a) ? a : default).WaitAsync(Timeout);
        return (set, front, local);
    }

    /// <summary>The spans, each the child of the one before: one path through the trace</summary>
    static void AssertChain(Activity[] spans, ActivitySpanId root, params string[] actors)
    {
        Assert.Equal(actors.Length, spans.Length);
        var byParent = spans.ToDictionary(s => s.ParentSpanId);
        ActivitySpanId parent = root;
        foreach (string actor in actors)
        {
            Assert.True(byParent.TryGetValue(parent, out Activity? span), $"no span of {actor} under {parent}: " +
                string.Join(", ", spans.Select(s => $"{s.DisplayName} {s.SpanId} <- {s.ParentSpanId}")));
            Assert.Equal(actor, span!.DisplayName);
            parent = span.SpanId;
        }
    }

    [Fact]
    public async Task An_Ask_from_another_thread_through_Core_A_to_Core_B_and_the_Ret_back_is_one_trace()
    {
        using var spans = new Spans();
        var (set, _, front) = await TwoCores();
        await using (set)
        {
            int sum;
            ActivityTraceId trace;
            ActivitySpanId root;
            using (Activity request = spans.Requests.StartActivity("request")!)
            {
                trace = request.TraceId;
                root = request.SpanId;
                sum = await front.Ask<(int, int), int>(static (f, cx, x, r) => f.Sum(cx, x.Item1, x.Item2, r), (40, 2)).AsTask().WaitAsync(Timeout);
            }
            Assert.Equal(42, sum);
            await set.InvokeAsync(0, _ => 0).WaitAsync(Timeout);   // the answering span on Core 0 has stopped
            // The request's call on Core 0, the call it made to Core 1, then the answer back on Core 0.
            AssertChain(spans.Of(trace), root, "Front", "Adder", "Front");
        }
    }

    [Fact]
    public async Task A_cross_Core_call_from_a_thread_running_no_Core_and_the_one_small_argument_call_it_makes_carry_the_trace()
    {
        using var spans = new Spans();
        var (set, front, _) = await TwoCores();
        await using (set)
        {
            var poked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ActivityTraceId trace;
            ActivitySpanId root;
            using (Activity request = spans.Requests.StartActivity("request")!)
            {
                trace = request.TraceId;
                root = request.SpanId;
                front.Call(static (f, cx, p) => f.Poke(cx, p), poked);
            }
            await poked.Task.WaitAsync(Timeout);
            await set.InvokeAsync(1, _ => 0).WaitAsync(Timeout);   // Adder's span has stopped
            AssertChain(spans.Of(trace), root, "Front", "Adder");
        }
    }

    sealed class Alarm
    {
        public int Rang;
        public void Set(Cx<Alarm> cx) => cx.After(TimeSpan.FromSeconds(1), static (a, cx) => a.Rang++);
    }

    sealed class Child
    {
        public readonly bool Built = true;
    }

    sealed class Parent
    {
        ActorOwn<Child>? _child;
        ActorOwn<Child>? _other;

        public void Spawn(Cx<Parent> cx)
        {
            _child = cx.Core.Spawn<Child>(static cx => new Child(), Ret.Nop<StopCause>());
            _other = cx.Core.Spawn<Child, int>(static (cx, n) => new Child(), 7, Ret.Nop<StopCause>());
        }

        public bool Built => _child?.Actor.IsZombie == false && _other?.Actor.IsZombie == false;
    }

    static Core TracedCore()
    {
        var core = new Core(Instant.Zero);
        new StakkerDiagnostics(tracing: true).Attach(core);
        core.RunNow();   // looks at the listeners
        return core;
    }

    [Fact]
    public void A_timer_call_is_a_span_whose_parent_is_the_call_that_set_it()
    {
        using var spans = new Spans();
        Core core = TracedCore();
        using var alarm = core.Spawn<Alarm>(static cx => new Alarm(), Ret.Nop<StopCause>());
        core.RunNow();
        ActivityTraceId trace;
        using (Activity request = spans.Requests.StartActivity("request")!)
        {
            trace = request.TraceId;
            alarm.Actor.Call(static (a, cx) => a.Set(cx));
        }
        core.RunNow();
        core.RunUntil(core.Now + TimeSpan.FromSeconds(2));

        Assert.Equal(1, alarm.Actor.Query(static (a, cx) => a.Rang));
        Activity[] traced = spans.Of(trace);
        Assert.Equal(2, traced.Length);
        Activity set = Assert.Single(traced, s => s.StartTimeUtc == traced.Min(t => t.StartTimeUtc));
        Activity fired = Assert.Single(traced, s => s != set);
        Assert.Equal(set.SpanId, fired.ParentSpanId);
        Assert.Equal("Alarm", fired.DisplayName);
    }

    [Fact]
    public void An_actor_spawned_in_a_traced_call_starts_with_a_span_whose_parent_is_that_call()
    {
        using var spans = new Spans();
        Core core = TracedCore();
        using var parent = core.Spawn<Parent>(static cx => new Parent(), Ret.Nop<StopCause>());
        core.RunNow();
        ActivityTraceId trace;
        using (Activity request = spans.Requests.StartActivity("request")!)
        {
            trace = request.TraceId;
            parent.Actor.Call(static (p, cx) => p.Spawn(cx));
        }
        core.RunNow();

        Assert.True(parent.Actor.Query(static (p, cx) => p.Built));
        Activity[] traced = spans.Of(trace);
        Activity spawning = Assert.Single(traced, s => s.DisplayName == "Parent");
        // Both inits (no argument, one argument) are spans under the call that spawned them.
        Assert.Equal(2, traced.Count(s => s.DisplayName == "Child" && s.ParentSpanId == spawning.SpanId));
        Assert.Equal(3, traced.Length);
    }

    sealed class Sink
    {
        public long Total;
        public void Add(Cx<Sink> cx, int n) => Total += n;
    }

    sealed class Source(CrossCoreActor<Sink> sink)
    {
        public void Burst(Cx<Source> cx)
        {
            for (int i = 0; i < 1000; i++) sink.Call(static (s, cx, n) => s.Add(cx, n), 1);
        }
    }

    [Fact]
    public void With_no_listener_cross_Core_calls_take_the_usual_path_and_allocate_nothing()
    {
        // Two Cores driven by this one thread: each Run is the only one on the stack, so calls made
        // in Core A's run go through A's link to B, as they would between two threads.
        Core a = TracedCore(), b = TracedCore();
        Assert.False(a.Diverted);
        using var sinkOwn = b.Spawn<Sink>(static cx => new Sink(), Ret.Nop<StopCause>());
        b.RunNow();
        CrossCoreActor<Sink> sink = sinkOwn.Actor.CrossCore();
        using var source = a.Spawn<Source, CrossCoreActor<Sink>>(static (cx, s) => new Source(s), sink, Ret.Nop<StopCause>());
        a.RunNow();
        void Round()
        {
            source.Actor.Call(static (s, cx) => s.Burst(cx));
            a.RunNow();
            b.RunNow();
        }
        for (int i = 0; i < 3; i++) Round();   // warm up: tiering, spare batches
        long least = long.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Round();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(6000, sinkOwn.Actor.Query(static (s, cx) => s.Total));
        // A parcel per call (at least 56 bytes each) would be 56,000 bytes.
        Assert.True(least < 1000, $"{least} bytes for 1000 cross-Core calls");
    }
}
