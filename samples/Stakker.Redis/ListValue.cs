namespace Stakker.Redis;

/// <summary>A Redis list: a ring buffer of values, cheap to push and pop at both ends</summary>
internal sealed class ListValue
{
    byte[][] _items = new byte[4][];
    int _head;

    public int Count { get; private set; }

    public byte[] this[int index]
    {
        get => _items[(_head + index) & (_items.Length - 1)];
        set => _items[(_head + index) & (_items.Length - 1)] = value;
    }

    public byte[][] ToArray()
    {
        var all = new byte[Count][];
        for (int i = 0; i < all.Length; i++) all[i] = this[i];
        return all;
    }

    /// <summary>Replaces every element (edits in the middle rebuild the list, O(n) as in Redis)</summary>
    public void ReplaceAll(IReadOnlyList<byte[]> items)
    {
        int size = 4;
        while (size < items.Count) size *= 2;
        _items = new byte[size][];
        for (int i = 0; i < items.Count; i++) _items[i] = items[i];
        _head = 0;
        Count = items.Count;
    }

    public void PushLeft(byte[] value)
    {
        if (Count == _items.Length) Grow();
        _head = (_head - 1) & (_items.Length - 1);
        _items[_head] = value;
        Count++;
    }

    public void PushRight(byte[] value)
    {
        if (Count == _items.Length) Grow();
        _items[(_head + Count) & (_items.Length - 1)] = value;
        Count++;
    }

    public byte[] PopLeft()
    {
        byte[] v = _items[_head];
        _items[_head] = null!;
        _head = (_head + 1) & (_items.Length - 1);
        Count--;
        return v;
    }

    public byte[] PopRight()
    {
        int i = (_head + Count - 1) & (_items.Length - 1);
        byte[] v = _items[i];
        _items[i] = null!;
        Count--;
        return v;
    }

    void Grow()
    {
        var bigger = new byte[_items.Length * 2][];
        for (int i = 0; i < Count; i++) bigger[i] = this[i];
        _items = bigger;
        _head = 0;
    }
}
