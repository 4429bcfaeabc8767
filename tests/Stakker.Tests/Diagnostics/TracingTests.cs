using System.Diagnostics;
using Stakker.Tests.Actors;

namespace Stakker.Tests.Diagnostics;

/// <summary>Activity listeners are process-wide: these tests run alone</summary>
[CollectionDefinition(nameof(TracingTests), DisableParallelization = true)]
public class TracingCollection;

[Collection(nameof(TracingTests))]
public class TracingTests
{
    /// <summary>One link of a chain: passes the request on, and answers its caller with the next link's answer + 1</summary>
    sealed class Link(Actor<Link>? next)
    {
        public void Ask(Cx<Link> cx, Ret<int> reply)
        {
            if (next is not { } n) { reply.Answer(0); return; }
            n.Call(static (a, cx, r) => a.Ask(cx, r), cx.Ret<Ret<int>, int>(reply, static (a, cx, r, v) => r.Answer(v.Value + 1)));
        }

        public void Ping(Cx<Link> cx, int n) { }
    }

    static ActivityListener Listen(List<Activity> into) => Listen(into, ActivitySamplingResult.AllDataAndRecorded);

    static ActivityListener Listen(List<Activity> into, ActivitySamplingResult sampling)
    {
        var l = new ActivityListener
        {
            ShouldListenTo = s => s.Name == StakkerDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => sampling,
            ActivityStopped = a => into.Add(a),
        };
        ActivitySource.AddActivityListener(l);
        return l;
    }

    static (Core, List<ActorOwn<Link>>) Chain(int length, bool tracing)
    {
        var core = new Core(Instant.Zero);
        new StakkerDiagnostics(tracing: tracing).Attach(core);
        var owners = new List<ActorOwn<Link>>();
        Actor<Link>? next = null;
        for (int i = 0; i < length; i++)
        {
            var own = core.Spawn<Link, Actor<Link>?>(static (cx, n) => new Link(n), next, Ret.Nop<StopCause>());
            owners.Add(own);
            next = own.Actor;
        }
        core.RunNow();
        return (core, owners);
    }

    [Fact]
    public void A_request_crossing_ten_actors_and_its_answers_are_one_trace()
    {
        var spans = new List<Activity>();
        using var listener = Listen(spans);
        var (core, owners) = Chain(10, tracing: true);
        var answers = new List<Answer<int>>();
        using var source = new ActivitySource("Stakker.Tests.Request");
        using var sourceListener = new ActivityListener { ShouldListenTo = s => s == source, Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(sourceListener);

        ActivityTraceId traceId;
        using (Activity request = source.StartActivity("request")!)
        {
            traceId = request.TraceId;
            owners[^1].Actor.Call(static (a, cx, r) => a.Ask(cx, r), ActorTestKit.Recorder(core, answers));
        }
        core.RunNow();

        Assert.Equal(9, Assert.Single(answers).Value);
        // Ten calls down the chain, nine answers back up.
        Assert.Equal(19, spans.Count);
        Assert.All(spans, s => Assert.Equal(traceId, s.TraceId));
        Assert.All(spans, s => Assert.Equal("Link", s.DisplayName));
        // Each span's parent is the one before it: a single path, no span started a trace of its own.
        var byId = spans.ToDictionary(s => s.SpanId);
        Assert.Single(spans, s => !byId.ContainsKey(s.ParentSpanId));
        Assert.Null(Activity.Current);
        foreach (var o in owners) o.Dispose();
    }

    [Fact]
    public void A_failing_handler_marks_its_span_as_an_error()
    {
        var spans = new List<Activity>();
        using var listener = Listen(spans);
        var (core, owners) = Chain(1, tracing: true);
        owners[0].Actor.Call(static (a, cx) => throw new InvalidOperationException("boom"));
        core.RunNow();
        Activity span = Assert.Single(spans, s => s.Status == ActivityStatusCode.Error);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.True(owners[0].Actor.IsZombie);
    }

    [Fact]
    public void Without_opting_in_no_span_is_made()
    {
        var spans = new List<Activity>();
        using var listener = Listen(spans);
        var (core, owners) = Chain(3, tracing: false);
        owners[^1].Actor.Call(static (a, cx, r) => a.Ask(cx, r), Ret.Nop<int>());
        core.RunNow();
        Assert.Empty(spans);
        Assert.False(core.Diverted);
    }

    [Fact]
    public void With_no_listener_calls_take_the_usual_path_and_allocate_nothing()
    {
        var (core, owners) = Chain(2, tracing: true);
        Assert.False(core.Diverted);
        Actor<Link> a = owners[0].Actor;
        for (int round = 0; round < 3; round++)   // warm the path (tiering) and grow the ring
        {
            for (int i = 0; i < 1000; i++) a.Call(static (l, cx, n) => l.Ping(cx, n), i);
            core.RunNow();
        }
        // The least of three: the runtime can charge a few bytes of its own to this thread now and
        // then; a node or activity per call (at least 24 bytes each) would show in every measurement.
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) a.Call(static (l, cx, n) => l.Ping(cx, n), i);
            core.RunNow();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(least < 1000, $"{least} bytes for 1000 calls");

        // A listener attached later is seen at the next Run, and one removed is let go.
        var spans = new List<Activity>();
        using (Listen(spans))
        {
            core.RunNow();
            Assert.True(core.Diverted);
            a.Call(static (l, cx, n) => l.Ping(cx, n), 1);
            core.RunNow();
            Assert.Single(spans);
        }
        core.RunNow();
        Assert.False(core.Diverted);
    }
}
