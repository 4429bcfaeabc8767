namespace Stakker.Redis;

/// <summary>One key's value and expiry; also its node in the database's <see cref="KeyTable"/> and <see cref="ExpiryHeap"/></summary>
/// <remarks>
/// <para>A short string (at most <see cref="InlineMax"/> bytes, Redis's "embstr" limit) is kept in the
/// same array as the key, after it: one array per key instead of two, 24–32 bytes less per key for the
/// strings most applications store. Longer strings keep an array of their own (the parser's, uncopied).
/// Decision 098.</para>
/// <para>The arrays are never changed once made: a reply may still be sending them while the key is
/// written again, so a write makes a new array.</para>
/// </remarks>
internal sealed class Entry
{
    /// <summary>Longest string kept in the key's array</summary>
    public const int InlineMax = 44;

    /// <summary>Marks <see cref="_value"/> when the string is the tail of <see cref="_bytes"/></summary>
    static readonly object s_inline = new();

    /// <summary>The key's bytes, then an inline string's</summary>
    byte[] _bytes;
    /// <summary><see cref="s_inline"/>, a string as <c>byte[]</c>, a <see cref="GrownString"/>, a typed
    /// value (<see cref="ListValue"/>...), or null while a new entry has none yet</summary>
    object? _value;
    readonly int _keyLength;

    /// <summary>The next entry in the same bucket of the key table</summary>
    public Entry? Next;
    /// <summary>Expiry in Core ticks, 0 for none</summary>
    public long ExpireAt;
    /// <summary>The entry's slot in the expiry heap, while <see cref="ExpireAt"/> is not 0</summary>
    public int HeapIndex;

    public Entry(byte[] key)
    {
        _bytes = key;
        _keyLength = key.Length;
    }

    public ReadOnlySpan<byte> KeySpan => new(_bytes, 0, _keyLength);

    /// <summary>The key as an array: the entry's own when it holds only the key, else a copy</summary>
    public byte[] Key => _bytes.Length == _keyLength ? _bytes : KeySpan.ToArray();

    /// <summary>The value; an inline string comes out as a copy of its bytes (readers of strings use
    /// <see cref="StrSpan"/> or <see cref="StrReply"/>, which do not copy)</summary>
    public object? Value
    {
        get => ReferenceEquals(_value, s_inline) ? _bytes.AsSpan(_keyLength).ToArray() : _value;
        set
        {
            if (value is byte[] text && text.Length <= InlineMax)
            {
                Pack(text);
                return;
            }
            // A string that was inline gives its bytes back with the key's array.
            if (_bytes.Length != _keyLength) _bytes = KeySpan.ToArray();
            _value = value;
        }
    }

    /// <summary>Stores a string made here (INCR's digits): into the key's array when short, else an array of its own</summary>
    public void SetString(ReadOnlySpan<byte> text)
    {
        if (text.Length <= InlineMax) Pack(text);
        else Value = text.ToArray();
    }

    void Pack(ReadOnlySpan<byte> text)
    {
        byte[] packed = GC.AllocateUninitializedArray<byte>(_keyLength + text.Length);
        KeySpan.CopyTo(packed);
        text.CopyTo(packed.AsSpan(_keyLength));
        _bytes = packed;
        _value = s_inline;
    }

    /// <summary>True when the string is in the key's array</summary>
    public bool IsInline => ReferenceEquals(_value, s_inline);

    /// <summary>Length of the key's array (the key and an inline string)</summary>
    public int StoredLength => _bytes.Length;

    public ListValue? List => _value as ListValue;

    public bool IsString => _value is byte[] or GrownString || ReferenceEquals(_value, s_inline);

    /// <summary>The string's bytes (valid until the value changes); empty if not a string</summary>
    public ReadOnlySpan<byte> StrSpan => _value switch
    {
        byte[] b => b,
        GrownString g => g.Bytes,
        _ when ReferenceEquals(_value, s_inline) => _bytes.AsSpan(_keyLength),
        _ => default,
    };

    /// <summary>The string as a reply (sharing the stored bytes), or nil if not a string</summary>
    public Reply StrReply => _value switch
    {
        byte[] b => Reply.Bulk(b),
        GrownString g => Reply.Bulk(g.Buffer, g.Length),
        _ when ReferenceEquals(_value, s_inline) => Reply.Bulk(_bytes, _keyLength, _bytes.Length - _keyLength),
        _ => Reply.Nil,
    };
}
