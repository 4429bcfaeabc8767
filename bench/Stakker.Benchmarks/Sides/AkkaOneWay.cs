using Akka.Actor;

namespace Stakker.Benchmarks.AkkaSide;

// One-way throughput, the Akka.NET way: an actor Tells a shared message to another actor in a loop;
// the receiver counts and completes a task at the last one.

sealed class Expect(long count, TaskCompletionSource done)
{
    public readonly long Count = count;
    public readonly TaskCompletionSource Done = done;
}

sealed class CountingSink : UntypedActor
{
    long _left;
    TaskCompletionSource? _done;

    protected override void OnReceive(object message)
    {
        if (ReferenceEquals(message, Ball.Instance))
        {
            if (--_left == 0) _done!.TrySetResult();
        }
        else if (message is Expect e)
        {
            _left = e.Count;
            _done = e.Done;
        }
        else Unhandled(message);
    }
}

sealed class OneWaySender(IActorRef sink) : UntypedActor
{
    protected override void OnReceive(object message)
    {
        if (message is not Expect e) { Unhandled(message); return; }
        sink.Tell(e, Self);
        IActorRef self = Self;
        for (long i = 0; i < e.Count; i++) sink.Tell(Ball.Instance, self);
    }
}

public sealed class OneWayDriver : IDisposable
{
    readonly ActorSystem _system = Systems.Create("oneway");
    readonly IActorRef _sender;

    public OneWayDriver()
    {
        IActorRef sink = _system.ActorOf(Props.Create(() => new CountingSink()));
        _sender = _system.ActorOf(Props.Create(() => new OneWaySender(sink)));
        Run(1000).GetAwaiter().GetResult();
    }

    public Task Run(long calls)
    {
        TaskCompletionSource done = Systems.NewDone();
        _sender.Tell(new Expect(calls, done));
        return done.Task;
    }

    public void Dispose() => Systems.Shutdown(_system);
}
