namespace Stakker.Redis;

/// <summary>A Redis set of byte strings: a sorted array of integers while every member is one and there are
/// few, then a table that can also pick a random member in constant time</summary>
/// <remarks>
/// <para>The integer form is Redis's <c>intset</c>: 8 bytes a member, in ascending order (as Redis lists an
/// intset). A member that is not an integer as Redis reads one (no sign but '-', no leading zero, 64-bit),
/// or more than <see cref="EncodingThresholds.SetMaxIntsetEntries"/> members, turn it into the table for good.</para>
/// <para>The table keeps the members in a dense list with each member's index, so SPOP and SRANDMEMBER
/// take any member without walking the set; a removal moves the last member into the hole.</para>
/// </remarks>
internal sealed class SetValue
{
    long[] _ints = [];
    List<byte[]>? _members;
    Dictionary<byte[], int>? _index;

    /// <summary>Whether the set is still in its integer form (Redis's <c>intset</c> encoding)</summary>
    public bool IsIntSet => _members is null;

    public int Count => _members?.Count ?? _ints.Length;

    public bool Contains(byte[] m)
    {
        if (_index is not null) return _index.ContainsKey(m);
        return RespParser.TryParseLong(m, out long n) && Array.BinarySearch(_ints, n) >= 0;
    }

    /// <summary>Adds a member; true if it is new</summary>
    public bool Add(byte[] m, EncodingThresholds limits)
    {
        if (_index is null)
        {
            if (RespParser.TryParseLong(m, out long n))
            {
                int at = Array.BinarySearch(_ints, n);
                if (at >= 0) return false;
                at = ~at;
                // Exact size, never grown in place: a Members enumeration may hold the old array.
                var next = new long[_ints.Length + 1];
                _ints.AsSpan(0, at).CopyTo(next);
                next[at] = n;
                _ints.AsSpan(at).CopyTo(next.AsSpan(at + 1));
                _ints = next;
                if (_ints.Length > limits.IntsetCap) Convert();
                return true;
            }
            Convert();
        }
        if (!_index!.TryAdd(m, _members!.Count)) return false;
        _members.Add(m);
        return true;
    }

    public bool Remove(byte[] m)
    {
        if (_index is null)
        {
            if (!RespParser.TryParseLong(m, out long n)) return false;
            int at = Array.BinarySearch(_ints, n);
            if (at < 0) return false;
            var next = new long[_ints.Length - 1];
            _ints.AsSpan(0, at).CopyTo(next);
            _ints.AsSpan(at + 1).CopyTo(next.AsSpan(at));
            _ints = next;
            return true;
        }
        if (!_index.Remove(m, out int i)) return false;
        int last = _members!.Count - 1;
        if (i != last)
        {
            byte[] moved = _members[last];
            _members[i] = moved;
            _index[moved] = i;
        }
        _members.RemoveAt(last);
        return true;
    }

    /// <summary>The member at <paramref name="i"/> (0 ≤ i &lt; Count) in the set's current order</summary>
    public byte[] At(int i) => _members is not null ? _members[i] : Format(_ints[i]);

    /// <summary>A uniformly random member; the set must not be empty</summary>
    public byte[] Random() => At(System.Random.Shared.Next(Count));

    /// <summary>Every member (integers formatted as their decimal text)</summary>
    public byte[][] ToArray()
    {
        if (_members is not null) return [.. _members];
        var all = new byte[_ints.Length][];
        for (int i = 0; i < all.Length; i++) all[i] = Format(_ints[i]);
        return all;
    }

    /// <summary>Every member; safe to enumerate while the set changes (it walks a snapshot)</summary>
    public IEnumerable<byte[]> Members => ToArray();

    /// <summary>A copy sharing nothing that a write to either changes</summary>
    public SetValue Clone() => new()
    {
        _ints = _ints,   // replaced, never written, by every change
        _members = _members is null ? null : [.. _members],
        _index = _index is null ? null : new Dictionary<byte[], int>(_index, ByteKeyComparer.Instance),
    };

    /// <summary>Bytes the set holds, roughly as Redis's MEMORY USAGE counts them</summary>
    public long ApproximateBytes()
    {
        if (_members is null) return 24 + 8L * _ints.Length;
        long n = 64 + _members.Count * 32L;
        foreach (byte[] m in _members) n += 24 + m.Length;
        return n;
    }

    static byte[] Format(long n) => System.Text.Encoding.ASCII.GetBytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    void Convert()
    {
        _members = new List<byte[]>(_ints.Length);
        _index = new Dictionary<byte[], int>(_ints.Length, ByteKeyComparer.Instance);
        foreach (long n in _ints)
        {
            byte[] m = Format(n);
            _index[m] = _members.Count;
            _members.Add(m);
        }
        _ints = [];
    }
}
