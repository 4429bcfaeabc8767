using Proto;
using Proto.Timers;

namespace Stakker.Benchmarks.ProtoSide;

// The Proto.Actor side of every case. Actors run on the default dispatcher (thread pool) with the
// default mailbox, in an ActorSystem made with its default configuration. The benchmark thread
// waits for the work it started through a TaskCompletionSource that the actors complete.

static class Systems
{
    public static ActorSystem Create() => new();

    public static void Shutdown(ActorSystem system)
    {
        if (!system.ShutdownAsync("benchmark done").Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("Proto.Actor system did not shut down");
    }

    public static TaskCompletionSource NewDone() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A request with no data: one shared instance</summary>
sealed class Request
{
    public static readonly Request Instance = new();
}

/// <summary>The ball bounced in PingPong; it names the pinger so the ponger can send it back (made once)</summary>
sealed class Ball(PID replyTo)
{
    public readonly PID ReplyTo = replyTo;
}

sealed class Start(int count, TaskCompletionSource done, PID peer, object message)
{
    public readonly int Count = count;
    public readonly TaskCompletionSource Done = done;
    public readonly PID Peer = peer;
    public readonly object Message = message;
}

// ---- PingPong --------------------------------------------------------------------------------

sealed class Pinger : IActor
{
    int _left;
    PID? _pong;
    TaskCompletionSource? _done;

    public Task ReceiveAsync(IContext context)
    {
        switch (context.Message)
        {
            case Ball b:
                if (--_left > 0) context.Send(_pong!, b);
                else _done!.TrySetResult();
                break;
            case Start s:
                _left = s.Count;
                _done = s.Done;
                _pong = s.Peer;
                context.Send(_pong, s.Message);
                break;
        }
        return Task.CompletedTask;
    }
}

sealed class Ponger : IActor
{
    public Task ReceiveAsync(IContext context)
    {
        if (context.Message is Ball b) context.Send(b.ReplyTo, b);
        return Task.CompletedTask;
    }
}

public sealed class PingPongDriver : IDisposable
{
    readonly ActorSystem _system = Systems.Create();
    readonly PID _ping;
    readonly PID _pong;
    readonly Ball _ball;

    public PingPongDriver()
    {
        _ping = _system.Root.Spawn(Props.FromProducer(static () => new Pinger()));
        _pong = _system.Root.Spawn(Props.FromProducer(static () => new Ponger()));
        _ball = new Ball(_ping);
        Run(100).GetAwaiter().GetResult();
    }

    public Task Run(int roundTrips)
    {
        TaskCompletionSource done = Systems.NewDone();
        _system.Root.Send(_ping, new Start(roundTrips, done, _pong, _ball));
        return done.Task;
    }

    public void Dispose() => Systems.Shutdown(_system);
}

// ---- RequestResponse -------------------------------------------------------------------------

/// <summary>Answers each request with a counter value (boxed: Proto.Actor messages are objects)</summary>
sealed class Server : IActor
{
    int _counter;

    public Task ReceiveAsync(IContext context)
    {
        if (context.Message is Request) context.Respond(++_counter);
        return Task.CompletedTask;
    }
}

/// <summary>In-actor request/response: context.Request (sender = Self), the server's Respond comes back as a message</summary>
sealed class Asker : IActor
{
    int _left;
    long _sum;
    PID? _server;
    TaskCompletionSource? _done;

    public Task ReceiveAsync(IContext context)
    {
        switch (context.Message)
        {
            case int v:
                _sum += v;
                if (--_left > 0) context.Request(_server!, Request.Instance);
                else _done!.TrySetResult();
                break;
            case Start s:
                _left = s.Count;
                _done = s.Done;
                _server = s.Peer;
                context.Request(_server, Request.Instance);
                break;
        }
        return Task.CompletedTask;
    }
}

public sealed class RequestResponseDriver : IDisposable
{
    readonly ActorSystem _system = Systems.Create();
    readonly PID _server;
    readonly PID _asker;
    long _sum;

    public RequestResponseDriver()
    {
        _server = _system.Root.Spawn(Props.FromProducer(static () => new Server()));
        _asker = _system.Root.Spawn(Props.FromProducer(static () => new Asker()));
        RunRequestAsync(10).GetAwaiter().GetResult();
        RunInActor(10).GetAwaiter().GetResult();
    }

    /// <summary>RequestAsync from outside the actors, one request at a time</summary>
    public async Task RunRequestAsync(int requests)
    {
        IRootContext root = _system.Root;
        for (int i = 0; i < requests; i++)
            _sum += await root.RequestAsync<int>(_server, Request.Instance).ConfigureAwait(false);
    }

    /// <summary>RequestAsync from outside the actors, awaited in a loop, each answer checked (the AskAwait case)</summary>
    /// <remarks>The server answers ++counter, so the answers of one loop are consecutive.</remarks>
    public async Task RunRequestAsyncChecked(int requests)
    {
        IRootContext root = _system.Root;
        int first = await root.RequestAsync<int>(_server, Request.Instance).ConfigureAwait(false);
        for (int i = 1; i < requests; i++)
        {
            int v = await root.RequestAsync<int>(_server, Request.Instance).ConfigureAwait(false);
            if (v != first + i) throw new InvalidOperationException($"AskAwait (Proto.Actor): answer {v}, expected {first + i}");
        }
    }

    /// <summary>Actor to actor: Request + Respond, N requests one at a time</summary>
    public Task RunInActor(int requests)
    {
        TaskCompletionSource done = Systems.NewDone();
        _system.Root.Send(_asker, new Start(requests, done, _server, Request.Instance));
        return done.Task;
    }

    public void Dispose() => Systems.Shutdown(_system);
}

// ---- SpawnStop and footprint -----------------------------------------------------------------

static class Lifecycle
{
    static int s_count, s_target;
    static TaskCompletionSource? s_done;
    public static volatile bool CountStarts;

    public static Task Expect(int target)
    {
        s_count = 0;
        s_target = target;
        var done = Systems.NewDone();
        s_done = done;
        return done.Task;
    }

    public static void Hit()
    {
        if (Interlocked.Increment(ref s_count) == s_target) s_done?.TrySetResult();
    }
}

sealed class Idle : IActor
{
    public Task ReceiveAsync(IContext context)
    {
        switch (context.Message)
        {
            case Started when Lifecycle.CountStarts:
                Lifecycle.Hit();
                break;
            case Stopped when !Lifecycle.CountStarts:
                Lifecycle.Hit();
                break;
        }
        return Task.CompletedTask;
    }
}

public sealed class SpawnStopDriver : IDisposable
{
    readonly ActorSystem _system = Systems.Create();
    readonly Props _props = Props.FromProducer(static () => new Idle());

    public SpawnStopDriver() => Run(100).GetAwaiter().GetResult();

    /// <summary>Spawns N idle actors from the root and stops each at once; completes when every one has seen Stopped</summary>
    public Task Run(int actors)
    {
        Lifecycle.CountStarts = false;
        Task all = Lifecycle.Expect(actors);
        IRootContext root = _system.Root;
        for (int i = 0; i < actors; i++)
        {
            PID pid = root.Spawn(_props);
            root.Stop(pid);
        }
        return all;
    }

    public void Dispose() => Systems.Shutdown(_system);
}

public static class Footprint
{
    /// <summary>Bytes retained per live idle actor (actor, context, mailbox, PID, registry entry)</summary>
    public static double Measure(int count)
    {
        ActorSystem system = Systems.Create();
        try
        {
            Props props = Props.FromProducer(static () => new Idle());
            var pids = new PID[count];
            Lifecycle.CountStarts = true;
            Task warm = Lifecycle.Expect(16);
            for (int i = 0; i < 16; i++) system.Root.Spawn(props);
            warm.GetAwaiter().GetResult();
            long before = GC.GetTotalMemory(forceFullCollection: true);
            Task started = Lifecycle.Expect(count);
            for (int i = 0; i < count; i++) pids[i] = system.Root.Spawn(props);
            started.GetAwaiter().GetResult();
            long after = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(pids);
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

sealed class Sink : IActor
{
    public Task ReceiveAsync(IContext context) => Task.CompletedTask;
}

/// <summary>Proto.Actor's Scheduler (one Task.Delay per timer, cancelled through its CancellationTokenSource)</summary>
public sealed class TimerDriver : IDisposable
{
    static readonly TimeSpan OneMinute = TimeSpan.FromMinutes(1);
    readonly ActorSystem _system = Systems.Create();
    readonly Scheduler _scheduler;
    readonly PID _sink;
    readonly List<CancellationTokenSource> _pending;

    public TimerDriver(int pending)
    {
        _sink = _system.Root.Spawn(Props.FromProducer(static () => new Sink()));
        _scheduler = _system.Root.Scheduler();
        _pending = new List<CancellationTokenSource>(pending);
        for (int i = 0; i < pending; i++)
            _pending.Add(_scheduler.SendOnce(TimeSpan.FromDays(1) + TimeSpan.FromTicks(i * 7L), _sink, Request.Instance));
        // SendOnce starts each timer from a thread-pool work item: let them all get going before measuring.
        var wait = System.Diagnostics.Stopwatch.StartNew();
        while (ThreadPool.PendingWorkItemCount > 0 && wait.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(20);
    }

    /// <summary>Schedule a send a minute ahead and cancel it at once</summary>
    public void SetCancel(int ops)
    {
        for (int i = 0; i < ops; i++)
        {
            CancellationTokenSource cts = _scheduler.SendOnce(OneMinute, _sink, Request.Instance);
            cts.Cancel();
        }
    }

    public void Dispose()
    {
        // The pending day-long delays are left to the process (cancelling a million of them costs a
        // million OperationCanceledExceptions inside Proto's SafeTask); shutting the system down is enough.
        _pending.Clear();
        Systems.Shutdown(_system);
    }
}
