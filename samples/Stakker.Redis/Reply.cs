using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Stakker.Redis;

/// <summary>The kinds of RESP2 reply a command can produce</summary>
internal enum ReplyKind : byte
{
    /// <summary><c>+text</c></summary>
    Simple,
    /// <summary><c>-text</c></summary>
    Error,
    /// <summary><c>:n</c></summary>
    Integer,
    /// <summary><c>$len bytes</c></summary>
    Bulk,
    /// <summary><c>$-1</c></summary>
    Nil,
    /// <summary><c>*n</c> of bulk strings (null elements are nil)</summary>
    BulkArray,
    /// <summary><c>*-1</c></summary>
    NullArray,
    /// <summary>Bytes already encoded in RESP</summary>
    Raw,
    /// <summary>Pairs (field and value, member and score): <c>*2n</c> flat in RESP2, <c>*n</c> of <c>*2</c> in RESP3</summary>
    PairArray,
    /// <summary>A double: a bulk string in RESP2 (<c>%.17g</c>, inf, -inf), <c>,d</c> in RESP3</summary>
    Double,
    /// <summary>Bulk strings that form a set: <c>*n</c> in RESP2, <c>~n</c> in RESP3</summary>
    Set,
    /// <summary>Bulk strings as key, value, key, value...: <c>*2n</c> in RESP2, <c>%n</c> in RESP3</summary>
    Map,
    /// <summary>Text: a bulk string in RESP2, a verbatim <c>=len txt:...</c> in RESP3</summary>
    Verbatim,
    /// <summary>A reply built in both protocols (<see cref="RespBuilder"/>), as two encodings</summary>
    Shaped,
}

/// <summary>A reply whose RESP2 and RESP3 encodings differ in shape</summary>
internal sealed record ShapedReply(byte[] Resp2, byte[] Resp3);

/// <summary>One RESP2 reply, as the keyspace and pub/sub actors hand it back through a Ret</summary>
/// <remarks>16 bytes plus the referenced payload; a Bulk reply of a stored value shares the stored
/// array (values are never changed in place), so GET copies nothing until the bytes are written out.</remarks>
internal readonly struct Reply
{
    public readonly ReplyKind Kind;
    public readonly long Integer;
    public readonly object? Data;

    Reply(ReplyKind kind, long integer, object? data)
    {
        Kind = kind;
        Integer = integer;
        Data = data;
    }

    public static Reply Simple(string text) => new(ReplyKind.Simple, 0, text);
    public static Reply Error(string text) => new(ReplyKind.Error, 0, text);
    public static Reply Int(long n) => new(ReplyKind.Integer, n, null);
    public static Reply Bulk(byte[]? bytes) => bytes is null ? Nil : new(ReplyKind.Bulk, bytes.Length, bytes);
    /// <summary>The first <paramref name="length"/> bytes of <paramref name="buffer"/> (a string with spare room)</summary>
    public static Reply Bulk(byte[] buffer, int length) => new(ReplyKind.Bulk, length, buffer);
    /// <summary><paramref name="length"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/> (a
    /// string stored after its key, <see cref="Entry"/>): the offset rides in the high half of <see cref="Integer"/></summary>
    public static Reply Bulk(byte[] buffer, int offset, int length) => new(ReplyKind.Bulk, ((long)offset << 32) | (uint)length, buffer);

    /// <summary>A bulk reply's bytes</summary>
    ReadOnlySpan<byte> BulkSpan => new((byte[])Data!, (int)(Integer >> 32), (int)Integer);
    public static Reply Array(byte[]?[] items) => new(ReplyKind.BulkArray, 0, items);
    public static Reply Raw(byte[] encoded) => new(ReplyKind.Raw, 0, encoded);
    /// <summary>An even number of items as pairs, nested in RESP3 as Redis sends HRANDFIELD ... WITHVALUES</summary>
    public static Reply Pairs(byte[]?[] flat) => new(ReplyKind.PairArray, 0, flat);
    /// <summary>A score or other double, as Redis's addReplyDouble sends it</summary>
    public static Reply Double(double d) => new(ReplyKind.Double, BitConverter.DoubleToInt64Bits(d), null);
    /// <summary>Members of a set (SMEMBERS, SINTER, SPOP with a count...)</summary>
    public static Reply Set(byte[]?[] items) => new(ReplyKind.Set, 0, items);
    /// <summary>Field, value, field, value... (HGETALL)</summary>
    public static Reply Map(byte[]?[] pairs) => new(ReplyKind.Map, 0, pairs);
    /// <summary>Text that RESP3 sends verbatim (INFO, CLIENT INFO, CLIENT LIST)</summary>
    public static Reply Verbatim(string text) => new(ReplyKind.Verbatim, 0, text);
    public static Reply Shaped(byte[] resp2, byte[] resp3) => new(ReplyKind.Shaped, 0, new ShapedReply(resp2, resp3));
    /// <summary>A HELP reply: an array of status lines, as Redis sends them</summary>
    public static Reply HelpLines(string[] lines)
    {
        var w = new System.Buffers.ArrayBufferWriter<byte>();
        Resp.WriteHeader(w, (byte)'*', lines.Length);
        foreach (string line in lines) Resp.WriteSimple(w, line);
        return Raw(w.WrittenSpan.ToArray());
    }
    public static readonly Reply Ok = Simple("OK");
    public static readonly Reply Nil = new(ReplyKind.Nil, 0, null);
    public static readonly Reply NullArray = new(ReplyKind.NullArray, 0, null);
    public static readonly Reply EmptyArray = Array([]);
    public static readonly Reply Zero = Int(0);
    public static readonly Reply One = Int(1);

    public static readonly Reply WrongType = Error("WRONGTYPE Operation against a key holding the wrong kind of value");
    public static readonly Reply NotInteger = Error("ERR value is not an integer or out of range");
    public static readonly Reply SyntaxError = Error("ERR syntax error");

    /// <summary>Writes this reply in RESP2</summary>
    public void WriteTo(IBufferWriter<byte> w) => WriteTo(w, resp3: false);

    /// <summary>Writes this reply in RESP2, or in RESP3 (nulls as <c>_</c>) for a client that said HELLO 3</summary>
    public void WriteTo(IBufferWriter<byte> w, bool resp3)
    {
        if (resp3 && Kind is ReplyKind.Nil or ReplyKind.NullArray)
        {
            Resp.WriteRaw(w, "_\r\n"u8);
            return;
        }
        switch (Kind)
        {
            case ReplyKind.Simple: Resp.WriteSimple(w, (string)Data!); break;
            case ReplyKind.Error: Resp.WriteError(w, (string)Data!); break;
            case ReplyKind.Integer: Resp.WriteInteger(w, Integer); break;
            case ReplyKind.Bulk: Resp.WriteBulk(w, BulkSpan); break;
            case ReplyKind.Nil: Resp.WriteNil(w); break;
            case ReplyKind.NullArray: Resp.WriteRaw(w, "*-1\r\n"u8); break;
            case ReplyKind.Raw: Resp.WriteRaw(w, (byte[])Data!); break;
            case ReplyKind.PairArray:
                var items = (byte[]?[])Data!;
                Resp.WriteHeader(w, (byte)'*', resp3 ? items.Length / 2 : items.Length);
                for (int i = 0; i < items.Length; i++)
                {
                    if (resp3 && i % 2 == 0) Resp.WriteRaw(w, "*2\r\n"u8);
                    if (items[i] is not { } item) Resp.WriteRaw(w, resp3 ? "_\r\n"u8 : "$-1\r\n"u8);
                    else Resp.WriteBulk(w, item);
                }
                break;
            case ReplyKind.BulkArray: WriteItems(w, resp3, (byte)'*', (byte[]?[])Data!, 1); break;
            case ReplyKind.Set: WriteItems(w, resp3, resp3 ? (byte)'~' : (byte)'*', (byte[]?[])Data!, 1); break;
            case ReplyKind.Map: WriteItems(w, resp3, resp3 ? (byte)'%' : (byte)'*', (byte[]?[])Data!, resp3 ? 2 : 1); break;
            case ReplyKind.Double: Resp.WriteDouble(w, BitConverter.Int64BitsToDouble(Integer), resp3); break;
            case ReplyKind.Verbatim: Resp.WriteVerbatim(w, (string)Data!, resp3); break;
            case ReplyKind.Shaped:
                var shaped = (ShapedReply)Data!;
                Resp.WriteRaw(w, resp3 ? shaped.Resp3 : shaped.Resp2);
                break;
        }
    }

    /// <summary>A header counting <paramref name="items"/> in units of <paramref name="per"/>, then each as a bulk string</summary>
    static void WriteItems(IBufferWriter<byte> w, bool resp3, byte prefix, byte[]?[] items, int per)
    {
        Resp.WriteHeader(w, prefix, items.Length / per);
        foreach (var item in items)
        {
            if (item is null) Resp.WriteRaw(w, resp3 ? "_\r\n"u8 : "$-1\r\n"u8);
            else Resp.WriteBulk(w, item);
        }
    }

    public override string ToString() => Kind switch
    {
        ReplyKind.Simple or ReplyKind.Error => Kind + " " + Data,
        ReplyKind.Integer => ":" + Integer,
        ReplyKind.Bulk => "$" + Encoding.UTF8.GetString(BulkSpan),
        _ => Kind.ToString(),
    };
}

/// <summary>RESP2 encoders writing straight into a connection's output buffer</summary>
internal static class Resp
{
    public static void WriteRaw(IBufferWriter<byte> w, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(w.GetSpan(bytes.Length));
        w.Advance(bytes.Length);
    }

    public static void WriteSimple(IBufferWriter<byte> w, string text) => WriteLine(w, (byte)'+', text);

    public static void WriteError(IBufferWriter<byte> w, string text) => WriteLine(w, (byte)'-', text);

    public static void WriteLine(IBufferWriter<byte> w, byte prefix, string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length) + 3;
        Span<byte> span = w.GetSpan(max);
        span[0] = prefix;
        int n = Encoding.UTF8.GetBytes(text, span[1..]);
        // A reply line must not break the framing: no CR or LF inside.
        for (int i = 1; i <= n; i++) if (span[i] is (byte)'\r' or (byte)'\n') span[i] = (byte)' ';
        span[n + 1] = (byte)'\r';
        span[n + 2] = (byte)'\n';
        w.Advance(n + 3);
    }

    public static void WriteInteger(IBufferWriter<byte> w, long n) => WriteHeader(w, (byte)':', n);

    /// <summary>Writes <c>prefix n CRLF</c></summary>
    public static void WriteHeader(IBufferWriter<byte> w, byte prefix, long n)
    {
        Span<byte> span = w.GetSpan(24);
        span[0] = prefix;
        Utf8Formatter.TryFormat(n, span[1..], out int len);
        span[len + 1] = (byte)'\r';
        span[len + 2] = (byte)'\n';
        w.Advance(len + 3);
    }

    public static void WriteBulk(IBufferWriter<byte> w, ReadOnlySpan<byte> bytes)
    {
        Span<byte> span = w.GetSpan(bytes.Length + 24);
        span[0] = (byte)'$';
        Utf8Formatter.TryFormat(bytes.Length, span[1..], out int len);
        int p = len + 1;
        span[p++] = (byte)'\r';
        span[p++] = (byte)'\n';
        bytes.CopyTo(span[p..]);
        p += bytes.Length;
        span[p++] = (byte)'\r';
        span[p++] = (byte)'\n';
        w.Advance(p);
    }

    public static void WriteBulk(IBufferWriter<byte> w, string text) => WriteBulk(w, Encoding.UTF8.GetBytes(text));

    public static void WriteNil(IBufferWriter<byte> w) => WriteRaw(w, "$-1\r\n"u8);

    /// <summary>A double as Redis's addReplyDouble: a bulk string in RESP2, <c>,</c> in RESP3</summary>
    public static void WriteDouble(IBufferWriter<byte> w, double d, bool resp3)
    {
        string text = Scores.Format(d);
        if (!resp3)
        {
            WriteBulk(w, text);
            return;
        }
        Span<byte> span = w.GetSpan(text.Length + 3);
        span[0] = (byte)',';
        int n = Encoding.ASCII.GetBytes(text, span[1..]);
        span[n + 1] = (byte)'\r';
        span[n + 2] = (byte)'\n';
        w.Advance(n + 3);
    }

    /// <summary>Text as a bulk string in RESP2, as a verbatim string of format <c>txt</c> in RESP3</summary>
    public static void WriteVerbatim(IBufferWriter<byte> w, string text, bool resp3)
    {
        if (!resp3)
        {
            WriteBulk(w, text);
            return;
        }
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        WriteHeader(w, (byte)'=', bytes.Length + 4);
        WriteRaw(w, "txt:"u8);
        WriteRaw(w, bytes);
        WriteRaw(w, "\r\n"u8);
    }
}
