namespace Stakker.Docs.Tests.Cookbook;

/// <summary>A worker that crashes a tenth of a second after it starts</summary>
sealed class Worker
{
    public Worker(Cx<Worker> cx) =>
        cx.After(TimeSpan.FromMilliseconds(100), static (w, cx) => cx.Fail("crashed"));
}

#region doc:cookbook-supervisor
sealed class Supervisor : IDisposable
{
    static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    static readonly TimeSpan Healthy = TimeSpan.FromMinutes(1);

    ActorOwn<Worker>? _worker;
    TimeSpan _backoff = FirstBackoff;
    Instant _startedAt;

    public List<Instant> Starts { get; } = [];

    public Supervisor(Cx<Supervisor> cx) => Start(cx);

    void Start(Cx<Supervisor> cx)
    {
        _startedAt = cx.Now;
        Starts.Add(cx.Now);
        _worker = cx.Spawn<Worker>(static cx => new Worker(cx),
            cx.RetSome<StopCause>(static (s, cx, cause) => s.WorkerEnded(cx, cause)));
    }

    void WorkerEnded(Cx<Supervisor> cx, StopCause cause)
    {
        _worker?.Dispose();                 // it has ended; this drops our ownership
        _worker = null;
        if (cause.Kind == StopKind.Stopped) { cx.Stop(); return; }       // it finished its job
        if (cx.Now - _startedAt >= Healthy) _backoff = FirstBackoff;      // it ran a while: start over
        cx.After(_backoff, static (s, cx) => s.Start(cx));
        _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxBackoff.Ticks));
    }

    public void Dispose() => _worker?.Dispose();   // ending the supervisor ends its worker first
}
#endregion

public class SupervisorTests
{
    [Fact]
    public void ACrashingWorkerIsRestartedWithDoublingBackoff()
    {
        var core = new Core(Instant.Zero);
        using var supervisor = core.Spawn<Supervisor>(static cx => new Supervisor(cx), Ret.Shutdown(core));
        core.RunUntil(Instant.Zero + TimeSpan.FromMinutes(2));
        var starts = supervisor.Actor.Query(static (s, cx) => s.Starts.Select(i => (i - Instant.Zero).TotalSeconds).ToList());
        // Each worker lives 0.1 s; the pauses double from 1 s and stop growing at 30 s.
        Assert.Equal([0, 1.1, 3.2, 7.3, 15.4, 31.5, 61.6, 91.7], starts);
        Assert.False(core.IsShutdown);
    }
}
