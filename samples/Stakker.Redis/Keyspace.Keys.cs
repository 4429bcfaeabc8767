using System.Globalization;
using System.Text;

namespace Stakker.Redis;

// Commands on keys whatever their type: TYPE, RENAME(NX), EXPIREAT/PEXPIREAT, EXPIRETIME/PEXPIRETIME,
// RANDOMKEY, TIME.
internal sealed partial class Keyspace
{
    Reply TypeOf(Cx<Keyspace> cx, byte[] key) => Reply.Simple(TypeName(Find(cx, key)));

    Reply Rename(Cx<Keyspace> cx, byte[][] a, bool nx)
    {
        Entry? src = Find(cx, a[1]);
        if (src is null) return Reply.Error("ERR no such key");
        bool same = a[1].AsSpan().SequenceEqual(a[2]);
        if (same) return nx ? Reply.Zero : Reply.Ok;
        Entry? dst = Find(cx, a[2]);
        if (dst is not null)
        {
            if (nx) return Reply.Zero;
            Remove(cx, dst);
        }
        Entry moved = Create(a[2]);
        moved.Value = src.Value;
        long at = src.ExpireAt;
        Remove(cx, src);
        if (at != 0) SetExpire(cx, moved, at);
        Notify(KeyspaceEventTable.RenameFrom, a[1]);
        Notify(KeyspaceEventTable.RenameTo, a[2]);
        // A list or sorted set arriving under a key that clients wait on serves them after the command (Create signalled it).
        return nx ? Reply.One : Reply.Ok;
    }

    /// <summary>Unix milliseconds at Core tick 0, fixed at first use so that an absolute expiry read back
    /// (EXPIRETIME) is exactly the time that was set</summary>
    long _unixAnchorMs = long.MinValue;

    /// <summary>The wall clock in Unix milliseconds at the Core's present time</summary>
    long UnixMs(Cx<Keyspace> cx)
    {
        long nowMs = cx.Now.Ticks / TimeSpan.TicksPerMillisecond;
        if (_unixAnchorMs == long.MinValue) _unixAnchorMs = cx.Core.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds() - nowMs;
        return _unixAnchorMs + nowMs;
    }

    /// <summary>EXPIREAT/PEXPIREAT: an absolute Unix time, checked and applied as EXPIRE does a relative one</summary>
    Reply ExpireAt(Cx<Keyspace> cx, byte[][] a, long unitMs, string name)
    {
        if (!RedisParse.Long(a[2], out long when)) return Expire(cx, a, 1, name);
        if (unitMs == 1000 && (when > long.MaxValue / 1000 || when < long.MinValue / 1000))
            return Reply.Error("ERR invalid expire time in '" + name + "' command");
        long unixMs = when * unitMs;
        long nowMs = UnixMs(cx);
        long relative = unixMs <= nowMs ? 0 : unixMs - nowMs;
        // A time past what the Core's clock can hold (some 29,000 years on) is kept as the furthest it can:
        // Redis accepts any absolute time that fits in 64 bits.
        long furthestMs = (long.MaxValue - cx.Now.Ticks) / TimeSpan.TicksPerMillisecond - 1;
        if (relative > furthestMs) relative = furthestMs;
        var b = (byte[][])a.Clone();
        b[2] = Encoding.ASCII.GetBytes(relative.ToString(CultureInfo.InvariantCulture));
        return Expire(cx, b, 1, name);
    }

    Reply ExpireTime(Cx<Keyspace> cx, byte[] key, bool ms)
    {
        Entry? e = Find(cx, key);
        if (e is null) return Reply.Int(-2);
        if (e.ExpireAt == 0) return Reply.Int(-1);
        UnixMs(cx);   // fixes the anchor if this is its first use
        long at = _unixAnchorMs + e.ExpireAt / TimeSpan.TicksPerMillisecond;
        return Reply.Int(ms ? at : (at + 500) / 1000);
    }

    Reply RandomKey(Cx<Keyspace> cx)
    {
        // Expired keys met on the way are deleted and another is drawn, as Redis does (bounded tries).
        for (int tries = 0; tries < 100 && _data.Count > 0; tries++)
        {
            Entry e = _data.Random(Random.Shared)!;
            if (Find(cx, e.Key) is { } live) return Reply.Bulk(live.Key);
        }
        return Reply.Nil;
    }

    static Reply Time(Cx<Keyspace> cx)
    {
        long us = (cx.Core.TimeProvider.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        return Reply.Array([
            Encoding.ASCII.GetBytes((us / 1_000_000).ToString(CultureInfo.InvariantCulture)),
            Encoding.ASCII.GetBytes((us % 1_000_000).ToString(CultureInfo.InvariantCulture)),
        ]);
    }
}
