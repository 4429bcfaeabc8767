namespace Stakker.Redis;

/// <summary>The keys of one database that carry an expiry, as a binary min-heap on <see cref="Entry.ExpireAt"/></summary>
/// <remarks>
/// <para>One runtime timer per key cost about 190 bytes a key in the Core's timer table and call
/// nodes, which keep their peak size. Here a key with an expiry costs one 8-byte heap slot (the entry
/// keeps its own time and slot index), and the keyspace holds one runtime timer per database, for the
/// earliest expiry: a key is still deleted at its time, as before. Decision 090.</para>
/// <para>Keys with the same time leave in no particular order.</para>
/// </remarks>
internal sealed class ExpiryHeap
{
    const int MinCapacity = 16;

    Entry[] _items = [];
    int _count;

    /// <summary>The runtime timer armed for <see cref="TimerAt"/>, or default when none is armed</summary>
    public FixedTimerKey Timer;
    /// <summary>When <see cref="Timer"/> fires, in Core ticks</summary>
    public long TimerAt;

    public int Count => _count;

    /// <summary>The key that expires first, or null</summary>
    public Entry? First => _count == 0 ? null : _items[0];

    /// <summary>Adds an entry whose <see cref="Entry.ExpireAt"/> is set</summary>
    public void Add(Entry e)
    {
        if (_count == _items.Length) Array.Resize(ref _items, Math.Max(MinCapacity, _items.Length * 2));
        _items[_count] = e;
        e.HeapIndex = _count;
        _count++;
        Up(e.HeapIndex);
    }

    /// <summary>The entry's <see cref="Entry.ExpireAt"/> changed: moves it to its place</summary>
    public void Changed(Entry e)
    {
        Up(e.HeapIndex);
        Down(e.HeapIndex);
    }

    /// <summary>Removes an entry that is in this heap</summary>
    public void Remove(Entry e)
    {
        int i = e.HeapIndex;
        _count--;
        Entry last = _items[_count];
        _items[_count] = null!;
        e.HeapIndex = -1;
        if (i < _count)
        {
            _items[i] = last;
            last.HeapIndex = i;
            Up(i);
            Down(last.HeapIndex);
        }
        // Gives the slots back once mostly empty, as the key table does.
        if (_items.Length > MinCapacity && _count < _items.Length / 4) Array.Resize(ref _items, _items.Length / 2);
    }

    void Up(int i)
    {
        Entry e = _items[i];
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            Entry p = _items[parent];
            if (p.ExpireAt <= e.ExpireAt) break;
            _items[i] = p;
            p.HeapIndex = i;
            i = parent;
        }
        _items[i] = e;
        e.HeapIndex = i;
    }

    void Down(int i)
    {
        Entry e = _items[i];
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && _items[child + 1].ExpireAt < _items[child].ExpireAt) child++;
            Entry c = _items[child];
            if (e.ExpireAt <= c.ExpireAt) break;
            _items[i] = c;
            c.HeapIndex = i;
            i = child;
        }
        _items[i] = e;
        e.HeapIndex = i;
    }
}
