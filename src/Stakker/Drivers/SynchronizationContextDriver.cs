namespace Stakker;

/// <summary>Runs a <see cref="Core"/> on an existing <see cref="SynchronizationContext"/>: a UI thread's dispatcher, or any single-threaded loop</summary>
/// <remarks>
/// <para>The Core is made on the context (through <see cref="SynchronizationContext.Post"/>), and
/// every run of it is a posted item there, between the loop's own work: the start action, actor
/// handlers, timers and calls from other threads all run on the context's thread. Nothing ever
/// blocks that thread: when no work is due, a timer on the driver's clock posts the next
/// run for the next timer, and a wake from another thread posts one at once. Idle calls run one per
/// posted item, so the loop's own events interleave with them.</para>
/// <para>Code already on the context's thread (a button's click handler) may call actors directly;
/// such calls queue on the Core, so follow them with <see cref="RunSoon"/>, or make them inside
/// <see cref="Post"/>, which does that for you.</para>
/// <para>The loop ends when the Core is shut down (<see cref="Core.Shutdown"/>) or <see cref="Stop"/>
/// is called: the Core is disposed on the context and <see cref="Completion"/> completes. An
/// exception escaping <see cref="Core.Run"/> (from a plain callback) ends it too, faulting
/// <see cref="Completion"/>.</para>
/// <para>The context must run posted items one at a time on one thread, in order (as UI
/// dispatchers do); a pool-backed context is not a loop to drive a Core from.</para>
/// </remarks>
public sealed class SynchronizationContextDriver : IDisposable
{
    readonly SynchronizationContext _context;
    readonly TimeProvider _time;
    readonly TimeSpan _maxWait;
    readonly TaskCompletionSource<StopCause> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly ITimer _timer;
    Action<Core>? _start;
    Core? _core;
    long _t0;
    Instant _startInstant;
    bool _idlePending;
    int _runPosted;
    int _stopRequested;
    bool _ended;

    /// <summary>Posts the Core's creation to <paramref name="context"/>; <paramref name="start"/> runs there with the new Core</summary>
    /// <param name="context">The loop to run on, for example <c>SynchronizationContext.Current</c> on a UI thread.</param>
    /// <param name="start">Spawns the top actors (and usually gives them <see cref="Ret.Shutdown(Core)"/>).</param>
    /// <param name="time">The clock (default <see cref="TimeProvider.System"/>); its timers post the runs for the Core's timers.</param>
    /// <param name="maxWait">Longest gap between two runs when nothing is due (default 1 s).</param>
    public SynchronizationContextDriver(SynchronizationContext context, Action<Core> start, TimeProvider? time = null, TimeSpan? maxWait = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(start);
        _context = context;
        _start = start;
        _time = time ?? TimeProvider.System;
        _maxWait = maxWait ?? TimeSpan.FromSeconds(1);
        _timer = _time.CreateTimer(static s => ((SynchronizationContextDriver)s!).RunSoon(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _runPosted = 1;   // the start counts as the posted run
        _context.Post(static s => ((SynchronizationContextDriver)s!).StartOnContext(), this);
    }

    /// <summary>Completes once the start action has run on the context (faulted if it threw)</summary>
    public Task Started => _started.Task;

    /// <summary>Completes with the shutdown cause when the loop has ended (faulted if a run threw)</summary>
    public Task<StopCause> Completion => _done.Task;

    /// <summary>The Core, once started; use it on the context's thread only</summary>
    public Core? Core => Volatile.Read(ref _core);

    /// <summary>Makes sure a run of the Core is posted to the context; safe from any thread, cheap when one is already posted</summary>
    /// <remarks>Call it after calling actors from code already on the context's thread, outside a handler.</remarks>
    public void RunSoon()
    {
        if (Interlocked.Exchange(ref _runPosted, 1) == 0)
            _context.Post(static s => ((SynchronizationContextDriver)s!).RunOnContext(), this);
    }

    /// <summary>Runs <paramref name="action"/> on the context with the Core, then runs the Core; safe from any thread</summary>
    public void Post(Action<Core> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _context.Post(static s =>
        {
            var (driver, act) = ((SynchronizationContextDriver, Action<Core>))s!;
            if (driver._core is { } core && !driver._ended)
            {
                act(core);
                driver.RunSoon();
            }
        }, (this, action));
    }

    /// <summary>Asks the loop to end at its next run; safe from any thread</summary>
    public void Stop()
    {
        Volatile.Write(ref _stopRequested, 1);
        RunSoon();
    }

    /// <summary>Same as <see cref="Stop"/>: the Core is disposed on the context, not here</summary>
    public void Dispose() => Stop();

    Instant Now() => _startInstant + _time.GetElapsedTime(_t0);

    void StartOnContext()
    {
        try
        {
            var core = new Core(Instant.Now(_time));
            _t0 = _time.GetTimestamp();
            _startInstant = core.Now;
            core.UtcAtStart = _time.GetUtcNow();
            core.SetPollWaker(RunSoon);
            Action<Core> start = _start!;
            _start = null;
            start(core);
            Volatile.Write(ref _core, core);
            _started.TrySetResult();
        }
        catch (Exception ex)
        {
            _started.TrySetException(ex);
            _done.TrySetException(ex);
            _ended = true;
            _timer.Dispose();
            return;
        }
        RunOnContext();
    }

    void RunOnContext()
    {
        if (_ended || _core is not { } core) return;
        // Cleared before the run: a wake during it posts the next run.
        Interlocked.Exchange(ref _runPosted, 0);
        try
        {
            if (Volatile.Read(ref _stopRequested) == 0 && !core.IsShutdown)
                _idlePending = core.Run(Now(), idle: _idlePending);
        }
        catch (Exception ex)
        {
            End(core, null, ex);
            return;
        }
        if (Volatile.Read(ref _stopRequested) != 0 || core.IsShutdown)
        {
            End(core, core.ShutdownCause ?? StopCause.Stopped, null);
            return;
        }
        if (_idlePending) RunSoon();
        else _timer.Change(core.NextWait(Now(), _maxWait), Timeout.InfiniteTimeSpan);
    }

    void End(Core core, StopCause? cause, Exception? error)
    {
        _ended = true;
        _timer.Dispose();
        try { core.Dispose(); }
        catch (Exception ex) { error ??= ex; }
        Volatile.Write(ref _core, null);
        if (error is not null) _done.TrySetException(error);
        else _done.TrySetResult(cause!);
    }
}
