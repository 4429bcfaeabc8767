using System.Runtime.CompilerServices;
using Stakker.Async;
using Stakker.Internal;

namespace Stakker;

public sealed partial class Core
{
    CoreExtras? _extras;

    /// <summary>Async contexts, the clock's wall-time anchor and the wait source: made on first use</summary>
    internal CoreExtras Extras => _extras ??= new CoreExtras(this);

    /// <summary>Runs posted work as calls on this Core; installed as <see cref="System.Threading.SynchronizationContext.Current"/> during <see cref="Run"/></summary>
    /// <remarks>So an <c>await</c> in code running on the Core resumes on the Core, as a queued call.</remarks>
    public SynchronizationContext SynchronizationContext => Extras.SynchronizationContext;

    /// <summary>Runs tasks as calls on this Core (for <c>Task.Factory.StartNew(..., core.TaskScheduler)</c>)</summary>
    public TaskScheduler TaskScheduler => Extras.TaskScheduler;

    /// <summary>A <see cref="System.TimeProvider"/> on this Core's own (possibly virtual) time</summary>
    /// <remarks><c>Task.Delay(d, core.TimeProvider)</c>, <c>new CancellationTokenSource(d, core.TimeProvider)</c>
    /// and libraries taking a TimeProvider then run on the runtime's clock, and in tests on virtual time.</remarks>
    public TimeProvider TimeProvider => Extras.TimeProvider;

    /// <summary>The wall-clock time that <see cref="StartInstant"/> stands for, for <see cref="TimeProvider"/>'s <c>GetUtcNow</c></summary>
    /// <remarks>Defaults to the Unix epoch, so virtual time is deterministic; a real-time driver sets the real time.</remarks>
    public DateTimeOffset UtcAtStart
    {
        get => _extras?.UtcAtStart ?? DateTimeOffset.UnixEpoch;
        set => Extras.UtcAtStart = value;
    }

    /// <summary>Queues <paramref name="fn"/> as a plain call from any thread</summary>
    /// <remarks>On the Core's thread: a pooled call, no lock, no allocation. From another thread: through
    /// the wake path (one small allocation), collected at the next <see cref="Run"/>, never lost.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void PostAnyThread<TState>(Action<TState> fn, TState state)
    {
        if (t_running == this || Environment.CurrentManagedThreadId == _threadId) Push(PlainCall(fn, state));
        else if (!TracesForeign) _wakes.PostWork(new RemoteWork<TState>(fn, state));
        else _wakes.PostWork(Stakker.CrossCore.TraceCarry.Foreign(new RemoteWork<TState>(fn, state)));   // carries this thread's activity
    }

    /// <summary>Queues <paramref name="action"/> to run on this Core; callable from any thread</summary>
    /// <remarks>From another thread this goes through the wake path (one small allocation); inside a
    /// handler, queue calls to actors instead (<see cref="Actor{T}.Call(ActorCall{T})"/>).</remarks>
    public void PostFromAnyThread(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        PostAnyThread(static a => a(), action);
    }

    /// <summary>Starts a plain async body on this Core and returns its task; callable from any thread</summary>
    /// <remarks>On the Core's thread the body starts at once; from another thread it starts at the
    /// Core's next <see cref="Run"/>. Either way it runs with the Core's synchronization context, so
    /// its awaits resume on the Core, and the returned task completes as the body does (its exception
    /// or cancellation included). For a body whose result an actor wants, pass a Ret instead:
    /// <see cref="Pipes.SpawnTask{T}(Core, Func{Task{T}}, Ret{T})"/>.</remarks>
    public Task<T> RunAsync<T>(Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (IsOnThread) return StartOnCore(body);
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        PostAnyThread(static s => s.Core.StartOnCore(s.Body).ContinueWith(
            static (t, o) => ((TaskCompletionSource<T>)o!).TrySetFromTask(t), s.Tcs,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default),
            (Core: this, Body: body, Tcs: tcs));
        return tcs.Task;
    }

    /// <summary>Starts a plain async body on this Core and returns its task (see <see cref="RunAsync{T}(Func{Task{T}})"/>)</summary>
    public Task RunAsync(Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return RunAsync(async () =>
        {
            await body().ConfigureAwait(true);
            return true;
        });
    }

    Task<T> StartOnCore<T>(Func<Task<T>> body)
    {
        if (_disposed) ThrowHelper.ThrowDisposed();
        SynchronizationContext? prev = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(SynchronizationContext);
        try { return body(); }
        catch (Exception ex) { return Task.FromException<T>(ex); }
        finally { SynchronizationContext.SetSynchronizationContext(prev); }
    }

    /// <summary>The thread the Core belongs to (managed thread id)</summary>
    public int ThreadId => _threadId;

    /// <summary>True when called on the Core's thread</summary>
    public bool IsOnThread => t_running == this || Environment.CurrentManagedThreadId == _threadId;
}
