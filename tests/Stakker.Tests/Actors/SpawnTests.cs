namespace Stakker.Tests.Actors;

public class SpawnTests
{
    sealed class Light
    {
        public readonly List<string> Log;
        public bool On;
        public int Sum;
        public Light(Cx<Light> cx, List<string> log) { Log = log; Log.Add("init"); }
        public void Set(Cx<Light> cx, bool on) { On = on; Log.Add("set " + on); }
        public void Add3(Cx<Light> cx, int a, int b, int c) => Sum += a * 100 + b * 10 + c;
        public void Add4(Cx<Light> cx, int a, int b, int c, int d) => Sum += a * 1000 + b * 100 + c * 10 + d;
        public void Mark(Cx<Light> cx, string s) => Log.Add(s);
        public void MarkTwice(Cx<Light> cx, string s)
        {
            Log.Add(s + " start");
            cx.This.Call(static (a, cx, x) => a.Mark(cx, x), s + " again");
            Log.Add(s + " end");
        }
    }

    sealed class Pair
    {
        public readonly string Name;
        public readonly int Number;
        public Pair(string name, int number) { Name = name; Number = number; }
    }

    sealed class Parent
    {
        public ActorOwn<Light>? Child;
        public Parent(Cx<Parent> cx) { }
        public void MakeChild(Cx<Parent> cx, List<string> log) =>
            Child = cx.Spawn<Light, List<string>>(static (cx, l) => new Light(cx, l), log, Ret.Nop<StopCause>());
    }

    static ActorOwn<Light> SpawnLight(Core core, List<string> log) =>
        core.Spawn<Light, List<string>>(static (cx, l) => new Light(cx, l), log, Ret.Nop<StopCause>());

    [Fact]
    public void Spawn_BeforeRun_ActorIsPrepAndInitHasNotRun()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var light = SpawnLight(core, log);

        Assert.Equal(ActorState.Prep, light.Actor.State);
        Assert.Empty(log);
    }

    [Fact]
    public void Spawn_AfterRun_ActorIsReadyWithStateBuiltByInit()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var light = SpawnLight(core, log);

        core.RunNow();

        Assert.Equal(ActorState.Ready, light.Actor.State);
        Assert.Equal(["init"], log);
        Assert.Same(log, light.Actor.Query(static (a, cx) => a.Log));
    }

    [Fact]
    public void Spawn_WithTwoInitArguments_InitReceivesBoth()
    {
        var core = new Core(Instant.Zero);
        using var pair = core.Spawn<Pair, string, int>(static (cx, n, i) => new Pair(n, i), "left", 42, Ret.Nop<StopCause>());

        core.RunNow();

        Assert.Equal(("left", 42), pair.Actor.Query(static (a, cx) => (a.Name, a.Number)));
    }

    [Fact]
    public void Call_QueuedAfterSpawn_RunsAfterInitInOrderMade()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var light = SpawnLight(core, log);
        light.Call(static (a, cx, on) => a.Set(cx, on), true);
        light.Call(static (a, cx, on) => a.Set(cx, on), false);
        light.Call(static (a, cx, on) => a.Set(cx, on), true);

        Assert.Empty(log);
        core.RunNow();

        Assert.Equal(["init", "set True", "set False", "set True"], log);
        Assert.True(light.Actor.Query(static (a, cx) => a.On));
    }

    [Fact]
    public void Call_ToSeveralActors_RunsInOneTotalOrderAsMade()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var a = SpawnLight(core, log);
        using var b = SpawnLight(core, log);
        core.RunNow();
        log.Clear();

        a.Call(static (x, cx, s) => x.Mark(cx, s), "a1");
        b.Call(static (x, cx, s) => x.Mark(cx, s), "b1");
        a.Call(static (x, cx, s) => x.Mark(cx, s), "a2");
        b.Call(static (x, cx, s) => x.Mark(cx, s), "b2");
        core.RunNow();

        Assert.Equal(["a1", "b1", "a2", "b2"], log);
    }

    [Fact]
    public void Call_FromHandlerToItself_IsQueuedAndRunsAfterTheHandlerReturns()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var a = SpawnLight(core, log);
        using var b = SpawnLight(core, log);
        core.RunNow();
        log.Clear();

        a.Call(static (x, cx, s) => x.MarkTwice(cx, s), "a");
        b.Call(static (x, cx, s) => x.Mark(cx, s), "b");
        core.RunNow();

        // The self-call did not run inside the handler, and went to the back of the queue.
        Assert.Equal(["a start", "a end", "b", "a again"], log);
    }

    [Fact]
    public void Call_WithThreeAndFourArguments_DeliversEachInPosition()
    {
        var core = new Core(Instant.Zero);
        using var light = SpawnLight(core, []);
        light.Call(static (a, cx, x, y, z) => a.Add3(cx, x, y, z), 1, 2, 3);
        light.Call(static (a, cx, w, x, y, z) => a.Add4(cx, w, x, y, z), 4, 5, 6, 7);

        core.RunNow();

        Assert.Equal(123 + 4567, light.Actor.Query(static (a, cx) => a.Sum));
    }

    [Fact]
    public void Spawn_ManyActors_IdsAreDistinctAndNameShowsTypeIdAndState()
    {
        var core = new Core(Instant.Zero);
        using var a = SpawnLight(core, []);
        using var b = SpawnLight(core, []);

        Assert.NotEqual(a.Actor.Id, b.Actor.Id);
        Assert.Equal("Light#" + a.Actor.Id + " (Prep)", a.Actor.ToString());
        core.RunNow();
        Assert.Equal("Light#" + b.Actor.Id + " (Ready)", b.Actor.ToString());
        Assert.Equal("owner of Light#" + b.Actor.Id + " (Ready)", b.ToString());
    }

    [Fact]
    public void Actor_Copies_AreEqualAndDifferentActorsAreNot()
    {
        var core = new Core(Instant.Zero);
        using var a = SpawnLight(core, []);
        using var b = SpawnLight(core, []);
        Actor<Light> a1 = a;
        Actor<Light> a2 = a.Actor;

        Assert.True(a1 == a2);
        Assert.Equal(a1.GetHashCode(), a2.GetHashCode());
        Assert.True(a1 != b.Actor);
        Assert.False(default(Actor<Light>).IsValid);
        Assert.True(a1.IsValid);
        Assert.Same(core, a1.Core);
    }

    [Fact]
    public void CxThis_InsideHandler_IsTheSameActorAndCoreIsInHandler()
    {
        var core = new Core(Instant.Zero);
        using var a = SpawnLight(core, []);
        core.RunNow();

        Assert.False(core.InHandler);
        var (same, inHandler, now) = a.Actor.Query(static (x, cx) => (cx.This, cx.Core.InHandler, cx.Now));

        Assert.Equal(a.Actor, same);
        Assert.True(inHandler);
        Assert.Equal(core.Now, now);
        Assert.False(core.InHandler);
    }

    [Fact]
    public void CxSpawn_FromHandler_ChildInitRunsInTheSameRun()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var parent = core.Spawn<Parent>(static cx => new Parent(cx), Ret.Nop<StopCause>());
        parent.Call(static (p, cx, l) => p.MakeChild(cx, l), log);

        core.RunNow();

        Actor<Light> child = parent.Actor.Query(static (p, cx) => p.Child!.Actor);
        Assert.Equal(ActorState.Ready, child.State);
        Assert.Equal(["init"], log);
    }
}
