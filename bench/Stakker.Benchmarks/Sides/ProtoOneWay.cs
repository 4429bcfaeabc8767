using Proto;

namespace Stakker.Benchmarks.ProtoSide;

// One-way throughput, the Proto.Actor way: an actor Sends a shared message to another actor in a
// loop; the receiver counts and completes a task at the last one.

sealed class Expect(long count, TaskCompletionSource done, PID sink)
{
    public readonly long Count = count;
    public readonly TaskCompletionSource Done = done;
    public readonly PID Sink = sink;
}

sealed class CountingSink : IActor
{
    long _left;
    TaskCompletionSource? _done;

    public Task ReceiveAsync(IContext context)
    {
        switch (context.Message)
        {
            case Request:
                if (--_left == 0) _done!.TrySetResult();
                break;
            case Expect e:
                _left = e.Count;
                _done = e.Done;
                break;
        }
        return Task.CompletedTask;
    }
}

sealed class OneWaySender : IActor
{
    public Task ReceiveAsync(IContext context)
    {
        if (context.Message is Expect e)
        {
            context.Send(e.Sink, e);
            for (long i = 0; i < e.Count; i++) context.Send(e.Sink, Request.Instance);
        }
        return Task.CompletedTask;
    }
}

public sealed class OneWayDriver : IDisposable
{
    readonly ActorSystem _system = Systems.Create();
    readonly PID _sender;
    readonly PID _sink;

    public OneWayDriver()
    {
        _sink = _system.Root.Spawn(Props.FromProducer(static () => new CountingSink()));
        _sender = _system.Root.Spawn(Props.FromProducer(static () => new OneWaySender()));
        Run(1000).GetAwaiter().GetResult();
    }

    public Task Run(long calls)
    {
        TaskCompletionSource done = Systems.NewDone();
        _system.Root.Send(_sender, new Expect(calls, done, _sink));
        return done.Task;
    }

    public void Dispose() => Systems.Shutdown(_system);
}
