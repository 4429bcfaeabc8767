using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Stakker.Redis;

/// <summary>A <see cref="Reply"/> (and a shard's INFO figures) as bytes, to cross NATS between the processes of a
/// distributed server. Decoding trusts nothing: every length is checked against what is left, so a malformed
/// answer is a <see cref="FormatException"/>, never an allocation larger than the message.</summary>
internal static class ReplyWire
{
    public static byte[] Encode(in Reply reply)
    {
        var w = new ArrayBufferWriter<byte>(64);
        w.GetSpan(1)[0] = (byte)reply.Kind;
        w.Advance(1);
        switch (reply.Kind)
        {
            case ReplyKind.Simple or ReplyKind.Error or ReplyKind.Verbatim:
                WriteBytes(w, Encoding.UTF8.GetBytes((string)reply.Data!));
                break;
            case ReplyKind.Integer or ReplyKind.Double:
                WriteLong(w, reply.Integer);
                break;
            case ReplyKind.Bulk:
                WriteBytes(w, new ReadOnlySpan<byte>((byte[])reply.Data!, (int)(reply.Integer >> 32), (int)reply.Integer));
                break;
            case ReplyKind.Raw:
                WriteBytes(w, (byte[])reply.Data!);
                break;
            case ReplyKind.BulkArray or ReplyKind.PairArray or ReplyKind.Set or ReplyKind.Map:
                var items = (byte[]?[])reply.Data!;
                WriteInt(w, items.Length);
                foreach (byte[]? item in items)
                {
                    if (item is null) WriteInt(w, -1);
                    else WriteBytes(w, item);
                }
                break;
            case ReplyKind.Shaped:
                var shaped = (ShapedReply)reply.Data!;
                WriteBytes(w, shaped.Resp2);
                WriteBytes(w, shaped.Resp3);
                break;
        }
        return w.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The bytes are not a reply this encoder wrote.</exception>
    public static Reply Decode(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) throw new FormatException("an empty reply");
        var kind = (ReplyKind)data[0];
        var r = new Reader(data[1..]);
        Reply reply = kind switch
        {
            ReplyKind.Simple => Reply.Simple(r.Text()),
            ReplyKind.Error => Reply.Error(r.Text()),
            ReplyKind.Verbatim => Reply.Verbatim(r.Text()),
            ReplyKind.Integer => Reply.Int(r.Long()),
            ReplyKind.Double => Reply.Double(BitConverter.Int64BitsToDouble(r.Long())),
            ReplyKind.Bulk => Reply.Bulk(r.NotNull()),
            ReplyKind.Nil => Reply.Nil,
            ReplyKind.NullArray => Reply.NullArray,
            ReplyKind.Raw => Reply.Raw(r.NotNull()),
            ReplyKind.BulkArray => Reply.Array(r.Items()),
            ReplyKind.PairArray => Reply.Pairs(r.Items()),
            ReplyKind.Set => Reply.Set(r.Items()),
            ReplyKind.Map => Reply.Map(r.Items()),
            ReplyKind.Shaped => Reply.Shaped(r.NotNull(), r.NotNull()),
            _ => throw new FormatException("an unknown reply kind " + data[0]),
        };
        r.End();
        return reply;
    }

    public static byte[] Encode(ShardFigures f)
    {
        var w = new ArrayBufferWriter<byte>(256);
        WriteBytes(w, Encoding.UTF8.GetBytes(f.Info));
        foreach (long n in (ReadOnlySpan<long>)[f.Keys, f.Expires, f.ExpiredKeys, f.Commands, f.Clients, f.BlockedClients]) WriteLong(w, n);
        return w.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">The bytes are not figures this encoder wrote.</exception>
    public static ShardFigures DecodeFigures(ReadOnlySpan<byte> data)
    {
        var r = new Reader(data);
        var f = new ShardFigures(r.Text(), r.Long(), r.Long(), r.Long(), r.Long(), r.Long(), r.Long());
        r.End();
        return f;
    }

    static void WriteInt(ArrayBufferWriter<byte> w, int n)
    {
        BinaryPrimitives.WriteInt32LittleEndian(w.GetSpan(4), n);
        w.Advance(4);
    }

    static void WriteLong(ArrayBufferWriter<byte> w, long n)
    {
        BinaryPrimitives.WriteInt64LittleEndian(w.GetSpan(8), n);
        w.Advance(8);
    }

    static void WriteBytes(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> bytes)
    {
        WriteInt(w, bytes.Length);
        w.Write(bytes);
    }

    ref struct Reader(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> _left = data;

        public int Int()
        {
            if (_left.Length < 4) throw new FormatException("a reply cut short");
            int n = BinaryPrimitives.ReadInt32LittleEndian(_left);
            _left = _left[4..];
            return n;
        }

        public long Long()
        {
            if (_left.Length < 8) throw new FormatException("a reply cut short");
            long n = BinaryPrimitives.ReadInt64LittleEndian(_left);
            _left = _left[8..];
            return n;
        }

        /// <summary>Length-prefixed bytes; null for the length -1</summary>
        public byte[]? Bytes()
        {
            int n = Int();
            if (n == -1) return null;
            if (n < 0 || n > _left.Length) throw new FormatException("a length of " + n + " with " + _left.Length + " bytes left");
            byte[] bytes = _left[..n].ToArray();
            _left = _left[n..];
            return bytes;
        }

        public byte[] NotNull() => Bytes() ?? throw new FormatException("a null where bytes belong");

        public string Text() => Encoding.UTF8.GetString(NotNull());

        public byte[]?[] Items()
        {
            int n = Int();
            // Each item takes at least its 4-byte length: a count beyond that is a lie, refused before allocating.
            if (n < 0 || n > _left.Length / 4) throw new FormatException("a count of " + n + " with " + _left.Length + " bytes left");
            var items = new byte[]?[n];
            for (int i = 0; i < n; i++) items[i] = Bytes();
            return items;
        }

        public readonly void End()
        {
            if (!_left.IsEmpty) throw new FormatException(_left.Length + " bytes after the reply");
        }
    }
}
