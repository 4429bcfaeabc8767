using System.Runtime.ExceptionServices;

namespace Stakker;

/// <summary>Several Cores, each on a thread of its own, started and stopped together: the way to use
/// every processor</summary>
/// <remarks>
/// <para>Each Core stays single-threaded; actors on different Cores talk through
/// <see cref="CrossCoreActor{T}"/> handles, whose calls cross in batches. Spawn root actors on a
/// chosen Core (<see cref="SpawnAsync{T}(int, ActorInit{T})"/>), spread them round-robin
/// (<see cref="SpawnAsync{T}(ActorInit{T})"/>), or shard by key (<see cref="CoreFor{TKey}"/>).</para>
/// <para><see cref="StopAsync"/> stops in order: every root actor ends (so every actor's held Rets
/// answer "no value" and their owners hear why), then the Cores keep running until the answers in
/// flight between them have arrived (bounded by <see cref="CoreSetOptions.StopTimeout"/>), then each
/// Core is closed, which answers "no value" to any Ret still crossing. Every outstanding Ret is
/// answered.</para>
/// <para>A failure is not left unobserved: if a root actor fails or is killed, or a Core's loop
/// throws, the whole set stops and <see cref="Completion"/> faults with that exception.</para>
/// </remarks>
public sealed class CoreSet : IAsyncDisposable
{
    readonly CoreThread[] _threads;
    /// <summary>Root owners per Core; each list is touched only on its Core's thread</summary>
    readonly List<IDisposable>[] _roots;
    readonly TimeSpan _stopTimeout;
    readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Lock _sync = new();
    Task? _stopping;
    Exception? _failure;
    int _next = -1;

    /// <summary>Starts the Cores</summary>
    public CoreSet(CoreSetOptions? options = null)
    {
        options ??= new CoreSetOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Count, 1, nameof(options.Count));
        int capacity = options.CrossCoreCapacity;
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1, nameof(options.CrossCoreCapacity));
        _stopTimeout = options.StopTimeout;
        _threads = new CoreThread[options.Count];
        _roots = new List<IDisposable>[options.Count];
        for (int i = 0; i < _threads.Length; i++)
        {
            _roots[i] = [];
            _threads[i] = new CoreThread(core => core.CrossCoreCapacity = capacity, options.Name + " " + i, options.Time, options.MaxWait);
            _threads[i].Completion.ContinueWith(static (t, s) =>
            {
                var set = (CoreSet)s!;
                if (t.IsFaulted) set.Fail(t.Exception!.InnerException ?? t.Exception);
                else if (set._stopping is null) set.Fail(new InvalidOperationException("A Core of the set shut down by itself (Core.Shutdown was called on it): the set stops with it."));
            }, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Number of Cores</summary>
    public int Count => _threads.Length;

    /// <summary>Completes when every Core has stopped; faulted if a Core or a root actor failed</summary>
    public Task Completion => _done.Task;

    /// <summary>The Core index for <paramref name="key"/>, for sharding state by key</summary>
    /// <remarks>Stable within the process (string hashes differ between processes).</remarks>
    public int CoreFor<TKey>(TKey key) where TKey : notnull =>
        (int)((uint)EqualityComparer<TKey>.Default.GetHashCode(key) % (uint)_threads.Length);

    /// <summary>Runs <paramref name="action"/> on Core <paramref name="core"/>'s thread; safe from any thread</summary>
    public void Post(int core, Action<Core> action) => Thread(core).Post(action);

    /// <summary>Runs <paramref name="fn"/> on Core <paramref name="core"/>'s thread and returns its result</summary>
    /// <remarks>Faults with <see cref="InvalidOperationException"/> if that Core stops first.</remarks>
    public Task<TResult> InvokeAsync<TResult>(int core, Func<Core, TResult> fn) => Invoke(Thread(core), fn);

    /// <summary>Spawns a root actor on Core <paramref name="core"/> and returns a handle any thread may call</summary>
    /// <remarks>The set owns the actor until <see cref="StopAsync"/>; if it fails, the set stops.</remarks>
    public Task<CrossCoreActor<T>> SpawnAsync<T>(int core, ActorInit<T> init) where T : class
    {
        ArgumentNullException.ThrowIfNull(init);
        return Spawn(core, (c, notify) => c.Spawn(init, notify));
    }

    /// <summary>Spawns a root actor on the next Core in turn</summary>
    public Task<CrossCoreActor<T>> SpawnAsync<T>(ActorInit<T> init) where T : class => SpawnAsync(NextCore(), init);

    /// <summary>Spawns a root actor on Core <paramref name="core"/>, initialised from one argument</summary>
    public Task<CrossCoreActor<T>> SpawnAsync<T, T1>(int core, ActorInit<T, T1> init, T1 arg1) where T : class
    {
        ArgumentNullException.ThrowIfNull(init);
        return Spawn(core, (c, notify) => c.Spawn(init, arg1, notify));
    }

    int NextCore() => (int)((uint)Interlocked.Increment(ref _next) % (uint)_threads.Length);

    Task<CrossCoreActor<T>> Spawn<T>(int index, Func<Core, Ret<StopCause>, ActorOwn<T>> spawn) where T : class
    {
        CoreThread thread = Thread(index);
        if (Volatile.Read(ref _stopping) is not null) throw new InvalidOperationException("The set of Cores is stopping: no more actors can be spawned on it.");
        List<IDisposable> roots = _roots[index];
        return Invoke(thread, core =>
        {
            ActorOwn<T>? own = null;
            own = spawn(core, Ret.From<StopCause>(core, a => RootEnded(roots, own, a.GetValueOrDefault(StopCause.Dropped))));
            roots.Add(own);
            return own.Actor.CrossCore();
        });
    }

    void RootEnded(List<IDisposable> roots, IDisposable? own, StopCause cause)
    {
        if (own is not null) roots.Remove(own);
        if (cause.Kind is StopKind.Failed or StopKind.Killed)
            Fail(new CoreSetFailedException("A root actor of the set of Cores ended with " + cause + ".", cause.Error));
    }

    CoreThread Thread(int core)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(core);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(core, _threads.Length);
        return _threads[core];
    }

    static async Task<TResult> Invoke<TResult>(CoreThread thread, Func<Core, TResult> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        Task<TResult> call = thread.InvokeAsync(fn);
        // A Core whose loop has ended never runs what is posted to it: don't wait for it forever.
        if (await Task.WhenAny(call, thread.Completion).ConfigureAwait(false) != call && !call.IsCompleted)
            throw new InvalidOperationException("The Core stopped before it could run this.");
        return await call.ConfigureAwait(false);
    }

    void Fail(Exception error)
    {
        lock (_sync) _failure ??= error;
        _ = StopAsync();
    }

    /// <summary>Stops every Core in order, answering every outstanding Ret; completes with <see cref="Completion"/></summary>
    public Task StopAsync()
    {
        lock (_sync) _stopping ??= Task.Run(StopInOrder);
        return _stopping;
    }

    async Task StopInOrder()
    {
        // 1. End the root actors (and so every actor under them) on every Core.
        await Each((i, core) =>
        {
            List<IDisposable> roots = _roots[i];
            foreach (IDisposable own in roots.ToArray()) own.Dispose();
            roots.Clear();
            return true;
        }).ConfigureAwait(false);
        // 2. Let what the endings sent (answers, final calls) cross: until nothing is in flight and
        //    nothing new was sent between two looks, or the timeout.
        long lastSent = -1;
        var deadline = DateTime.UtcNow + _stopTimeout;
        while (DateTime.UtcNow < deadline)
        {
            (long Sent, long InFlight)[] looks = await Each(static (_, core) => (core.Links.Sent, core.Links.InFlight)).ConfigureAwait(false);
            long sent = 0, inFlight = 0;
            foreach (var (s, f) in looks) { sent += s; inFlight += f; }
            if (inFlight == 0 && sent == lastSent) break;
            lastSent = inFlight == 0 ? sent : -1;
            await Task.Yield();
        }
        // 3. Close each Core: its loop ends and the Core is disposed on its thread, answering
        //    "no value" for whatever still crosses.
        foreach (CoreThread t in _threads) t.Stop();
        foreach (CoreThread t in _threads)
        {
            try { await t.Completion.ConfigureAwait(false); }
            catch (Exception) { /* reported through Fail by the watcher */ }
            t.Dispose();   // joins the thread
        }
        Exception? failure;
        lock (_sync) failure = _failure;
        if (failure is null) _done.TrySetResult();
        else _done.TrySetException(failure);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>Runs <paramref name="fn"/> on every Core (given its index); a Core that has stopped gives default</summary>
    async Task<TResult[]> Each<TResult>(Func<int, Core, TResult> fn)
    {
        var calls = new Task<TResult>[_threads.Length];
        for (int i = 0; i < calls.Length; i++)
        {
            int index = i;
            calls[i] = Invoke(_threads[i], core => fn(index, core));
        }
        var results = new TResult[calls.Length];
        for (int i = 0; i < calls.Length; i++)
        {
            try { results[i] = await calls[i].ConfigureAwait(false); }
            catch (InvalidOperationException) { /* that Core has stopped: its failure is reported */ }
        }
        return results;
    }

    /// <summary>Stops the set (<see cref="StopAsync"/>); does not throw for a failure (see <see cref="Completion"/>)</summary>
    public async ValueTask DisposeAsync()
    {
        try { await StopAsync().ConfigureAwait(false); }
        catch (Exception) { /* observed through Completion */ }
    }
}

/// <summary>A set of Cores stopped because one of its root actors or Cores failed</summary>
public sealed class CoreSetFailedException : Exception
{
    /// <summary>Creates the exception</summary>
    public CoreSetFailedException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception</summary>
    public CoreSetFailedException(string message) : base(message) { }

    /// <summary>Creates the exception</summary>
    public CoreSetFailedException() : base("A set of Cores failed.") { }
}
