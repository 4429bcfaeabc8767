using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace Stakker.Redis;

/// <summary>SCAN's cursor on a server of several Cores (decision 100): the shard being scanned is the cursor
/// modulo the number of shards, and that shard's own cursor is the quotient</summary>
/// <remarks>Cursor 0 starts shard 0; cursor <c>s</c> (below the shard count) starts shard <c>s</c>; a shard's
/// own cursors count up from 1 (<see cref="ScanCursors"/>), so the product stays far from overflow.</remarks>
internal static class ShardCursor
{
    /// <summary>The shard a client's cursor names, and the cursor to hand that shard</summary>
    public static (int Shard, ulong Own) Split(ulong cursor, int shards) =>
        ((int)(cursor % (uint)shards), cursor / (uint)shards);

    /// <summary>The cursor for the client after <paramref name="shard"/> answered with its own next cursor
    /// <paramref name="own"/>: more of that shard, else the start of the next one, else 0 (the scan is over)</summary>
    public static ulong Next(int shard, ulong own, int shards)
    {
        if (own != 0) return own * (uint)shards + (uint)shard;
        return shard + 1 < shards ? (ulong)(shard + 1) : 0;
    }

    static readonly byte[] s_ended = "*2\r\n$1\r\n0\r\n*0\r\n"u8.ToArray();

    /// <summary>What a shard answers for a cursor of its own it does not know (finished, dropped by a flush, made
    /// up): the end of the whole iteration, as one Core answers it, not the start of the next shard</summary>
    public static readonly Reply Ended = Reply.Raw(s_ended);

    /// <summary>True if <paramref name="answer"/> is <see cref="Ended"/></summary>
    public static bool IsEnded(Reply answer) => ReferenceEquals(answer.Data, s_ended);

    /// <summary>The parts of a shard's SCAN page, <c>*2 $n cursor *m keys...</c> as Keyspace.ScanStep encodes it:
    /// its own next cursor, how many keys, and the keys' encoded bytes; false for anything else (an error)</summary>
    public static bool TryRead(Reply answer, out ulong own, out int count, out ReadOnlyMemory<byte> keys)
    {
        own = 0;
        count = 0;
        keys = default;
        if (answer.Kind != ReplyKind.Raw || IsEnded(answer)) return false;
        var raw = (byte[])answer.Data!;
        ReadOnlySpan<byte> head = "*2\r\n$"u8;
        if (!raw.AsSpan().StartsWith(head)) return false;
        int at = head.Length;
        if (!Number(raw, ref at, out long length)) return false;
        if (!Utf8Parser.TryParse(raw.AsSpan(at, (int)length), out own, out _)) return false;
        at += (int)length + 2;
        if (raw[at++] != (byte)'*' || !Number(raw, ref at, out long n)) return false;
        count = (int)n;
        keys = raw.AsMemory(at);
        return true;
    }

    /// <summary>A number ended by CRLF at <paramref name="at"/>, which is moved past it</summary>
    static bool Number(byte[] raw, ref int at, out long value)
    {
        value = 0;
        int end = raw.AsSpan(at).IndexOf((byte)'\r');
        if (end < 0 || !Utf8Parser.TryParse(raw.AsSpan(at, end), out value, out _)) return false;
        at += end + 2;
        return true;
    }

    /// <summary>The client's page: its cursor and the keys several shards gave, in order</summary>
    public static Reply Page(ulong cursor, int count, List<ReadOnlyMemory<byte>> keys)
    {
        int size = 32;
        foreach (ReadOnlyMemory<byte> k in keys) size += k.Length;
        var w = new ArrayBufferWriter<byte>(size);
        Resp.WriteHeader(w, (byte)'*', 2);
        Resp.WriteBulk(w, cursor.ToString(CultureInfo.InvariantCulture));
        Resp.WriteHeader(w, (byte)'*', count);
        foreach (ReadOnlyMemory<byte> k in keys) Resp.WriteRaw(w, k.Span);
        return Reply.Raw(w.WrittenSpan.ToArray());
    }
}
