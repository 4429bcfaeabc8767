using Stakker.Actors;
using Stakker.Threads;

namespace Stakker;

/// <summary>A worker thread linked to an actor by two bounded pipes: <typeparamref name="TIn"/> to the
/// thread, <typeparamref name="TOut"/> back to the actor as calls</summary>
/// <remarks>
/// <para>Made in a handler with <see cref="Start{TActor}"/>, kept in the actor's state. The actor
/// sends with <see cref="TrySend"/> or <see cref="Send"/>, which never block. The thread's function
/// receives with <see cref="PipedLink{TIn, TOut}.TryReceive"/> (blocking, on its own thread) and
/// answers with <see cref="PipedLink{TIn, TOut}.Send"/>; each output reaches the actor as a call
/// through the <c>output</c> Fwd, in order. Outputs cross in batches: one wake of the Core per batch
/// (<see cref="Waker"/>), however many items it holds.</para>
/// <para>The thread's end is reported through the same Fwd's end handler: <see cref="StreamEnd.Normal"/>
/// when its function returned, a failure carrying the exception when it threw. Outputs sent before the
/// end arrive before it.</para>
/// <para>When the actor ends, or calls <see cref="Dispose"/>, both pipes close: the thread's
/// <c>TryReceive</c> returns false (inputs still queued are dropped), its <c>Send</c> returns false
/// and drops, and <see cref="PipedLink{TIn, TOut}.Token"/> is cancelled. The thread should then
/// return. After <see cref="Dispose"/> no more outputs are delivered, only the end report.</para>
/// <para>Memory is bounded (decision 055): each pipe holds at most <see cref="Capacity"/> items. A
/// full input pipe makes <see cref="TrySend"/> return false (and <see cref="Send"/> throw): the actor
/// paces itself, typically by keeping at most <see cref="Capacity"/> requests unanswered. A full
/// output pipe blocks the thread's <c>Send</c> until the Core has taken the batch, so a flooding
/// thread runs at the actor's speed.</para>
/// <para>Everything here except the link is used on the actor's Core thread.</para>
/// </remarks>
public sealed class PipedThread<TIn, TOut> : IDisposable
{
    readonly Core _core;
    readonly Fwd<TOut> _output;
    readonly Waker _waker;
    readonly Thread _thread;
    readonly OwnerEnd _ownerEnd;
    internal readonly SpscPipe<TIn> Input;
    internal readonly SpscPipe<TOut> Output;
    internal readonly CancellationTokenSource Cancel = new();
    Action<PipedLink<TIn, TOut>>? _run;
    /// <summary>Set by the thread before it lets go of the waker, read on the Core after</summary>
    Exception? _error;
    bool _disposed;
    bool _threadEnded;
    /// <summary>1 once the actor let go: the one flag the thread's side reads (see <see cref="Close"/>)</summary>
    int _closed;

    PipedThread(Core core, Action<PipedLink<TIn, TOut>> run, Fwd<TOut> output, int capacity, string name)
    {
        _core = core;
        _output = output;
        _run = run;
        Input = new SpscPipe<TIn>(capacity);
        Output = new SpscPipe<TOut>(capacity);
        _waker = core.CreateWaker(Fwd.From<bool>(core, OnWake));
        _ownerEnd = new OwnerEnd(this);
        _thread = new Thread(ThreadMain) { Name = name, IsBackground = true };
    }

    /// <summary>Starts a worker thread owned by the actor of <paramref name="cx"/></summary>
    /// <param name="cx">The handler's context: the thread is cancelled when this actor ends.</param>
    /// <param name="run">The thread's function. Loop on <c>link.TryReceive(out var item)</c> and
    /// <c>link.Send(result)</c>; return when they return false.</param>
    /// <param name="output">Where outputs go (usually <c>cx.Fwd&lt;TOut&gt;(onItem, onEnd)</c>); its end
    /// handler hears the thread's end or failure.</param>
    /// <param name="capacity">Most items each pipe holds (default 1,024).</param>
    /// <param name="name">The thread's name, for debuggers and dumps.</param>
    public static PipedThread<TIn, TOut> Start<TActor>(Cx<TActor> cx, Action<PipedLink<TIn, TOut>> run, Fwd<TOut> output,
        int capacity = 1024, string? name = null) where TActor : class
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(output);
        ActorCell<TActor> cell = cx.This.Cell!;
        Core core = cell.Core;
        core.CheckThread();
        var t = new PipedThread<TIn, TOut>(core, run, output, capacity, name ?? "Stakker PipedThread");
        cell.Extras.Add(t._ownerEnd);
        t._thread.Start();
        return t;
    }

    /// <summary>Most items each pipe holds</summary>
    public int Capacity => Input.Capacity;

    /// <summary>Items sent to the thread and not yet received by it</summary>
    public int InputCount => Input.Count;

    /// <summary>True once the actor disposed this or ended</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Queues <paramref name="item"/> for the thread; false, without queueing, if the input pipe is full</summary>
    /// <remarks>Never blocks. After the thread has ended on its own, items are dropped (as calls to
    /// an ended actor are) until its end report arrives.</remarks>
    /// <exception cref="ObjectDisposedException">The actor disposed this pipe, or ended.</exception>
    public bool TrySend(TIn item)
    {
        _core.CheckThread();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_threadEnded) return true;
        if (!Input.TryWrite(item)) return false;
        Input.Unpark();
        return true;
    }

    /// <summary>Queues <paramref name="item"/> for the thread; never blocks</summary>
    /// <exception cref="InvalidOperationException">The input pipe is full: the actor sent
    /// <see cref="Capacity"/> items the thread has not taken yet.</exception>
    /// <exception cref="ObjectDisposedException">The actor disposed this pipe, or ended.</exception>
    public void Send(TIn item)
    {
        if (!TrySend(item))
            throw new InvalidOperationException($"The piped thread's input pipe is full ({Capacity} items): pace sends by the thread's outputs, or use TrySend.");
    }

    /// <summary>Closes both pipes and cancels the thread's token; the end report still arrives</summary>
    /// <remarks>Does not wait for the thread (a Core thread never blocks); see <see cref="Join"/>.</remarks>
    public void Dispose()
    {
        _core.CheckThread();
        if (_disposed) return;
        _ownerEnd.Unregister();
        Close();
    }

    /// <summary>Blocks until the thread has ended, or <paramref name="timeout"/> passes</summary>
    /// <returns>True if the thread has ended.</returns>
    /// <remarks>For tests and shutdown code off the Core; on the Core's thread it stalls every actor.</remarks>
    public bool Join(TimeSpan timeout) => _thread.Join(timeout);

    /// <summary>True once the actor has ended or disposed the pipe; read by the thread's side</summary>
    /// <remarks>Whoever sees it set also sees the token cancelled, and neither pipe accepts or gives
    /// anything after it.</remarks>
    internal bool IsClosed => Volatile.Read(ref _closed) != 0;

    void Close()
    {
        _disposed = true;
        // Cancel, then the flag, then wake the parked side: a thread that wakes, or sees the flag,
        // must find every other sign of the end already set. Closing the pipes first let a thread
        // leave TryReceive and still find its token uncancelled and Send accepting.
        try
        {
            Cancel.Cancel();
        }
        finally
        {
            // A callback the thread registered on its token may throw: the pipes close all the same.
            Internal.YieldPoint.Here();
            Volatile.Write(ref _closed, 1);
            Input.Close();
            Output.Close();
        }
    }

    void ThreadMain()
    {
        Action<PipedLink<TIn, TOut>> run = _run!;
        _run = null;
        try
        {
            run(new PipedLink<TIn, TOut>(this));
        }
        catch (OperationCanceledException) when (Cancel.IsCancellationRequested)
        {
            // Cancelled because its actor let go: that is the normal way for it to end.
        }
        catch (Exception ex)
        {
            _error = ex;
        }
        finally
        {
            // The waker's "dropped" call carries the end to the Core, after every output sent before it.
            _waker.Dispose();
        }
    }

    /// <summary>Wakes from the thread, on the Core's thread: a batch of outputs, or the thread's end</summary>
    void OnWake(bool threadEnded)
    {
        if (!_disposed)
        {
            // Only what is there now: outputs written during this batch wake the Core again.
            int n = threadEnded ? int.MaxValue : Output.Count;
            while (n-- > 0 && Output.TryRead(out TOut item))
            {
                if (!_output.IsEnded) _output.Send(item);
            }
            Output.Unpark();
        }
        if (!threadEnded) return;
        _threadEnded = true;
        if (_output.IsEnded) return;
        if (_error is { } error) _output.Fail(error);
        else _output.End();
    }

    internal void WakeCore() => _waker.Wake();

    /// <summary>Cancels the thread when its owning actor ends</summary>
    sealed class OwnerEnd(PipedThread<TIn, TOut> owner) : ActorEndListener
    {
        internal override void ActorEnded() => owner.Close();
    }
}
