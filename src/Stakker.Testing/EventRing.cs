using System.Collections;

namespace Stakker.Testing;

/// <summary>The trace's storage: grows up to a capacity, then overwrites its oldest event, so a long
/// run keeps its tail in constant memory and constant time per event</summary>
internal sealed class EventRing : IReadOnlyList<TraceEvent>
{
    readonly int _capacity;
    TraceEvent[] _items;
    int _head;

    public EventRing(int capacity)
    {
        _capacity = capacity <= 0 ? int.MaxValue : capacity;
        _items = new TraceEvent[Math.Min(16, _capacity)];
    }

    public int Count { get; private set; }

    public TraceEvent this[int index] =>
        (uint)index < (uint)Count ? _items[(_head + index) % _items.Length] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Adds an event; true if the oldest one was dropped to make room</summary>
    public bool Add(TraceEvent e)
    {
        if (Count == _items.Length && Count < _capacity) Grow();
        if (Count < _items.Length)
        {
            _items[(_head + Count) % _items.Length] = e;
            Count++;
            return false;
        }
        _items[_head] = e;
        _head = (_head + 1) % _items.Length;
        return true;
    }

    void Grow()
    {
        var bigger = new TraceEvent[(int)Math.Min((long)_items.Length * 2, _capacity)];
        for (int i = 0; i < Count; i++) bigger[i] = this[i];
        _items = bigger;
        _head = 0;
    }

    public IEnumerator<TraceEvent> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
