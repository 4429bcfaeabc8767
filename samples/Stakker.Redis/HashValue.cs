using System.Diagnostics.CodeAnalysis;

namespace Stakker.Redis;

/// <summary>A Redis hash: field → value, packed into one array while small, a dictionary once it grows</summary>
/// <remarks>
/// <para>Small hashes are most hashes, and a dictionary of byte arrays costs several objects per field;
/// the packed form is one array of length-prefixed fields and values, searched in order (as Redis's
/// listpack). It turns into the dictionary, for good, when a write passes
/// <see cref="EncodingThresholds.HashMaxEntries"/> fields or brings a field or value longer than
/// <see cref="EncodingThresholds.HashMaxValue"/> bytes, the points where Redis converts.</para>
/// <para>Reads of the packed form copy the bytes out: the array is rewritten in place by later writes.</para>
/// </remarks>
internal sealed class HashValue
{
    /// <summary>Past this many packed bytes the hash converts whatever the thresholds (Redis's listpack safety limit)</summary>
    const int MaxPacked = 1 << 30;

    byte[] _pack = [];
    int _used;
    int _count;
    FieldTable? _table;

    /// <summary>Whether the hash is still in its packed form (Redis's <c>listpack</c> encoding)</summary>
    public bool IsPacked => _table is null;

    public int Count => _table?.Count ?? _count;

    /// <summary>Converts to the dictionary if any of the arguments from <paramref name="first"/> (fields and values
    /// about to be written) is too long to pack, before any is written, as Redis checks them</summary>
    public void PrepareFor(byte[][] args, int first, EncodingThresholds limits)
    {
        if (_table is not null) return;
        long sum = 0;
        for (int i = first; i < args.Length; i++)
        {
            if (args[i].Length > limits.HashMaxValue) { Convert(); return; }
            sum += args[i].Length;
        }
        if (_used + sum > MaxPacked) Convert();
    }

    public bool TryGet(byte[] field, [NotNullWhen(true)] out byte[]? value)
    {
        if (_table is not null) return _table.TryGetValue(field, out value);
        int at = Find(field);
        if (at < 0) { value = null; return false; }
        value = Item(ref at).ToArray();
        return true;
    }

    public bool ContainsKey(byte[] field) => _table is not null ? _table.ContainsKey(field) : Find(field) >= 0;

    /// <summary>The length of a field's value, 0 if there is no such field, without copying it</summary>
    public int ValueLength(byte[] field)
    {
        if (_table is not null) return _table.TryGetValue(field, out byte[]? v) ? v.Length : 0;
        int at = Find(field);
        return at < 0 ? 0 : Item(ref at).Length;
    }

    /// <summary>Sets a field; true if it is new</summary>
    public bool Set(byte[] field, byte[] value, EncodingThresholds limits)
    {
        if (_table is null && (field.Length > limits.HashMaxValue || value.Length > limits.HashMaxValue || _used + (long)field.Length + value.Length > MaxPacked))
            Convert();
        if (_table is not null)
        {
            return _table.Set(field, value);
        }
        int at = Find(field);
        if (at >= 0)
        {
            int valueStart = at;
            Item(ref at);
            Splice(valueStart, at - valueStart, value, PrefixLength(value.Length) + value.Length);
            return false;
        }
        Append(field, value);
        _count++;
        if (_count > limits.HashMaxEntries) Convert();
        return true;
    }

    public bool Remove(byte[] field)
    {
        if (_table is not null) return _table.Remove(field);
        int start = FindField(field, out int end);
        if (start < 0) return false;
        Item(ref end);
        Splice(start, end - start, null, 0);
        _count--;
        return true;
    }

    /// <summary>Every field and value (copies of the packed bytes, the stored arrays of the dictionary)</summary>
    public IEnumerable<(byte[] Field, byte[] Value)> Pairs
    {
        get
        {
            if (_table is not null)
            {
                foreach (var (f, v) in _table.Snapshot()) yield return (f, v);
                yield break;
            }
            // A snapshot of the packed array: the caller may write to the hash while enumerating.
            byte[] pack = _pack;
            int used = _used, at = 0;
            while (at < used)
            {
                byte[] f = Read(pack, ref at).ToArray();
                byte[] v = Read(pack, ref at).ToArray();
                yield return (f, v);
            }
        }
    }

    /// <summary>The fields, in the hash's order</summary>
    public byte[][] Fields()
    {
        if (_table is not null)
        {
            var keys = new byte[_table.Count][];
            for (int i = 0; i < keys.Length; i++) keys[i] = _table.At(i).Key;
            return keys;
        }
        var fields = new byte[_count][];
        int at = 0;
        for (int i = 0; i < fields.Length; i++)
        {
            fields[i] = Item(ref at).ToArray();
            Item(ref at);
        }
        return fields;
    }

    /// <summary>A random field and its value, O(1) once the hash is a table (O(size) while packed, at most
    /// the packing threshold); the hash must not be empty</summary>
    public (byte[] Field, byte[] Value) RandomPair()
    {
        if (_table is not null)
        {
            var (f, v) = _table.At(Random.Shared.Next(_table.Count));
            return (f, v);
        }
        int skip = Random.Shared.Next(_count), at = 0;
        for (int i = 0; i < skip; i++)
        {
            Item(ref at);
            Item(ref at);
        }
        byte[] field = Item(ref at).ToArray();
        return (field, Item(ref at).ToArray());
    }

    /// <summary>The pair at <paramref name="i"/> of a table (not packed) hash</summary>
    public (byte[] Field, byte[] Value) TablePairAt(int i)
    {
        var (f, v) = _table!.At(i);
        return (f, v);
    }

    /// <summary>A copy sharing nothing that a write to either changes (byte arrays are never changed in place)</summary>
    public HashValue Clone() => new()
    {
        _pack = _pack,   // replaced, never written, by every change
        _used = _used,
        _count = _count,
        _table = _table?.Clone(),
    };

    /// <summary>Bytes the hash holds, roughly as Redis's MEMORY USAGE counts them</summary>
    public long ApproximateBytes()
    {
        if (_table is null) return 24 + _pack.Length;
        long n = 64 + _table.Count * 40L;
        for (int i = 0; i < _table.Count; i++)
        {
            var (f, v) = _table.At(i);
            n += 24 + f.Length + 24 + v.Length;
        }
        return n;
    }

    /// <summary>Start of the value of <paramref name="field"/>, or -1</summary>
    int Find(byte[] field)
    {
        FindField(field, out int valueAt);
        return valueAt;
    }

    /// <summary>Start of the entry (field prefix) of <paramref name="field"/> and of its value, or -1 for both</summary>
    int FindField(byte[] field, out int valueAt)
    {
        int at = 0;
        while (at < _used)
        {
            int start = at;
            bool same = Item(ref at).SequenceEqual(field);
            if (same)
            {
                valueAt = at;
                return start;
            }
            Item(ref at);
        }
        valueAt = -1;
        return -1;
    }

    ReadOnlySpan<byte> Item(ref int at) => Read(_pack, ref at);

    static ReadOnlySpan<byte> Read(byte[] pack, ref int at)
    {
        int length = 0, shift = 0;
        byte b;
        do
        {
            b = pack[at++];
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        var item = new ReadOnlySpan<byte>(pack, at, length);
        at += length;
        return item;
    }

    static int PrefixLength(int length)
    {
        int n = 1;
        while (length >= 0x80) { length >>= 7; n++; }
        return n;
    }

    static int Write(Span<byte> to, ReadOnlySpan<byte> item)
    {
        int at = 0;
        uint length = (uint)item.Length;
        while (length >= 0x80)
        {
            to[at++] = (byte)(length | 0x80);
            length >>= 7;
        }
        to[at++] = (byte)length;
        item.CopyTo(to[at..]);
        return at + item.Length;
    }

    void Append(byte[] field, byte[] value)
    {
        int add = PrefixLength(field.Length) + field.Length + PrefixLength(value.Length) + value.Length;
        // A new array of the exact size, never a grown one in place: Pairs may be enumerating the old one.
        var bigger = new byte[_used + add];
        _pack.AsSpan(0, _used).CopyTo(bigger);
        int at = _used;
        at += Write(bigger.AsSpan(at), field);
        Write(bigger.AsSpan(at), value);
        _pack = bigger;
        _used = bigger.Length;
    }

    /// <summary>Replaces <paramref name="length"/> bytes at <paramref name="start"/> with <paramref name="item"/>
    /// (prefixed; none if null), into a new array</summary>
    void Splice(int start, int length, byte[]? item, int itemBytes)
    {
        var next = new byte[_used - length + itemBytes];
        _pack.AsSpan(0, start).CopyTo(next);
        if (item is not null) Write(next.AsSpan(start), item);
        _pack.AsSpan(start + length, _used - start - length).CopyTo(next.AsSpan(start + itemBytes));
        _pack = next;
        _used = next.Length;
    }

    void Convert()
    {
        var table = new FieldTable(_count);
        int at = 0;
        while (at < _used)
        {
            byte[] f = Item(ref at).ToArray();
            table.Set(f, Item(ref at).ToArray());
        }
        _table = table;
        _pack = [];
        _used = 0;
        _count = 0;
    }
}
