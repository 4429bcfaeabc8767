using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Stakker.Hosting;

/// <summary>The hosted Core, as the rest of the application sees it</summary>
/// <remarks>
/// <para>A singleton registered by <c>AddStakker</c>. The host starts it (a <see cref="CoreThread"/>
/// is made and the root actors are spawned on it, in the order added) and stops it: the root actors
/// are stopped in reverse order, each ending its children depth first and answering every Ret it
/// held with "no value"; then the Core is shut down, which answers the Rets of anything still queued
/// or waiting on a timer, and its thread ends before <c>StopAsync</c> returns.</para>
/// <para>From other threads (an ASP.NET request, a background service) reach actors through
/// <see cref="GetRootActor{T}"/> and <see cref="Actor{T}.Ask{TResult}"/>, or run code on the Core
/// with <see cref="Post"/> and <see cref="InvokeAsync{T}"/>.</para>
/// </remarks>
public sealed partial class StakkerRuntime
{
    readonly IServiceProvider _services;
    readonly StakkerRegistrations _registrations;
    readonly IOptions<StakkerOptions> _options;
    readonly ILogger _log;
    readonly IHostApplicationLifetime? _lifetime;
    CoreThread? _thread;
    /// <summary>Filled on the Core's thread before <see cref="CoreThread.Started"/> completes; read-only after</summary>
    RootEntry[] _roots = [];
    /// <summary>Set on the Core's thread when the host asks for the stop</summary>
    bool _stopping;
    int _state;   // 0 new, 1 started, 2 stopped
    /// <summary>Guards the hand-off between a root actor ending during start and StartAsync finishing</summary>
    readonly object _startGate = new();
    bool _startFinished;
    bool _stopWhenStarted;
    const int New = 0, Started = 1, Stopped = 2;

    /// <summary>Made by the container</summary>
    public StakkerRuntime(IServiceProvider services, IOptions<StakkerOptions> options)
    {
        _services = services;
        _registrations = services.GetRequiredService<StakkerRegistrations>();
        _options = options;
        _log = services.GetService<ILogger<StakkerRuntime>>() ?? (ILogger)NullLogger.Instance;
        _lifetime = services.GetService<IHostApplicationLifetime>();
    }

    /// <summary>Completes with the Core's shutdown cause once its thread has ended (faulted if the loop threw)</summary>
    /// <exception cref="InvalidOperationException">The host has not started Stakker.</exception>
    public Task<StopCause> Completion => Thread.Completion;

    /// <summary>True from start until the host stops Stakker</summary>
    public bool IsRunning => Volatile.Read(ref _thread) is { } t && Volatile.Read(ref _state) == Started && !t.Completion.IsCompleted;

    /// <summary>The root actor whose state type is <typeparamref name="T"/> (the first added, if several)</summary>
    /// <remarks>A handle, usable from any thread with <see cref="Actor{T}.Ask{TResult}"/>; its
    /// <c>Call</c> is for the Core's thread only.</remarks>
    /// <exception cref="InvalidOperationException">Not started, or no root actor of that type.</exception>
    public Actor<T> GetRootActor<T>() where T : class
    {
        _ = Thread;
        foreach (RootEntry r in Volatile.Read(ref _roots))
        {
            if (r.Registration.StateType == typeof(T)) return (Actor<T>)r.Actor;
        }
        throw new InvalidOperationException($"No root actor of type {typeof(T).Name} was added with AddStakker(s => s.AddRootActor<{typeof(T).Name}>()).");
    }

    /// <summary>Runs <paramref name="action"/> on the Core's thread, outside any handler; safe from any thread</summary>
    public void Post(Action<Core> action) => Thread.Post(action);

    /// <summary>Runs <paramref name="fn"/> on the Core's thread and returns its result; safe from any thread</summary>
    public Task<T> InvokeAsync<T>(Func<Core, T> fn) => Thread.InvokeAsync(fn);

    CoreThread Thread => Volatile.Read(ref _thread) ?? throw new InvalidOperationException(
        "Stakker has not been started: the host starts it (call host.StartAsync or Run), and AddStakker must have been called.");

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Started, New) != New)
            throw new InvalidOperationException("Stakker was already started by this host; a host starts once.");
        StakkerOptions options = _options.Value;
        options.Validate();
        TimeProvider time = _services.GetService<TimeProvider>() ?? TimeProvider.System;
        StakkerDiagnostics diagnostics = _services.GetRequiredService<StakkerDiagnostics>();
        var thread = new CoreThread(core =>
        {
            diagnostics.Attach(core, "0");
            SpawnRoots(core);
        }, options.ThreadName, time, options.MaxWait);
        Volatile.Write(ref _thread, thread);
        try
        {
            await thread.Started.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A root actor's constructor runs later, as the actor's init; what failed here is the
            // start itself (or the host gave up waiting): leave no thread behind.
            thread.Dispose();
            Volatile.Write(ref _state, Stopped);   // nothing left for StopAsync to stop
            throw;
        }
        _ = thread.Completion.ContinueWith(static (t, s) => ((StakkerRuntime)s!).OnCoreEnded(t), this,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        LogStarted(_log, _roots.Length, options.ThreadName);
        bool stopNow;
        lock (_startGate)
        {
            _startFinished = true;
            stopNow = _stopWhenStarted;
        }
        // A root actor that ended while the host was still starting asks for the stop only now:
        // asked earlier, it would cancel the host's own start instead of stopping the application.
        if (stopNow) _lifetime?.StopApplication();
    }

    internal async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, Stopped) != Started) return;
        CoreThread thread = _thread!;
        thread.Post(StopRoots);
        try
        {
            await thread.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout: end the loop where it is; Core.Dispose still answers
            // every Ret left in its queues and timers.
            LogStopTimedOut(_log);
            thread.Stop();
        }
        finally
        {
            thread.Dispose();   // joins the thread: none is left running once the host has stopped
        }
    }

    /// <summary>On the Core's thread: spawns the root actors in the order they were added</summary>
    void SpawnRoots(Core core)
    {
        List<RootActor> registered = _registrations.RootActors;
        var roots = new RootEntry[registered.Count];
        for (int i = 0; i < roots.Length; i++)
        {
            RootActor registration = registered[i];
            AsyncServiceScope scope = _services.CreateAsyncScope();
            var entry = new RootEntry(registration, scope);
            Ret<StopCause> onStop = Ret.From<StopCause>(core, answer => RootEnded(entry, answer));
            (entry.Owner, entry.Actor) = registration.Spawn(core, scope.ServiceProvider, onStop);
            roots[i] = entry;
        }
        Volatile.Write(ref _roots, roots);
    }

    /// <summary>On the Core's thread: stops the root actors, last added first, then shuts the Core down</summary>
    void StopRoots(Core core)
    {
        _stopping = true;
        RootEntry[] roots = _roots;
        // Each owner's dispose queues the actor's end, so they end in this order, each subtree depth
        // first; the shutdown is queued after them, so it runs once all have ended.
        for (int i = roots.Length - 1; i >= 0; i--) roots[i].Owner?.Dispose();
        core.Defer(static c => c.Shutdown(StopCause.Stopped), core);
    }

    void RootEnded(RootEntry entry, Answer<StopCause> answer)
    {
        StopCause cause = answer.GetValueOrDefault(StopCause.Lost);
        entry.Owner?.Dispose();
        entry.Owner = null;
        // The scope's services were the actor's; synchronous disposal keeps the end on this thread.
        try { entry.Scope.Dispose(); }
        catch (Exception ex) { LogScopeDisposeFailed(_log, ex, entry.Registration.StateType.Name); }
        if (_stopping)
        {
            LogRootStopped(_log, entry.Registration.StateType.Name, cause.Kind);
            return;
        }
        if (cause.HasError) LogRootFailed(_log, cause.Error, entry.Registration.StateType.Name, cause.Kind);
        else LogRootEndedEarly(_log, entry.Registration.StateType.Name, cause.Kind);
        if (!_options.Value.StopHostWhenRootActorEnds) return;
        lock (_startGate)
        {
            if (!_startFinished)
            {
                _stopWhenStarted = true;
                return;
            }
        }
        _lifetime?.StopApplication();
    }

    void OnCoreEnded(Task<StopCause> completion)
    {
        if (!completion.IsFaulted || Volatile.Read(ref _state) == Stopped) return;
        LogCoreFailed(_log, completion.Exception!.InnerException ?? completion.Exception);
        _lifetime?.StopApplication();
    }

    sealed class RootEntry(RootActor registration, AsyncServiceScope scope)
    {
        internal readonly RootActor Registration = registration;
        internal readonly AsyncServiceScope Scope = scope;
        internal IDisposable? Owner;
        internal object Actor = null!;
    }

    [LoggerMessage(1, LogLevel.Information, "Stakker started {RootActorCount} root actor(s) on thread '{ThreadName}'")]
    static partial void LogStarted(ILogger logger, int rootActorCount, string threadName);

    [LoggerMessage(2, LogLevel.Debug, "Root actor {ActorType} ended on stop: {StopKind}")]
    static partial void LogRootStopped(ILogger logger, string actorType, StopKind stopKind);

    [LoggerMessage(3, LogLevel.Error, "Root actor {ActorType} ended: {StopKind}")]
    static partial void LogRootFailed(ILogger logger, Exception? exception, string actorType, StopKind stopKind);

    [LoggerMessage(4, LogLevel.Information, "Root actor {ActorType} ended before the host stopped: {StopKind}")]
    static partial void LogRootEndedEarly(ILogger logger, string actorType, StopKind stopKind);

    [LoggerMessage(5, LogLevel.Critical, "The Stakker Core's loop failed; stopping the application")]
    static partial void LogCoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "Stakker did not finish stopping its actors before the host's shutdown timeout; the Core was shut down where it was")]
    static partial void LogStopTimedOut(ILogger logger);

    [LoggerMessage(7, LogLevel.Error, "Disposing the services of root actor {ActorType} failed")]
    static partial void LogScopeDisposeFailed(ILogger logger, Exception exception, string actorType);
}
