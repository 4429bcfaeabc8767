using System.Runtime.CompilerServices;
using Stakker.Tests.Actors;

namespace Stakker.Tests.CoreLoop;

/// <summary>Calls with no argument or one small argument travel inline in the main queue's slots
/// (decision 007); everything else travels in pooled nodes. Both kinds share one queue and one order.</summary>
public class InlineCallTests
{
    readonly record struct Wide(long A, long B);   // 16 bytes: too big to go inline

    sealed class Recorder(List<string> log)
    {
        public readonly List<string> Log = log;
        public void None(Cx<Recorder> cx) => Log.Add("none");
        public void Int(Cx<Recorder> cx, int x) => Log.Add("int " + x);
        public void Long(Cx<Recorder> cx, long x) => Log.Add("long " + x);
        public void Double(Cx<Recorder> cx, double x) => Log.Add("double " + x.ToString(System.Globalization.CultureInfo.InvariantCulture));
        public void Byte(Cx<Recorder> cx, byte x) => Log.Add("byte " + x);
        public void Pair(Cx<Recorder> cx, (int, int) p) => Log.Add("pair " + p.Item1 + "," + p.Item2);
        public void Text(Cx<Recorder> cx, string? s) => Log.Add("text " + (s ?? "null"));
        public void Obj(Cx<Recorder> cx, object o) => Log.Add("obj " + o.GetType().Name);
        public void Big(Cx<Recorder> cx, Wide w) => Log.Add("wide " + w.A + "," + w.B);
        public void Two(Cx<Recorder> cx, int a, string b) => Log.Add("two " + a + "," + b);
        public void Get(Cx<Recorder> cx, Ret<int> r) { Log.Add("ret"); r.Answer(42); }
    }

    /// <summary>Queues one call of every shape, tagged with <paramref name="i"/></summary>
    static void QueueAllShapes(Actor<Recorder> a, int i, List<Answer<int>> answers, Core core)
    {
        a.Call(static (r, cx) => r.None(cx));
        a.Call(static (r, cx, x) => r.Int(cx, x), i);
        a.Call(static (r, cx, x) => r.Long(cx, x), long.MaxValue - i);
        a.Call(static (r, cx, x) => r.Double(cx, x), i + 0.5);
        a.Call(static (r, cx, x) => r.Byte(cx, x), (byte)(i & 0xFF));
        a.Call(static (r, cx, x) => r.Pair(cx, x), (i, -i));
        a.Call(static (r, cx, x) => r.Text(cx, x), "s" + i);
        a.Call(static (r, cx, x) => r.Text(cx, x), (string?)null);
        a.Call(static (r, cx, x) => r.Big(cx, x), new Wide(i, -i));
        a.Call(static (r, cx, x, y) => r.Two(cx, x, y), i, "t");
        a.Call(static (r, cx, x) => r.Get(cx, x), ActorTestKit.Recorder(core, answers));
    }

    static IEnumerable<string> ExpectedShapes(int i) =>
    [
        "none", "int " + i, "long " + (long.MaxValue - i), "double " + (i + 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "byte " + (i & 0xFF), "pair " + i + "," + (-i), "text s" + i, "text null", "wide " + i + "," + (-i), "two " + i + ",t", "ret",
    ];

    [Fact]
    public void EveryArgumentShape_ArrivesIntactInTheOrderMade()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var answers = new List<Answer<int>>();
        using var a = core.Spawn<Recorder, List<string>>(static (cx, l) => new Recorder(l), log, Ret.Nop<StopCause>());
        core.RunNow();

        QueueAllShapes(a.Actor, 3, answers, core);
        core.RunNow();

        Assert.Equal(ExpectedShapes(3), log);
        Assert.Equal(42, Assert.Single(answers).Value);
    }

    [Fact]
    public void QueueGrowsPastManyLaps_InlineAndNodeCallsKeepTheirOrderAndValues()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var answers = new List<Answer<int>>();
        using var a = core.Spawn<Recorder, List<string>>(static (cx, l) => new Recorder(l), log, Ret.Nop<StopCause>());
        core.RunNow();

        // 300 × 11 calls queued before any runs: the ring doubles several times with mixed slots.
        for (int i = 0; i < 300; i++) QueueAllShapes(a.Actor, i, answers, core);
        core.RunNow();

        Assert.Equal(Enumerable.Range(0, 300).SelectMany(ExpectedShapes), log);
        Assert.Equal(300, answers.Count);
    }

    [Fact]
    public void PrepActor_InlineCallsWaitAndRunInOrderAfterInit()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var answers = new List<Answer<int>>();
        using var a = core.Create<Recorder>(Ret.Nop<StopCause>());
        QueueAllShapes(a.Actor, 1, answers, core);
        core.RunNow();
        Assert.Empty(log);

        QueueAllShapes(a.Actor, 2, answers, core);
        a.Actor.Init(static (cx, l) => new Recorder(l), log);
        core.RunNow();

        Assert.Equal([.. ExpectedShapes(1), .. ExpectedShapes(2)], log);
        Assert.Equal(2, answers.Count);
    }

    [Fact]
    public void ZombieActor_InlineCallsAreDroppedAndTheirArgumentsReleased()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var a = core.Spawn<Recorder, List<string>>(static (cx, l) => new Recorder(l), log, Ret.Nop<StopCause>());
        core.RunNow();
        a.Dispose();

        WeakReference arg = QueueObject(a.Actor);
        a.Actor.Call(static (r, cx, x) => r.Int(cx, x), 5);
        core.RunNow();

        Assert.Empty(log);
        AssertCollected(arg);
    }

    [Fact]
    public void RanInlineCall_TheQueueKeepsNoReferenceToItsArgument()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var a = core.Spawn<Recorder, List<string>>(static (cx, l) => new Recorder(l), log, Ret.Nop<StopCause>());
        core.RunNow();

        WeakReference arg = QueueObject(a.Actor);
        core.RunNow();

        Assert.Equal(["obj Payload"], log);
        AssertCollected(arg);
    }

    [Fact]
    public void CoreDispose_DropsQueuedInlineCallsAndReleasesTheirArguments()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var answers = new List<Answer<int>>();
        using var a = core.Spawn<Recorder, List<string>>(static (cx, l) => new Recorder(l), log, Ret.Nop<StopCause>());
        core.RunNow();

        WeakReference arg = QueueObject(a.Actor);
        QueueAllShapes(a.Actor, 0, answers, core);
        core.Dispose();

        Assert.Empty(log);
        Assert.False(Assert.Single(answers).HasValue);   // the Ret travelled in a node: answered "no value"
        AssertCollected(arg);
    }

    [Fact]
    public void InlineCall_HandlerThrows_FailsTheActorAndTheNextCallsRun()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        using var bad = core.Spawn<Recorder, List<string>>(static (cx, l) => new Recorder(l), log, ActorTestKit.Notify(core, stops));
        using var good = core.Spawn<Recorder, List<string>>(static (cx, l) => new Recorder(l), log, Ret.Nop<StopCause>());
        core.RunNow();

        bad.Call(static (r, cx, x) => throw new FormatException("bad " + x), 7);
        bad.Call(static (r, cx, x) => r.Int(cx, x), 8);     // to a failed actor: dropped
        good.Call(static (r, cx, x) => r.Int(cx, x), 9);
        core.RunNow();

        Assert.Equal(["int 9"], log);
        Assert.Equal("bad 7", Assert.IsType<FormatException>(Assert.Single(stops).Value.Error).Message);
    }

    sealed class Payload;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference QueueObject(Actor<Recorder> a)
    {
        var payload = new Payload();
        a.Call(static (r, cx, o) => r.Obj(cx, o), (object)payload);
        return new WeakReference(payload);
    }

    static void AssertCollected(WeakReference wr)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(wr.IsAlive, "the queue still holds the call's argument");
    }
}
