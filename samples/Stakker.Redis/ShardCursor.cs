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

    /// <summary>A shard's SCAN reply taken apart: its own next cursor, how many keys, and their encoded bulks;
    /// false for anything else (an error)</summary>
    public static bool TrySplit(Reply answer, out ulong own, out int count, out byte[] keys)
    {
        own = 0;
        count = 0;
        keys = [];
        if (answer.Kind != ReplyKind.Raw) return false;
        ReadOnlySpan<byte> rest = (byte[])answer.Data!;
        ReadOnlySpan<byte> head = "*2\r\n$"u8;
        if (!rest.StartsWith(head)) return false;
        rest = rest[head.Length..];
        int lengthEnd = rest.IndexOf((byte)'\r');
        if (lengthEnd < 0 || !Utf8Parser.TryParse(rest[..lengthEnd], out int length, out _)) return false;
        rest = rest[(lengthEnd + 2)..];
        if (!Utf8Parser.TryParse(rest[..length], out own, out _)) return false;
        rest = rest[(length + 2)..];
        int countEnd = rest.IndexOf((byte)'\r');
        if (rest.IsEmpty || rest[0] != (byte)'*' || countEnd < 0 || !Utf8Parser.TryParse(rest[1..countEnd], out count, out _)) return false;
        keys = rest[(countEnd + 2)..].ToArray();
        return true;
    }

    /// <summary>SCAN's reply from the keys gathered over one or more shards and the client's next cursor</summary>
    public static Reply Join(ulong cursor, int count, List<byte[]> keys)
    {
        var w = new ArrayBufferWriter<byte>(64 + keys.Sum(k => k.Length));
        Resp.WriteHeader(w, (byte)'*', 2);
        Resp.WriteBulk(w, cursor.ToString(CultureInfo.InvariantCulture));
        Resp.WriteHeader(w, (byte)'*', count);
        foreach (byte[] part in keys) Resp.WriteRaw(w, part);
        return Reply.Raw(w.WrittenSpan.ToArray());
    }
}
