using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Stakker.Hosting;

/// <summary>The hosted Core (or set of Cores), as the rest of the application sees it</summary>
/// <remarks>
/// <para>A singleton registered by <c>AddStakker</c>. The host starts it (a <see cref="CoreThread"/>,
/// or a <see cref="CoreSet"/> when <see cref="StakkerOptions.Cores"/> is more than one, and the root
/// actors spawned on them in the order added) and stops it: the root actors are stopped in reverse
/// order, each ending its children depth first and answering every Ret it held with "no value"; then
/// the Cores are shut down, which answers the Rets of anything still queued, waiting on a timer or
/// crossing between Cores, and their threads end before <c>StopAsync</c> returns.</para>
/// <para>From other threads (an ASP.NET request, a background service) reach actors through
/// <see cref="GetRootActor{T}"/> and <see cref="Actor{T}.Ask{TResult}"/>, or run code on a Core
/// with <see cref="Post(Action{Core})"/> and <see cref="InvokeAsync{T}(Func{Core, T})"/>. Actors on
/// one Core reach root actors on another through <see cref="GetCrossCoreActor{T}"/>.</para>
/// </remarks>
public sealed partial class StakkerRuntime
{
    readonly IServiceProvider _services;
    readonly StakkerRegistrations _registrations;
    readonly IOptions<StakkerOptions> _options;
    readonly ILogger _log;
    readonly IHostApplicationLifetime? _lifetime;
    /// <summary>The one Core's thread (<see cref="StakkerOptions.Cores"/> = 1)</summary>
    CoreThread? _thread;
    /// <summary>The Cores, when there are several</summary>
    CoreSet? _set;
    Task<StopCause>? _setCompletion;
    int _coreCount;
    /// <summary>Root actors in the order added; entries up to <see cref="_published"/> are filled (on a
    /// Core's thread) before that count is raised, and not replaced after</summary>
    RootEntry[] _roots = [];
    int _published;
    /// <summary>Set when the host asks for the stop, before any root is stopped</summary>
    volatile bool _stopping;
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

    /// <summary>Completes with the shutdown cause once every Core's thread has ended (faulted if a loop threw)</summary>
    /// <remarks>With several Cores the cause is <see cref="StopCause.Stopped"/>; a failure faults the task.</remarks>
    /// <exception cref="InvalidOperationException">The host has not started Stakker.</exception>
    public Task<StopCause> Completion
    {
        get
        {
            ThrowIfNotStarted();
            return _setCompletion ?? _thread!.Completion;
        }
    }

    /// <summary>True from start until the host stops Stakker</summary>
    public bool IsRunning => Volatile.Read(ref _state) == Started && (Volatile.Read(ref _setCompletion) ?? Volatile.Read(ref _thread)?.Completion) is { IsCompleted: false };

    /// <summary>How many Cores run (<see cref="StakkerOptions.Cores"/>, 0 counted as the processor count)</summary>
    /// <exception cref="InvalidOperationException">The host has not started Stakker.</exception>
    public int CoreCount
    {
        get
        {
            ThrowIfNotStarted();
            return _coreCount;
        }
    }

    /// <summary>The root actor whose state type is <typeparamref name="T"/> (the first added, if several)</summary>
    /// <remarks>A handle, usable from any thread with <see cref="Actor{T}.Ask{TResult}"/>; its
    /// <c>Call</c> is for its own Core's thread only (from another Core use <see cref="GetCrossCoreActor{T}"/>).</remarks>
    /// <exception cref="InvalidOperationException">Not started, or no root actor of that type.</exception>
    public Actor<T> GetRootActor<T>() where T : class => (Actor<T>)Find<T>().Actor;

    /// <summary>A handle to the root actor whose state type is <typeparamref name="T"/> that any thread
    /// may call: actors on other Cores (batched) and threads running no Core</summary>
    /// <remarks>During start, a root actor's constructor finds the roots added before it; the later ones
    /// once the host has started. Calls, Rets and Fwds cross as docs/threads.md says.</remarks>
    /// <exception cref="InvalidOperationException">Not started, or no root actor of that type.</exception>
    public CrossCoreActor<T> GetCrossCoreActor<T>() where T : class => (CrossCoreActor<T>)Find<T>().CrossCore;

    /// <summary>The index of the Core the root actor whose state type is <typeparamref name="T"/> runs on</summary>
    /// <exception cref="InvalidOperationException">Not started, or no root actor of that type.</exception>
    public int GetRootActorCore<T>() where T : class => Find<T>().Core;

    RootEntry Find<T>() where T : class
    {
        ThrowIfNotStarted();
        RootEntry[] roots = Volatile.Read(ref _roots);
        int published = Volatile.Read(ref _published);
        for (int i = 0; i < published; i++)
        {
            if (roots[i].Registration.StateType == typeof(T)) return roots[i];
        }
        throw new InvalidOperationException($"No root actor of type {typeof(T).Name} was added with AddStakker(s => s.AddRootActor<{typeof(T).Name}>())" +
            (published < roots.Length ? ", or it has not been spawned yet (a root actor's constructor finds only the roots added before it)." : "."));
    }

    /// <summary>Runs <paramref name="action"/> on Core 0's thread, outside any handler; safe from any thread</summary>
    public void Post(Action<Core> action) => Post(0, action);

    /// <summary>Runs <paramref name="action"/> on Core <paramref name="core"/>'s thread, outside any handler; safe from any thread</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not below <see cref="CoreCount"/>.</exception>
    public void Post(int core, Action<Core> action)
    {
        ThrowIfNotStarted();
        if (_set is { } set) set.Post(core, action);
        else
        {
            CheckCore(core);
            _thread!.Post(action);
        }
    }

    /// <summary>Runs <paramref name="fn"/> on Core 0's thread and returns its result; safe from any thread</summary>
    public Task<T> InvokeAsync<T>(Func<Core, T> fn) => InvokeAsync(0, fn);

    /// <summary>Runs <paramref name="fn"/> on Core <paramref name="core"/>'s thread and returns its result; safe from any thread</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not below <see cref="CoreCount"/>.</exception>
    public Task<T> InvokeAsync<T>(int core, Func<Core, T> fn)
    {
        ThrowIfNotStarted();
        if (_set is { } set) return set.InvokeAsync(core, fn);
        CheckCore(core);
        return _thread!.InvokeAsync(fn);
    }

    static void CheckCore(int core)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(core);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(core, 0);
    }

    void ThrowIfNotStarted()
    {
        if (Volatile.Read(ref _thread) is null && Volatile.Read(ref _set) is null)
            throw new InvalidOperationException(
                "Stakker has not been started: the host starts it (call host.StartAsync or Run), and AddStakker must have been called.");
    }

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Started, New) != New)
            throw new InvalidOperationException("Stakker was already started by this host; a host starts once.");
        StakkerOptions options = _options.Value;
        int count;
        int[] placement;
        try
        {
            options.Validate();
            count = options.CoreCount;
            placement = Place(_registrations.RootActors, count);
        }
        catch
        {
            Volatile.Write(ref _state, Stopped);   // nothing was started: nothing for StopAsync to stop
            throw;
        }
        _roots = new RootEntry[placement.Length];
        _coreCount = count;
        TimeProvider time = _services.GetService<TimeProvider>() ?? TimeProvider.System;
        StakkerDiagnostics diagnostics = _services.GetRequiredService<StakkerDiagnostics>();
        if (count == 1) await StartOne(options, time, diagnostics, cancellationToken).ConfigureAwait(false);
        else await StartSet(options, count, placement, time, diagnostics, cancellationToken).ConfigureAwait(false);
        LogStarted(_log, _roots.Length, count, options.ThreadName);
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

    /// <summary>The Core of each root actor: the one asked for, else the next in turn</summary>
    static int[] Place(List<RootActor> roots, int cores)
    {
        var placement = new int[roots.Count];
        int next = 0;
        for (int i = 0; i < placement.Length; i++)
        {
            if (roots[i].Core is not { } asked)
            {
                placement[i] = next;
                next = (next + 1) % cores;
                continue;
            }
            if (asked >= cores)
                throw new InvalidOperationException($"Root actor {roots[i].StateType.Name} was added on Core {asked}, but only {cores} Core(s) run " +
                    "(StakkerOptions.Cores, configuration key \"Stakker:Cores\"): Core indexes go from 0 to Cores - 1.");
            placement[i] = asked;
        }
        return placement;
    }

    async Task StartOne(StakkerOptions options, TimeProvider time, StakkerDiagnostics diagnostics, CancellationToken cancellationToken)
    {
        var thread = new CoreThread(core =>
        {
            diagnostics.Attach(core, "0");
            SpawnRoots(core, 0, 0, _roots.Length);
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
    }

    async Task StartSet(StakkerOptions options, int count, int[] placement, TimeProvider time, StakkerDiagnostics diagnostics, CancellationToken cancellationToken)
    {
        var set = new CoreSet(new CoreSetOptions { Count = count, Name = options.ThreadName, Time = time, MaxWait = options.MaxWait });
        var completion = new TaskCompletionSource<StopCause>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = set.Completion.ContinueWith(static (t, s) =>
        {
            var (runtime, completion) = ((StakkerRuntime, TaskCompletionSource<StopCause>))s!;
            if (t.IsFaulted) completion.TrySetException(t.Exception!.InnerExceptions);
            else completion.TrySetResult(StopCause.Stopped);
            runtime.OnCoreEnded(completion.Task);
        }, (this, completion), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Volatile.Write(ref _setCompletion, completion.Task);
        Volatile.Write(ref _set, set);
        try
        {
            var attached = new Task<bool>[count];
            for (int i = 0; i < count; i++)
            {
                string name = i.ToString(CultureInfo.InvariantCulture);
                attached[i] = set.InvokeAsync(i, core =>
                {
                    diagnostics.Attach(core, name);
                    return true;
                });
            }
            await Task.WhenAll(attached).WaitAsync(cancellationToken).ConfigureAwait(false);
            // In the order added, one hop per run of roots on the same Core: each root's constructor
            // can reach the roots added before it, on any Core.
            for (int i = 0; i < placement.Length;)
            {
                int core = placement[i], from = i;
                while (i < placement.Length && placement[i] == core) i++;
                int to = i;
                await set.InvokeAsync(core, c =>
                {
                    SpawnRoots(c, core, from, to);
                    return true;
                }).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            Volatile.Write(ref _state, Stopped);   // nothing left for StopAsync to stop
            await set.DisposeAsync().ConfigureAwait(false);   // joins every thread
            throw;
        }
    }

    internal async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, Stopped) != Started) return;
        if (_set is { } set)
        {
            await StopSet(set, cancellationToken).ConfigureAwait(false);
            return;
        }
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

    /// <summary>Stops the root actors one by one, last added first, each on its own Core and each
    /// ended (with its children) before the next is asked; then the set, which lets the answers in
    /// flight between Cores arrive before it closes them</summary>
    async Task StopSet(CoreSet set, CancellationToken cancellationToken)
    {
        _stopping = true;
        RootEntry[] roots = _roots;
        try
        {
            for (int i = Volatile.Read(ref _published) - 1; i >= 0; i--)
            {
                RootEntry entry = roots[i];
                await set.InvokeAsync(entry.Core, _ =>
                {
                    entry.Owner?.Dispose();
                    return true;
                }).WaitAsync(cancellationToken).ConfigureAwait(false);
                // A Core that failed meanwhile ends no more actors: its closing answers their Rets.
                await Task.WhenAny(entry.Ended.Task, set.Completion).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopTimedOut(_log);
        }
        catch (InvalidOperationException)
        {
            // A Core had stopped (it failed, which was logged): the set's stop closes the rest.
        }
        try
        {
            await set.StopAsync().ConfigureAwait(false);   // joins every thread
        }
        catch (Exception)
        {
            // A failure of the set: logged when it happened, and seen through Completion.
        }
    }

    /// <summary>On Core <paramref name="coreIndex"/>'s thread: spawns root actors <paramref name="from"/>
    /// to <paramref name="to"/> (exclusive), in order</summary>
    void SpawnRoots(Core core, int coreIndex, int from, int to)
    {
        List<RootActor> registered = _registrations.RootActors;
        RootEntry[] roots = _roots;
        for (int i = from; i < to; i++)
        {
            RootActor registration = registered[i];
            AsyncServiceScope scope = _services.CreateAsyncScope();
            var entry = new RootEntry(registration, scope, coreIndex);
            Ret<StopCause> onStop = Ret.From<StopCause>(core, answer => RootEnded(entry, answer));
            (entry.Owner, entry.Actor, entry.CrossCore) = registration.Spawn(core, scope.ServiceProvider, onStop);
            roots[i] = entry;
            Volatile.Write(ref _published, i + 1);
        }
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
        entry.Ended.TrySetResult();
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

    sealed class RootEntry(RootActor registration, AsyncServiceScope scope, int core)
    {
        internal readonly RootActor Registration = registration;
        internal readonly AsyncServiceScope Scope = scope;
        internal readonly int Core = core;
        internal readonly TaskCompletionSource Ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        internal IDisposable? Owner;
        internal object Actor = null!;
        internal object CrossCore = null!;
    }

    [LoggerMessage(1, LogLevel.Information, "Stakker started {RootActorCount} root actor(s) on {CoreCount} Core(s), thread '{ThreadName}'")]
    static partial void LogStarted(ILogger logger, int rootActorCount, int coreCount, string threadName);

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
