using System.Diagnostics.CodeAnalysis;

namespace Stakker.Redis;

/// <summary>A large hash's fields and values: a dense list with each field's index, so a random field is
/// O(1) (HRANDFIELD) rather than a walk of the table; a removal moves the last pair into the hole</summary>
internal sealed class FieldTable
{
    readonly Dictionary<byte[], int> _index;
    readonly List<KeyValuePair<byte[], byte[]>> _pairs;

    public FieldTable(int capacity)
    {
        _index = new Dictionary<byte[], int>(capacity, ByteKeyComparer.Instance);
        _pairs = new List<KeyValuePair<byte[], byte[]>>(capacity);
    }

    FieldTable(FieldTable from)
    {
        _index = new Dictionary<byte[], int>(from._index, ByteKeyComparer.Instance);
        _pairs = [.. from._pairs];
    }

    public int Count => _pairs.Count;

    public bool TryGetValue(byte[] field, [NotNullWhen(true)] out byte[]? value)
    {
        if (_index.TryGetValue(field, out int i))
        {
            value = _pairs[i].Value;
            return true;
        }
        value = null;
        return false;
    }

    public bool ContainsKey(byte[] field) => _index.ContainsKey(field);

    /// <summary>Sets a field; true if it is new</summary>
    public bool Set(byte[] field, byte[] value)
    {
        if (_index.TryGetValue(field, out int i))
        {
            _pairs[i] = new(_pairs[i].Key, value);
            return false;
        }
        _index.Add(field, _pairs.Count);
        _pairs.Add(new(field, value));
        return true;
    }

    public bool Remove(byte[] field)
    {
        if (!_index.Remove(field, out int i)) return false;
        int last = _pairs.Count - 1;
        if (i != last)
        {
            var moved = _pairs[last];
            _pairs[i] = moved;
            _index[moved.Key] = i;
        }
        _pairs.RemoveAt(last);
        return true;
    }

    /// <summary>The pair at <paramref name="i"/> (0 ≤ i &lt; Count) in the table's current order</summary>
    public KeyValuePair<byte[], byte[]> At(int i) => _pairs[i];

    /// <summary>The pairs as they are now (a copy: safe to hold while the table changes)</summary>
    public KeyValuePair<byte[], byte[]>[] Snapshot() => [.. _pairs];

    public FieldTable Clone() => new(this);
}
