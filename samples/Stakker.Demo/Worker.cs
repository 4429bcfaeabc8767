namespace Stakker.Demo;

/// <summary>A worker that ticks once a second and breaks down on its third tick</summary>
sealed class Worker : IDisposable
{
    const int FaultyTick = 3;
    static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    readonly Core _core;
    readonly int _number;
    int _ticks;

    public Worker(Cx<Worker> cx, int number)
    {
        _core = cx.Core;
        _number = number;
        Log.Line(cx.Now, Name, "started");
        cx.After(TickInterval, static (a, cx) => a.Tick(cx));
    }

    string Name => "worker #" + _number;

    void Tick(Cx<Worker> cx)
    {
        _ticks++;
        if (_ticks < FaultyTick)
        {
            Log.Line(cx.Now, Name, "tick " + _ticks);
            cx.After(TickInterval, static (a, cx) => a.Tick(cx));
            return;
        }
        if (_number == 2)
        {
            // A failure the worker detects itself: it ends once this handler returns.
            Log.Line(cx.Now, Name, $"tick {_ticks}: sensor lost, failing");
            cx.Fail("sensor connection lost");
            return;
        }
        // An exception escaping a handler fails only this actor; the runtime carries on.
        Log.Line(cx.Now, Name, $"tick {_ticks}: reading garbage, throwing");
        throw new InvalidOperationException($"sensor returned garbage (worker #{_number})");
    }

    // The runtime disposes the state whatever the cause of the ending: the place to free resources.
    public void Dispose() => Log.Line(_core.Now, Name, "disposed");
}
