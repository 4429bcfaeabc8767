namespace Stakker.Redis;

// The string commands that set a value and an expiry together (SETEX, PSETEX), SETNX, and the
// reads that also change the key (GETDEL, GETEX), with Redis 7's replies and errors.
internal sealed partial class Keyspace
{
    /// <summary>A relative expiry (<paramref name="unitMs"/> 1000 for seconds, 1 for milliseconds) as Core ticks;
    /// null, or the error Redis gives for it</summary>
    static Reply? RelativeExpiry(Cx<Keyspace> cx, byte[] arg, long unitMs, string command, out long at)
    {
        at = 0;
        if (!RedisParse.Long(arg, out long v)) return Reply.NotInteger;
        if (v <= 0 || (unitMs == 1000 && v > long.MaxValue / 1000) || !TicksAfter(cx, v * unitMs, out at)) return InvalidExpire(command);
        return null;
    }

    /// <summary>A Unix time (<paramref name="unitMs"/> 1000 for seconds, 1 for milliseconds) as Core ticks, possibly
    /// already past; null, or the error Redis gives for it</summary>
    Reply? AbsoluteExpiry(Cx<Keyspace> cx, byte[] arg, long unitMs, string command, out long at)
    {
        at = 0;
        if (!RedisParse.Long(arg, out long v)) return Reply.NotInteger;
        if (v <= 0 || (unitMs == 1000 && v > long.MaxValue / 1000)) return InvalidExpire(command);
        long unixMs = v * unitMs;
        long nowMs = UnixMs(cx);
        if (unixMs <= nowMs)
        {
            at = cx.Now.Ticks;
            return null;
        }
        return TicksAfter(cx, unixMs - nowMs, out at) ? null : InvalidExpire(command);
    }

    static Reply InvalidExpire(string command) => Reply.Error("ERR invalid expire time in '" + command + "' command");

    /// <summary>SETEX key seconds value, PSETEX key milliseconds value</summary>
    Reply SetEx(Cx<Keyspace> cx, byte[][] a, long unitMs, string command)
    {
        if (RelativeExpiry(cx, a[2], unitMs, command, out long at) is { } invalid) return invalid;
        Entry e = Find(cx, a[1]) ?? Create(a[1]);
        e.Value = a[3];
        SetExpire(cx, e, at);
        Notify(KeyspaceEventTable.Set, a[1]);
        Notify(KeyspaceEventTable.Expire, a[1]);
        return Reply.Ok;
    }

    /// <summary>SETNX key value: 1 if set, 0 if the key existed</summary>
    Reply SetNx(Cx<Keyspace> cx, byte[][] a)
    {
        if (Find(cx, a[1]) is not null) return Reply.Zero;
        Create(a[1]).Value = a[2];
        Notify(a[1]);
        return Reply.One;
    }

    /// <summary>GETDEL key: the string, then the key is gone</summary>
    Reply GetDel(Cx<Keyspace> cx, byte[] key)
    {
        Entry? e = Find(cx, key);
        if (e is null) return Reply.Nil;
        if (!e.IsString) return Reply.WrongType;
        Reply value = e.StrReply;
        Remove(cx, e);
        Notify(key);
        return value;
    }

    /// <summary>GETEX key [EX s | PX ms | EXAT unix-s | PXAT unix-ms | PERSIST]: the string, and its expiry changed</summary>
    Reply GetEx(Cx<Keyspace> cx, byte[][] a)
    {
        // Options as Redis parses them: one kind of expiry (repeating the same one is allowed), or PERSIST.
        string? kind = null;
        byte[]? arg = null;
        for (int j = 2; j < a.Length; j++)
        {
            bool hasNext = j + 1 < a.Length;
            string? option = Commands.Is(a[j], "ex") ? "ex" : Commands.Is(a[j], "px") ? "px"
                : Commands.Is(a[j], "exat") ? "exat" : Commands.Is(a[j], "pxat") ? "pxat" : Commands.Is(a[j], "persist") ? "persist" : null;
            if (option is null || (kind is not null && kind != option)) return Reply.SyntaxError;
            kind = option;
            if (option == "persist") continue;
            if (!hasNext) return Reply.SyntaxError;
            arg = a[++j];
        }
        // Then, as Redis orders it: a missing key is nil and a list is WRONGTYPE before the expiry is checked.
        Entry? e = Find(cx, a[1]);
        if (e is null) return Reply.Nil;
        if (!e.IsString) return Reply.WrongType;
        long at = 0;
        Reply? invalid = kind switch
        {
            "ex" => RelativeExpiry(cx, arg!, 1000, "getex", out at),
            "px" => RelativeExpiry(cx, arg!, 1, "getex", out at),
            "exat" => AbsoluteExpiry(cx, arg!, 1000, "getex", out at),
            "pxat" => AbsoluteExpiry(cx, arg!, 1, "getex", out at),
            _ => null,
        };
        if (invalid is { } error) return error;
        Reply value = e.StrReply;
        if (kind == "persist")
        {
            if (e.ExpireAt != 0)
            {
                ClearExpire(e);
                Notify(KeyspaceEventTable.Persist, a[1]);
            }
        }
        else if (kind is not null)
        {
            // A time already past deletes the key, as Redis does.
            if (at <= cx.Now.Ticks)
            {
                Remove(cx, e);
                Notify(KeyspaceEventTable.Del, a[1]);
            }
            else
            {
                SetExpire(cx, e, at);
                Notify(KeyspaceEventTable.Expire, a[1]);
            }
        }
        return value;
    }
}
