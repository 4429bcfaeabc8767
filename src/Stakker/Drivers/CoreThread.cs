using System.Collections.Concurrent;

namespace Stakker;

/// <summary>Runs a <see cref="Core"/> on a dedicated thread with real (or supplied) time</summary>
/// <remarks>
/// <para>The thread makes the Core, calls the start action on it, then loops: run everything due
/// at the current time, then sleep until the next timer or a wake (socket completions and
/// <see cref="Post"/> wake it through the Core's <see cref="Waker"/> path). The loop ends when the
/// Core is shut down (<see cref="Core.Shutdown"/>, e.g. by a top actor's
/// <see cref="Ret.Shutdown(Core)"/>) or when <see cref="Stop"/> is called; the Core is then
/// disposed on its thread and <see cref="Completion"/> completes.</para>
/// <para>Only <see cref="Post"/>, <see cref="InvokeAsync{T}"/>, <see cref="Stop"/>,
/// <see cref="Dispose"/> and <see cref="Completion"/> may be used from other threads. For one Core
/// per processor, make one CoreThread each.</para>
/// <para>An exception escaping <see cref="Core.Run"/> (from a plain callback; actor failures never
/// escape) ends the loop and faults <see cref="Completion"/>.</para>
/// </remarks>
public sealed class CoreThread : IDisposable
{
    readonly TimeProvider _time;
    readonly TimeSpan _maxWait;
    /// <summary>Actions posted before the Core existed; after that, posts go straight to the Core</summary>
    readonly ConcurrentQueue<Action<Core>> _posted = new();
    readonly CancellationTokenSource _stop = new();
    readonly TaskCompletionSource<StopCause> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Thread _thread;
    Action<Core>? _start;
    Core? _core;

    /// <summary>Starts the thread; <paramref name="start"/> runs first on it, with the new Core</summary>
    /// <param name="start">Spawns the top actors (and usually gives them <see cref="Ret.Shutdown(Core)"/>).</param>
    /// <param name="name">Thread name, for debuggers and dumps.</param>
    /// <param name="time">Clock to drive the Core with; <see cref="TimeProvider.System"/> if null. A
    /// test clock that is moved by hand must be followed by <see cref="Post"/> (any action) so the
    /// loop looks at it again.</param>
    /// <param name="maxWait">Longest sleep between two runs when no timer is due (default 1 s).</param>
    public CoreThread(Action<Core> start, string name = "Stakker Core", TimeProvider? time = null, TimeSpan? maxWait = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        _start = start;
        _time = time ?? TimeProvider.System;
        _maxWait = maxWait ?? TimeSpan.FromSeconds(1);
        _thread = new Thread(Loop) { Name = name, IsBackground = true };
        // The loop outlives whatever started it: it must not run under the starter's async-locals
        // (Activity.Current above all, which would make that activity the parent of every call).
        if (ExecutionContext.IsFlowSuppressed()) _thread.Start();
        else
        {
            using (ExecutionContext.SuppressFlow()) _thread.Start();
        }
    }

    /// <summary>Completes with the shutdown cause when the loop has ended (faulted if the loop threw)</summary>
    public Task<StopCause> Completion => _done.Task;

    /// <summary>Completes once the start action has run (faulted if it threw)</summary>
    public Task Started => _started.Task;

    /// <summary>Runs <paramref name="action"/> on the Core's thread, outside any handler; safe from any thread</summary>
    /// <remarks>Actions posted after the loop ended are dropped.</remarks>
    public void Post(Action<Core> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        // Before the Core exists the action waits here; the thread runs it right after start.
        // Afterwards it is queued on the Core like any cross-thread post: after calls already queued.
        if (Volatile.Read(ref _core) is { } core) core.PostFromAnyThread(() => action(core));
        else
        {
            _posted.Enqueue(action);
            Internal.YieldPoint.Here();
            if (Volatile.Read(ref _core) is { } late) late.PostFromAnyThread(() => RunPosted(late));   // raced with start
        }
    }

    /// <summary>Runs <paramref name="fn"/> on the Core's thread and returns its result</summary>
    public Task<T> InvokeAsync<T>(Func<Core, T> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(core =>
        {
            try { tcs.SetResult(fn(core)); }
            catch (Exception ex) { tcs.SetException(ex); }
        });
        return tcs.Task;
    }

    /// <summary>Asks the loop to end after its current run; safe from any thread</summary>
    public void Stop()
    {
        _stop.Cancel();
    }

    /// <summary>Stops the loop and waits up to five seconds for the thread to end</summary>
    public void Dispose()
    {
        Stop();
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(5));
    }

    void Loop()
    {
        Core? made = null;
        try
        {
            var core = made = new Core(Instant.Now(_time));
            try
            {
                Action<Core> start = _start!;
                _start = null;
                start(core);
                _started.TrySetResult();
            }
            catch (Exception ex)
            {
                _started.TrySetException(ex);
                throw;
            }
            Volatile.Write(ref _core, core);
            RunPosted(core);   // anything posted before the Core was published
            StopCause cause = RealTimeDriver.Run(core, _time, _maxWait, _stop.Token) ?? StopCause.Stopped;
            Volatile.Write(ref _core, null);
            core.Dispose();
            _done.TrySetResult(cause);
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _core, null);
            // Dispose the Core even so: other Cores' calls in flight to it are returned, and every Ret
            // that crossed to or from it answers "no value" rather than never.
            if (made is not null)
            {
                try { made.Dispose(); }
                catch (Exception) { /* the loop's own exception is the one reported */ }
            }
            _started.TrySetException(ex);
            _done.TrySetException(ex);
        }
    }

    void RunPosted(Core core)
    {
        while (_posted.TryDequeue(out Action<Core>? a)) a(core);
    }
}
