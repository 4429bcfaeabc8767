namespace Stakker;

/// <summary>The worker thread's end of a <see cref="PipedThread{TIn, TOut}"/></summary>
/// <remarks>Used only by the thread's function, on its own thread. Blocking here is fine: it is the
/// worker's thread, not a Core's.</remarks>
public sealed class PipedLink<TIn, TOut>
{
    readonly PipedThread<TIn, TOut> _pipes;

    internal PipedLink(PipedThread<TIn, TOut> pipes) => _pipes = pipes;

    /// <summary>Cancelled when the actor ends or disposes the pipe: pass it to blocking calls the thread makes</summary>
    public CancellationToken Token => _pipes.Cancel.Token;

    /// <summary>True once the actor has ended or disposed the pipe: the thread should return</summary>
    public bool IsCancelled => _pipes.IsClosed;

    /// <summary>Waits for the next item from the actor</summary>
    /// <returns>True with an item; false once cancelled (items still queued then are dropped).</returns>
    public bool TryReceive(out TIn item)
    {
        var input = _pipes.Input;
        for (;;)
        {
            if (_pipes.IsClosed)
            {
                item = default!;
                return false;
            }
            if (input.TryRead(out item)) return true;
            input.Park(forItems: true);
        }
    }

    /// <summary>Takes the next item from the actor if one is queued; never blocks</summary>
    /// <returns>False if none is queued, or once cancelled.</returns>
    public bool TryReceiveNow(out TIn item)
    {
        var input = _pipes.Input;
        if (!_pipes.IsClosed && input.TryRead(out item)) return true;
        item = default!;
        return false;
    }

    /// <summary>Sends <paramref name="item"/> to the actor, waiting while the output pipe is full</summary>
    /// <returns>True if queued; false once cancelled (the item is dropped: the thread should return).</returns>
    public bool Send(TOut item)
    {
        var output = _pipes.Output;
        for (;;)
        {
            if (_pipes.IsClosed) return false;
            if (output.TryWrite(item)) break;
            output.Park(forItems: false);
        }
        // The write must be visible before the waker looks at whether a wake is pending (see Waker).
        Interlocked.MemoryBarrier();
        _pipes.WakeCore();
        return true;
    }
}
