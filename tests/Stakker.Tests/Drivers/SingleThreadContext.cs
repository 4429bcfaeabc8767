using System.Collections.Concurrent;

namespace Stakker.Tests.Drivers;

/// <summary>A UI-like loop: one thread running posted items one at a time, in order</summary>
internal sealed class SingleThreadContext : SynchronizationContext, IDisposable
{
    readonly BlockingCollection<(SendOrPostCallback Fn, object? State)> _items = new();
    readonly Thread _thread;

    public SingleThreadContext()
    {
        _thread = new Thread(Loop) { Name = "test UI loop", IsBackground = true };
        _thread.Start();
    }

    public int ThreadId => _thread.ManagedThreadId;

    /// <summary>Exceptions that escaped posted items (a UI loop would crash on them)</summary>
    public readonly ConcurrentQueue<Exception> Escaped = new();

    public override void Post(SendOrPostCallback d, object? state)
    {
        // After the loop has ended, posts are dropped, as a closed dispatcher drops them.
        try { _items.Add((d, state)); }
        catch (InvalidOperationException) when (_items.IsAddingCompleted) { }
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

    void Loop()
    {
        SetSynchronizationContext(this);
        foreach (var (fn, state) in _items.GetConsumingEnumerable())
        {
            try { fn(state); }
            catch (Exception ex) { Escaped.Enqueue(ex); }
        }
    }

    public void Dispose()
    {
        _items.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(30));
    }
}
