using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Stakker.Redis;

/// <summary>The keys of one database: a chained hash table whose chain nodes are the entries themselves</summary>
/// <remarks>
/// <para>A <c>Dictionary&lt;byte[], Entry&gt;</c> costs a 24-byte slot per key on top of the entry, in an
/// array sized to the next prime past twice the count at each growth; growing a million-key table
/// allocates a new 40 MB slot array on the large-object heap while the old one is still live. Here an
/// entry carries its successor (8 bytes; the hash is computed again on growth), and the only array is the buckets (8 bytes a
/// slot, a power of two at most twice the count): growth moves the entries into a new bucket array and
/// allocates nothing else. Decision 090.</para>
/// <para>Enumerating while the table changes throws, as a dictionary's enumerator does.</para>
/// </remarks>
internal sealed class KeyTable : IEnumerable<Entry>
{
    const int MinBuckets = 16;

    Entry?[] _buckets = new Entry?[MinBuckets];
    int _count;
    int _version;

    public int Count => _count;

    static int HashOf(ReadOnlySpan<byte> key) => ByteKeyComparer.HashOf(key);

    public bool TryGetValue(ReadOnlySpan<byte> key, [MaybeNullWhen(false)] out Entry entry)
    {
        int hash = HashOf(key);
        for (Entry? e = _buckets[hash & (_buckets.Length - 1)]; e is not null; e = e.Next)
        {
            if (e.KeySpan.SequenceEqual(key))
            {
                entry = e;
                return true;
            }
        }
        entry = null;
        return false;
    }

    public bool ContainsKey(ReadOnlySpan<byte> key) => TryGetValue(key, out _);

    /// <summary>Adds <paramref name="entry"/>, replacing an entry with the same key</summary>
    public void Set(Entry entry)
    {
        int hash = HashOf(entry.KeySpan);
        Remove(entry.KeySpan, hash);
        if (_count >= _buckets.Length) Resize(_buckets.Length * 2);
        ref Entry? head = ref _buckets[hash & (_buckets.Length - 1)];
        entry.Next = head;
        head = entry;
        _count++;
        _version++;
    }

    /// <summary>Removes the entry for <paramref name="key"/>; false if there is none</summary>
    public bool Remove(ReadOnlySpan<byte> key) => Remove(key, HashOf(key));

    bool Remove(ReadOnlySpan<byte> key, int hash)
    {
        ref Entry? link = ref _buckets[hash & (_buckets.Length - 1)];
        while (link is { } e)
        {
            if (e.KeySpan.SequenceEqual(key))
            {
                link = e.Next;
                e.Next = null;
                _count--;
                _version++;
                // Shrinks as Redis does when a table is mostly empty, so deleting most keys gives the buckets back.
                if (_buckets.Length > MinBuckets && _count < _buckets.Length / 8) Resize(_buckets.Length / 2);
                return true;
            }
            link = ref e.Next;
        }
        return false;
    }

    void Resize(int size)
    {
        var next = new Entry?[size];
        foreach (Entry? head in _buckets)
        {
            for (Entry? e = head; e is not null;)
            {
                Entry? following = e.Next;
                // Entries keep no hash (it would make each 8 bytes larger): growth hashes every key again.
                ref Entry? slot = ref next[HashOf(e.KeySpan) & (size - 1)];
                e.Next = slot;
                slot = e;
                e = following;
            }
        }
        _buckets = next;
    }

    /// <summary>A key picked at random, each about equally likely (a random bucket, then a random one of its chain)</summary>
    public Entry? Random(Random random)
    {
        if (_count == 0) return null;
        // With at most one entry per bucket on average, a few tries find a filled bucket; after a mass
        // deletion the table has shrunk, so this stays short.
        while (true)
        {
            Entry? head = _buckets[random.Next(_buckets.Length)];
            if (head is null) continue;
            int length = 0;
            for (Entry? e = head; e is not null; e = e.Next) length++;
            Entry pick = head;
            for (int i = random.Next(length); i > 0; i--) pick = pick.Next!;
            return pick;
        }
    }

    /// <summary>Every entry into a new array</summary>
    public Entry[] ToArray()
    {
        var all = new Entry[_count];
        int i = 0;
        foreach (Entry e in this) all[i++] = e;
        return all;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<Entry> IEnumerable<Entry>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks bucket by bucket, each chain in order</summary>
    public struct Enumerator : IEnumerator<Entry>
    {
        readonly KeyTable _table;
        readonly int _version;
        int _bucket;
        Entry? _current;

        internal Enumerator(KeyTable table)
        {
            _table = table;
            _version = table._version;
            _bucket = -1;
            _current = null;
        }

        public readonly Entry Current => _current!;

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_version != _table._version) throw new InvalidOperationException("The key table changed during enumeration.");
            if (_current?.Next is { } next)
            {
                _current = next;
                return true;
            }
            Entry?[] buckets = _table._buckets;
            while (++_bucket < buckets.Length)
            {
                if (buckets[_bucket] is { } head)
                {
                    _current = head;
                    return true;
                }
            }
            _current = null;
            return false;
        }

        public void Reset()
        {
            _bucket = -1;
            _current = null;
        }

        public readonly void Dispose() { }
    }
}
