using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Stakker.Remote.Tests;

/// <summary>One Core on its own thread with a NATS connection and a remote node: one side of a conversation</summary>
public sealed class Side : IAsyncDisposable
{
    public static readonly RemoteOptions FastOptions = new()
    {
        KeepAliveInterval = TimeSpan.FromMilliseconds(150),
        LostAfter = TimeSpan.FromMilliseconds(1500),
    };

    readonly List<IDisposable> _owned = new();

    Side(NatsConnection nats, CoreThread thread, RemoteNode node, CollectingLogger log)
    {
        Nats = nats;
        Thread = thread;
        Node = node;
        Log = log;
    }

    public NatsConnection Nats { get; }
    public CoreThread Thread { get; }
    public RemoteNode Node { get; }
    public CollectingLogger Log { get; }

    public static async Task<Side> StartAsync(string url, RemoteOptions? options = null)
    {
        var nats = new NatsConnection(new NatsOpts
        {
            Url = url,
            SubPendingChannelCapacity = 1 << 20,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(50),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(200),
        });
        await nats.ConnectAsync();
        var log = new CollectingLogger();
        RemoteNode? node = null;
        var thread = new CoreThread(core => node = RemoteNode.Create(core, nats, options ?? FastOptions, log), "remote test side");
        await thread.Started;
        await node!.Ready;
        return new Side(nats, thread, node, log);
    }

    int _answeredTwice;

    /// <summary>How many Rets made by <see cref="Ask{T}"/> were answered more than once (never, if exactly once holds)</summary>
    public int AnsweredTwice => Volatile.Read(ref _answeredTwice);

    public Task<T> On<T>(Func<Core, T> fn) => Thread.InvokeAsync(fn);

    /// <summary>Spawns an actor on this side and publishes it; completes once the server has the subscription</summary>
    public async Task<Actor<TActor>> PublishAsync<TIface, TActor>(RemoteInterface<TIface> iface, string name, ActorInit<TActor> init, string? queue = null)
        where TIface : class where TActor : class, TIface
    {
        var (actor, publication) = await On(core =>
        {
            var own = core.Spawn(init, Ret.Nop<StopCause>());
            lock (_owned) _owned.Add(own);
            return (own.Actor, Node.Publish(iface, name, own.Actor, queue));
        });
        await publication.Ready;
        return actor;
    }

    /// <summary>Sends through <paramref name="send"/> on the Core with a fresh Ret; completes with its answer</summary>
    public Task<Answer<T>> Ask<T>(Action<Core, Ret<T>> send)
    {
        var done = new TaskCompletionSource<Answer<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Thread.Post(core =>
        {
            int answers = 0;
            Ret<T> ret = Ret.From<T>(core, a =>
            {
                if (++answers > 1) Interlocked.Increment(ref _answeredTwice);
                done.TrySetResult(a);
            });
            send(core, ret);
        });
        return done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await On(core =>
        {
            Node.Dispose();
            lock (_owned) foreach (IDisposable d in _owned) d.Dispose();
            return 0;
        });
        Thread.Dispose();
        await Node.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        await Nats.DisposeAsync();
    }
}

public sealed class CollectingLogger : ILogger
{
    public ConcurrentQueue<string> Errors { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Error) Errors.Enqueue(formatter(state, exception));
    }
}
