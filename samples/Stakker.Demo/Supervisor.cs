namespace Stakker.Demo;

/// <summary>Keeps a <see cref="Worker"/> running: restarts it with back-off, gives up after three restarts</summary>
sealed class Supervisor : IDisposable
{
    const int MaxRestarts = 3;

    ActorOwn<Worker>? _worker;
    int _generation;
    int _restarts;
    TimeSpan _backOff = TimeSpan.FromSeconds(1);

    public Supervisor(Cx<Supervisor> cx)
    {
        Log.Line(cx.Now, "supervisor", "started");
        StartWorker(cx);
    }

    void StartWorker(Cx<Supervisor> cx)
    {
        _generation++;
        // The notify Ret carries the generation, so a notice is matched to the worker it is about.
        _worker = cx.Spawn<Worker, int>(static (cx, n) => new Worker(cx, n), _generation,
            cx.This.RetSome<int, StopCause>(_generation, static (a, cx, gen, cause) => a.WorkerEnded(cx, gen, cause)));
    }

    void WorkerEnded(Cx<Supervisor> cx, int generation, StopCause cause)
    {
        Log.Line(cx.Now, "supervisor", $"worker #{generation} ended: {cause}");
        if (generation != _generation) return;   // an older worker's notice: nothing to restart
        // The worker has ended already; this only gives up our (now useless) ownership.
        _worker?.Dispose();
        _worker = null;
        if (_restarts == MaxRestarts)
        {
            Log.Line(cx.Now, "supervisor", $"{MaxRestarts} restarts used up: failing upward");
            cx.Fail(cause);   // our owner hears the worker's own error
            return;
        }
        _restarts++;
        Log.Line(cx.Now, "supervisor", $"restart {_restarts}/{MaxRestarts} in {_backOff.TotalSeconds:0} s");
        cx.After(_backOff, static (a, cx) => a.StartWorker(cx));
        _backOff *= 2;
    }

    // Ending the supervisor ends its worker too (at once, before our own owner is told).
    public void Dispose() => _worker?.Dispose();
}
