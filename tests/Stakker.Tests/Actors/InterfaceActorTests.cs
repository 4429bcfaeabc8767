namespace Stakker.Tests.Actors;

public class InterfaceActorTests
{
    public interface IAnimal
    {
        void Sound(Cx<IAnimal> cx);
        void Legs(Cx<IAnimal> cx, Ret<int> ret);
        string Name { get; }
    }

    sealed class Cat : IAnimal
    {
        readonly List<string> _log;
        public Cat(Cx<IAnimal> cx, List<string> log) { _log = log; }
        public string Name => "cat";
        public void Sound(Cx<IAnimal> cx) => _log.Add("miaow");
        public void Legs(Cx<IAnimal> cx, Ret<int> ret) => ret.Answer(4);
    }

    sealed class Bird : IAnimal, IDisposable
    {
        readonly List<string> _log;
        public Bird(Cx<IAnimal> cx, List<string> log) { _log = log; }
        public string Name => "bird";
        public void Sound(Cx<IAnimal> cx) => _log.Add("tweet");
        public void Legs(Cx<IAnimal> cx, Ret<int> ret) => ret.Answer(2);
        public void Dispose() => _log.Add("bird disposed");
    }

    static ActorOwn<IAnimal> SpawnCat(Core core, List<string> log, Ret<StopCause> notify) =>
        core.Spawn<IAnimal, List<string>>(static (cx, l) => new Cat(cx, l), log, notify);

    static ActorOwn<IAnimal> SpawnBird(Core core, List<string> log, Ret<StopCause> notify) =>
        core.Spawn<IAnimal, List<string>>(static (cx, l) => new Bird(cx, l), log, notify);

    [Fact]
    public void Call_OnInterfaceActor_DispatchesToTheImplementingClass()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var cat = SpawnCat(core, log, Ret.Nop<StopCause>());
        using var bird = SpawnBird(core, log, Ret.Nop<StopCause>());

        cat.Call(static (a, cx) => a.Sound(cx));
        bird.Call(static (a, cx) => a.Sound(cx));
        core.RunNow();

        Assert.Equal(["miaow", "tweet"], log);
        Assert.Equal("cat", cat.Actor.Query(static (a, cx) => a.Name));
        Assert.IsType<Bird>(bird.Actor.Query(static (a, cx) => a));
    }

    [Fact]
    public void OwnerVariableReassigned_QueuedCallsOfBothActorsRunExactlyOnce()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<string>();
        ActorOwn<IAnimal> animal = SpawnCat(core, log, Ret.From<StopCause>(core, c => stops.Add("cat " + c.Value.Kind)));
        animal.Call(static (a, cx) => a.Sound(cx));

        ActorOwn<IAnimal> old = animal;
        animal = SpawnBird(core, log, Ret.From<StopCause>(core, c => stops.Add("bird " + c.Value.Kind)));
        old.Dispose();                                   // the cat's owner goes; its queued call still runs
        animal.Call(static (a, cx) => a.Sound(cx));
        core.RunNow();

        Assert.Equal(["miaow", "tweet"], log);
        Assert.Equal(["cat Dropped"], stops);
        animal.Dispose();
        core.RunNow();
        Assert.Equal(["cat Dropped", "bird Dropped"], stops);
        Assert.Equal(["miaow", "tweet", "bird disposed"], log);
    }

    [Fact]
    public void Ret_FromInterfaceActor_AnswersWithTheImplementationsValue()
    {
        var core = new Core(Instant.Zero);
        var answers = new List<Answer<int>>();
        using var cat = SpawnCat(core, [], Ret.Nop<StopCause>());
        using var bird = SpawnBird(core, [], Ret.Nop<StopCause>());

        cat.Call(static (a, cx, r) => a.Legs(cx, r), ActorTestKit.Recorder(core, answers));
        bird.Call(static (a, cx, r) => a.Legs(cx, r), ActorTestKit.Recorder(core, answers));
        core.RunNow();

        Assert.Equal([4, 2], answers.Select(a => a.Value));
    }

    [Fact]
    public void InterfaceActor_EndsWithDisposableImplementation_StateIsDisposed()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        var stops = new List<Answer<StopCause>>();
        using var bird = SpawnBird(core, log, ActorTestKit.Notify(core, stops));
        core.RunNow();

        bird.Kill("caught");

        Assert.Equal(["bird disposed"], log);
        Assert.Equal(StopKind.Killed, Assert.Single(stops).Value.Kind);
    }

    [Fact]
    public void ToString_OfReadyInterfaceActor_NamesTheImplementingClass()
    {
        var core = new Core(Instant.Zero);
        using var cat = SpawnCat(core, [], Ret.Nop<StopCause>());

        Assert.StartsWith("IAnimal#", cat.Actor.ToString(), StringComparison.Ordinal);   // no state yet
        core.RunNow();
        Assert.Equal("Cat#" + cat.Actor.Id + " (Ready)", cat.Actor.ToString());
    }

    [Fact]
    public void CreateThenInit_InterfaceActor_ImplementationChosenByTheInit()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        using var animal = core.Create<IAnimal>(Ret.Nop<StopCause>());
        animal.Call(static (a, cx) => a.Sound(cx));      // waits: no implementation chosen yet

        animal.Actor.Init(static (cx, l) => new Cat(cx, l), log);
        core.RunNow();

        Assert.Equal(["miaow"], log);
        Assert.IsType<Cat>(animal.Actor.Query(static (a, cx) => a));
    }
}
