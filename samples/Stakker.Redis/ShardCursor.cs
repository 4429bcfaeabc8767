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

    /// <summary>A shard's SCAN reply with its own cursor replaced by the client's (an error is passed on as it is)</summary>
    /// <remarks>The shard's reply is <c>*2 $n cursor *m keys...</c> as Keyspace.ScanStep encodes it; only the
    /// cursor is rewritten, the keys' part is copied as it came.</remarks>
    public static Reply Rewrite(Reply answer, int shard, int shards)
    {
        if (answer.Kind != ReplyKind.Raw || ReferenceEquals(answer.Data, s_ended)) return answer;
        ReadOnlySpan<byte> raw = (byte[])answer.Data!;
        ReadOnlySpan<byte> head = "*2\r\n$"u8;
        if (!raw.StartsWith(head)) return answer;
        ReadOnlySpan<byte> rest = raw[head.Length..];
        int lengthEnd = rest.IndexOf((byte)'\r');
        if (lengthEnd < 0 || !Utf8Parser.TryParse(rest[..lengthEnd], out int length, out _)) return answer;
        rest = rest[(lengthEnd + 2)..];
        if (!Utf8Parser.TryParse(rest[..length], out ulong own, out _)) return answer;
        ReadOnlySpan<byte> keys = rest[(length + 2)..];
        var w = new ArrayBufferWriter<byte>(raw.Length + 16);
        Resp.WriteHeader(w, (byte)'*', 2);
        Resp.WriteBulk(w, Next(shard, own, shards).ToString(CultureInfo.InvariantCulture));
        Resp.WriteRaw(w, keys);
        return Reply.Raw(w.WrittenSpan.ToArray());
    }
}
