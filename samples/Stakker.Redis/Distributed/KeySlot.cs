namespace Stakker.Redis;

/// <summary>Redis Cluster's key slot (CRC16-XMODEM of the key, or of its <c>{hash tag}</c>, modulo 16,384): the
/// same in every process, so processes agree on which shard owns a key (decision 109)</summary>
internal static class KeySlot
{
    public const int Slots = 16384;

    static readonly ushort[] s_table = MakeTable();

    static ushort[] MakeTable()
    {
        var table = new ushort[256];
        for (int i = 0; i < 256; i++)
        {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            table[i] = (ushort)crc;
        }
        return table;
    }

    /// <summary>The slot of <paramref name="key"/>: of the text between the first <c>{</c> and the next <c>}</c>
    /// when that is not empty (keys that share it share a slot), else of the whole key</summary>
    public static int Of(ReadOnlySpan<byte> key)
    {
        int open = key.IndexOf((byte)'{');
        if (open >= 0)
        {
            int close = key[(open + 1)..].IndexOf((byte)'}');
            if (close > 0) key = key.Slice(open + 1, close);
        }
        ushort crc = 0;
        foreach (byte b in key) crc = (ushort)((crc << 8) ^ s_table[(crc >> 8) ^ b]);
        return crc & (Slots - 1);
    }

    /// <summary>The shard of <paramref name="total"/> that owns <paramref name="slot"/>: shards own equal runs of
    /// slots in order, as Redis Cluster's nodes are usually given them</summary>
    public static int ShardOf(int slot, int total) => (int)((long)slot * total / Slots);
}
