using Akka.Actor;
using Akka.Configuration;

namespace Stakker.Benchmarks.AkkaSide;

// The Akka.NET side of every case. Actors run on the default dispatcher (the one an ActorSystem
// created with no dispatcher settings uses); only logging is quietened. The benchmark thread waits
// for the work it started through a TaskCompletionSource that the actors complete.

static class Systems
{
    static readonly Config Quiet = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        """);

    public static ActorSystem Create(string name) => ActorSystem.Create(name, Quiet);

    public static void Shutdown(ActorSystem system)
    {
        if (!system.Terminate().Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("Akka.NET system did not terminate");
    }

    public static TaskCompletionSource NewDone() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The message bounced in PingPong and sent as a request: one shared instance, nothing allocated per send</summary>
sealed class Ball
{
    public static readonly Ball Instance = new();
}

sealed class Start(int count, TaskCompletionSource done)
{
    public readonly int Count = count;
    public readonly TaskCompletionSource Done = done;
}

// ---- PingPong --------------------------------------------------------------------------------

sealed class Pinger(IActorRef pong) : UntypedActor
{
    IActorRef _self = ActorRefs.Nobody;
    int _left;
    TaskCompletionSource? _done;

    protected override void PreStart() => _self = Self;

    protected override void OnReceive(object message)
    {
        if (ReferenceEquals(message, Ball.Instance))
        {
            if (--_left > 0) pong.Tell(Ball.Instance, _self);
            else _done!.TrySetResult();
        }
        else if (message is Start s)
        {
            _left = s.Count;
            _done = s.Done;
            pong.Tell(Ball.Instance, _self);
        }
        else Unhandled(message);
    }
}

sealed class Ponger : UntypedActor
{
    IActorRef _self = ActorRefs.Nobody;
    protected override void PreStart() => _self = Self;
    protected override void OnReceive(object message) => Sender.Tell(message, _self);
}

public sealed class PingPongDriver : IDisposable
{
    readonly ActorSystem _system = Systems.Create("pingpong");
    readonly IActorRef _ping;

    public PingPongDriver()
    {
        IActorRef pong = _system.ActorOf(Props.Create(() => new Ponger()));
        _ping = _system.ActorOf(Props.Create(() => new Pinger(pong)));
        Run(100).GetAwaiter().GetResult();
    }

    public Task Run(int roundTrips)
    {
        TaskCompletionSource done = Systems.NewDone();
        _ping.Tell(new Start(roundTrips, done));
        return done.Task;
    }

    public void Dispose() => Systems.Shutdown(_system);
}

// ---- RequestResponse -------------------------------------------------------------------------

/// <summary>Answers each request with a counter value (boxed: Akka.NET messages are objects)</summary>
sealed class Server : UntypedActor
{
    IActorRef _self = ActorRefs.Nobody;
    int _counter;
    protected override void PreStart() => _self = Self;
    protected override void OnReceive(object message) => Sender.Tell(++_counter, _self);
}

/// <summary>In-actor request/response, the idiomatic Akka.NET way: Tell with Self as sender, reply to Sender</summary>
sealed class Asker(IActorRef server) : UntypedActor
{
    IActorRef _self = ActorRefs.Nobody;
    int _left;
    long _sum;
    TaskCompletionSource? _done;

    protected override void PreStart() => _self = Self;

    protected override void OnReceive(object message)
    {
        if (message is int v)
        {
            _sum += v;
            if (--_left > 0) server.Tell(Ball.Instance, _self);
            else _done!.TrySetResult();
        }
        else if (message is Start s)
        {
            _left = s.Count;
            _done = s.Done;
            server.Tell(Ball.Instance, _self);
        }
        else Unhandled(message);
    }
}

public sealed class RequestResponseDriver : IDisposable
{
    readonly ActorSystem _system = Systems.Create("reqresp");
    readonly IActorRef _server;
    readonly IActorRef _asker;
    long _sum;

    public RequestResponseDriver()
    {
        _server = _system.ActorOf(Props.Create(() => new Server()));
        IActorRef server = _server;
        _asker = _system.ActorOf(Props.Create(() => new Asker(server)));
        RunAsk(10).GetAwaiter().GetResult();
        RunInActor(10).GetAwaiter().GetResult();
    }

    /// <summary>Ask from outside the actors, one request at a time</summary>
    public async Task RunAsk(int requests)
    {
        for (int i = 0; i < requests; i++)
            _sum += await _server.Ask<int>(Ball.Instance).ConfigureAwait(false);
    }

    /// <summary>Ask from outside the actors, awaited in a loop, each answer checked (the AskAwait case)</summary>
    /// <remarks>The server answers ++counter, so the answers of one loop are consecutive.</remarks>
    public async Task RunAskChecked(int requests)
    {
        int first = await _server.Ask<int>(Ball.Instance).ConfigureAwait(false);
        for (int i = 1; i < requests; i++)
        {
            int v = await _server.Ask<int>(Ball.Instance).ConfigureAwait(false);
            if (v != first + i) throw new InvalidOperationException($"AskAwait (Akka.NET): answer {v}, expected {first + i}");
        }
    }

    /// <summary>Actor to actor: Tell + reply to Sender, N requests one at a time</summary>
    public Task RunInActor(int requests)
    {
        TaskCompletionSource done = Systems.NewDone();
        _asker.Tell(new Start(requests, done));
        return done.Task;
    }

    public void Dispose() => Systems.Shutdown(_system);
}

// ---- SpawnStop and footprint -----------------------------------------------------------------

/// <summary>Counts starts and stops of <see cref="Idle"/> actors, completing a task at a target</summary>
static class Lifecycle
{
    static int s_started, s_stopped, s_target;
    static TaskCompletionSource? s_done;

    public static Task Expect(int target)
    {
        s_started = 0;
        s_stopped = 0;
        s_target = target;
        var done = Systems.NewDone();
        s_done = done;
        return done.Task;
    }

    public static void Started()
    {
        if (Interlocked.Increment(ref s_started) == s_target) s_done?.TrySetResult();
    }

    public static void Stopped()
    {
        if (Interlocked.Increment(ref s_stopped) == s_target) s_done?.TrySetResult();
    }

    public static bool CountStarts;
}

sealed class Idle : UntypedActor
{
    protected override void PreStart()
    {
        if (Lifecycle.CountStarts) Lifecycle.Started();
    }

    protected override void OnReceive(object message) => Unhandled(message);

    protected override void PostStop()
    {
        if (!Lifecycle.CountStarts) Lifecycle.Stopped();
    }
}

public sealed class SpawnStopDriver : IDisposable
{
    readonly ActorSystem _system = Systems.Create("spawnstop");
    readonly Props _props = Props.Create(() => new Idle());

    public SpawnStopDriver() => Run(100).GetAwaiter().GetResult();

    /// <summary>Spawns N top-level idle actors and stops each at once; completes when every PostStop has run</summary>
    public Task Run(int actors)
    {
        Lifecycle.CountStarts = false;
        Task all = Lifecycle.Expect(actors);
        for (int i = 0; i < actors; i++)
        {
            IActorRef a = _system.ActorOf(_props);
            _system.Stop(a);
        }
        return all;
    }

    public void Dispose() => Systems.Shutdown(_system);
}

public static class Footprint
{
    /// <summary>Bytes retained per live idle actor (actor instance, cell, mailbox, ref, guardian's child entry)</summary>
    public static double Measure(int count)
    {
        ActorSystem system = Systems.Create("footprint");
        try
        {
            Props props = Props.Create(() => new Idle());
            var refs = new IActorRef[count];
            Lifecycle.CountStarts = true;
            Task warm = Lifecycle.Expect(16);
            for (int i = 0; i < 16; i++) system.ActorOf(props);
            warm.GetAwaiter().GetResult();
            long before = GC.GetTotalMemory(forceFullCollection: true);
            Task started = Lifecycle.Expect(count);
            for (int i = 0; i < count; i++) refs[i] = system.ActorOf(props);
            started.GetAwaiter().GetResult();
            long after = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(refs);
            return (after - before) / (double)count;
        }
        finally
        {
            Lifecycle.CountStarts = false;
            Systems.Shutdown(system);
        }
    }
}

// ---- Timers ----------------------------------------------------------------------------------

sealed class Sink : UntypedActor
{
    protected override void OnReceive(object message) { }
}

/// <summary>The system scheduler (HashedWheelTimerScheduler, real time) with many timers pending a day away</summary>
public sealed class TimerDriver : IDisposable
{
    static readonly TimeSpan OneMinute = TimeSpan.FromMinutes(1);
    readonly ActorSystem _system = Systems.Create("timers");
    readonly IActorRef _sink;

    public TimerDriver(int pending)
    {
        _sink = _system.ActorOf(Props.Create(() => new Sink()));
        for (int i = 0; i < pending; i++)
            _system.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromDays(1) + TimeSpan.FromTicks(i * 7L), _sink, Ball.Instance, ActorRefs.NoSender);
    }

    /// <summary>Schedule a tell a minute ahead and cancel it at once</summary>
    public void SetCancel(int ops)
    {
        for (int i = 0; i < ops; i++)
        {
            ICancelable c = _system.Scheduler.ScheduleTellOnceCancelable(OneMinute, _sink, Ball.Instance, ActorRefs.NoSender);
            c.Cancel();
        }
    }

    public void Dispose() => Systems.Shutdown(_system);
}
