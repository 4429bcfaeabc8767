using System.Threading.Tasks.Sources;
using Stakker.Internal;

namespace Stakker.Async;

/// <summary>Contexts of a Core that take continuations without allocating</summary>
internal interface ICoreContext
{
    /// <summary>Queues <paramref name="continuation"/> to run on the Core (callable from any thread)</summary>
    void PostContinuation(Action<object?> continuation, object? state);
}

/// <summary>One pending continuation of a pooled value-task source, and where it must run</summary>
/// <remarks>
/// The scheduling rule for every source in this folder: a continuation captured under a Core's
/// context (the Core's own or an actor's) is queued back through that context as a pooled call, so
/// it never runs inside the handler that completed it and allocates nothing. One captured under a
/// foreign context is posted there; one with no context goes to the thread pool.
/// </remarks>
internal struct Continuation
{
    // Kept after firing, and stored again only when they change: an async loop awaiting the same
    // pooled source registers the same delegate, box and context every time (each store is a GC
    // write barrier). _armed says whether a continuation is pending.
    Action<object?>? _fn;
    object? _state;
    object? _scheduler;
    bool _armed;

    internal void Set(Action<object?> fn, object? state, ValueTaskSourceOnCompletedFlags flags)
    {
        if (_armed) throw new InvalidOperationException("Another continuation was already registered: a ValueTask may be awaited only once.");
        object? scheduler = (flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) != 0 ? SynchronizationContext.Current : null;
        Store.IfChanged(ref _fn, fn);
        Store.IfChanged(ref _state, state);
        Store.IfChanged(ref _scheduler, scheduler);
        _armed = true;
    }

    /// <summary>Lets go of a fired continuation's delegate, state and context (kept for store-skipping)</summary>
    internal void Scrub()
    {
        if (_armed) return;
        _fn = null;
        _state = null;
        _scheduler = null;
    }

    /// <summary>Schedules the continuation (if any) and disarms it</summary>
    internal void Fire()
    {
        if (!_armed) return;
        _armed = false;
        Action<object?> fn = _fn!;
        object? state = _state;
        object? scheduler = _scheduler;
        switch (scheduler)
        {
            case ICoreContext core:
                core.PostContinuation(fn, state);
                break;
            case SynchronizationContext sc:
                sc.Post(static s => { var (f, st) = ((Action<object?>, object?))s!; f(st); }, (fn, state));
                break;
            default:
                ThreadPool.UnsafeQueueUserWorkItem(fn, state, preferLocal: false);
                break;
        }
    }
}

/// <summary>Shared bits of the pooled value-task sources</summary>
internal static class SourceStatus
{
    /// <summary>The status a completed (or pending) source reports</summary>
    internal static ValueTaskSourceStatus Of(bool done, Exception? error) =>
        !done ? ValueTaskSourceStatus.Pending :
        error switch
        {
            null => ValueTaskSourceStatus.Succeeded,
            OperationCanceledException => ValueTaskSourceStatus.Canceled,
            _ => ValueTaskSourceStatus.Faulted,
        };
}
