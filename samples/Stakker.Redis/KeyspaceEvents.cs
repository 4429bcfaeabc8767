using System.Text;

namespace Stakker.Redis;

/// <summary>The classes of <c>notify-keyspace-events</c>, with Redis's bit values (K E g $ l s h z x e t m d n)</summary>
[Flags]
internal enum NotifyClass
{
    None = 0,
    /// <summary>K: publish on <c>__keyspace@db__:key</c></summary>
    Keyspace = 1 << 0,
    /// <summary>E: publish on <c>__keyevent@db__:event</c></summary>
    Keyevent = 1 << 1,
    /// <summary>g: del, expire, rename_from, persist...</summary>
    Generic = 1 << 2,
    /// <summary>$</summary>
    String = 1 << 3,
    /// <summary>l</summary>
    List = 1 << 4,
    /// <summary>s</summary>
    Set = 1 << 5,
    /// <summary>h</summary>
    Hash = 1 << 6,
    /// <summary>z</summary>
    Zset = 1 << 7,
    /// <summary>x: a key deleted by its expiry</summary>
    Expired = 1 << 8,
    /// <summary>e: a key deleted to free memory</summary>
    Evicted = 1 << 9,
    /// <summary>t</summary>
    Stream = 1 << 10,
    /// <summary>m: a read of a key that does not exist</summary>
    KeyMiss = 1 << 11,
    /// <summary>d</summary>
    Module = 1 << 12,
    /// <summary>n: a key added to the database</summary>
    New = 1 << 13,
    /// <summary>A: every class but m and n</summary>
    All = Generic | String | List | Set | Hash | Zset | Expired | Evicted | Stream | Module,
}

/// <summary>One event a command emits: its class and its name on the channel</summary>
internal readonly record struct KeyEvent(NotifyClass Class, string Name)
{
    public readonly byte[] NameBytes = Encoding.ASCII.GetBytes(Name);
}

/// <summary>The server's <c>notify-keyspace-events</c>: set by CONFIG SET, read by the keyspace on every change</summary>
/// <remarks>One object shared on the server's Core (as <see cref="Settings"/>). With no class enabled a change
/// costs the keyspace one test of <see cref="Classes"/> and nothing else (decision 076).</remarks>
internal sealed class KeyspaceEventSettings
{
    public NotifyClass Classes;

    const string Letters = "Ag$lshzxeKEtmdn";

    /// <summary>Redis's letters to classes; false on any other character (as Redis, which refuses the whole value)</summary>
    public static bool TryParse(string text, out NotifyClass classes)
    {
        classes = NotifyClass.None;
        foreach (char c in text)
        {
            NotifyClass one = c switch
            {
                'A' => NotifyClass.All, 'g' => NotifyClass.Generic, '$' => NotifyClass.String, 'l' => NotifyClass.List,
                's' => NotifyClass.Set, 'h' => NotifyClass.Hash, 'z' => NotifyClass.Zset, 'x' => NotifyClass.Expired,
                'e' => NotifyClass.Evicted, 'K' => NotifyClass.Keyspace, 'E' => NotifyClass.Keyevent, 't' => NotifyClass.Stream,
                'm' => NotifyClass.KeyMiss, 'd' => NotifyClass.Module, 'n' => NotifyClass.New,
                _ => NotifyClass.None,
            };
            if (one == NotifyClass.None) return false;
            classes |= one;
        }
        return true;
    }

    /// <summary>Classes back to letters in Redis's order (A for all of its classes, then K, E, m)</summary>
    public static string Format(NotifyClass c)
    {
        var sb = new StringBuilder();
        if ((c & NotifyClass.All) == NotifyClass.All) sb.Append('A');
        else
        {
            foreach (var (flag, letter) in s_order) if ((c & flag) != 0) sb.Append(letter);
        }
        if ((c & NotifyClass.Keyspace) != 0) sb.Append('K');
        if ((c & NotifyClass.Keyevent) != 0) sb.Append('E');
        if ((c & NotifyClass.KeyMiss) != 0) sb.Append('m');
        return sb.ToString();
    }

    static readonly (NotifyClass, char)[] s_order =
    [
        (NotifyClass.Generic, 'g'), (NotifyClass.String, '$'), (NotifyClass.List, 'l'), (NotifyClass.Set, 's'),
        (NotifyClass.Hash, 'h'), (NotifyClass.Zset, 'z'), (NotifyClass.Expired, 'x'), (NotifyClass.Evicted, 'e'),
        (NotifyClass.Stream, 't'), (NotifyClass.Module, 'd'), (NotifyClass.New, 'n'),
    ];

    public static string InvalidError => "Invalid event class character. Use '" + Letters + "'.";
}

/// <summary>The event each write command emits on the key it changes, as Redis 7.0 names them</summary>
/// <remarks>A command's code calls <c>Notify(key)</c> where the key really changed; the name comes from here.
/// Commands with more than one event (LMOVE, RENAME, SMOVE, SET with an expiry...) name the others where they
/// emit them; a collection left empty emits <c>del</c> from the one place that deletes it.</remarks>
internal static class KeyspaceEventTable
{
    static readonly KeyEvent[] s_byCmd = Build();

    public static readonly KeyEvent Del = new(NotifyClass.Generic, "del");
    public static readonly KeyEvent Expire = new(NotifyClass.Generic, "expire");
    public static readonly KeyEvent Persist = new(NotifyClass.Generic, "persist");
    public static readonly KeyEvent Expired = new(NotifyClass.Expired, "expired");
    public static readonly KeyEvent Evicted = new(NotifyClass.Evicted, "evicted");
    public static readonly KeyEvent New = new(NotifyClass.New, "new");
    public static readonly KeyEvent KeyMiss = new(NotifyClass.KeyMiss, "keymiss");
    public static readonly KeyEvent Set = new(NotifyClass.String, "set");
    public static readonly KeyEvent LPush = new(NotifyClass.List, "lpush");
    public static readonly KeyEvent RPush = new(NotifyClass.List, "rpush");
    public static readonly KeyEvent LPop = new(NotifyClass.List, "lpop");
    public static readonly KeyEvent RPop = new(NotifyClass.List, "rpop");
    public static readonly KeyEvent RenameFrom = new(NotifyClass.Generic, "rename_from");
    public static readonly KeyEvent RenameTo = new(NotifyClass.Generic, "rename_to");
    public static readonly KeyEvent MoveFrom = new(NotifyClass.Generic, "move_from");
    public static readonly KeyEvent MoveTo = new(NotifyClass.Generic, "move_to");
    public static readonly KeyEvent SAdd = new(NotifyClass.Set, "sadd");
    public static readonly KeyEvent SRem = new(NotifyClass.Set, "srem");
    public static readonly KeyEvent ZPopMin = new(NotifyClass.Zset, "zpopmin");
    public static readonly KeyEvent ZPopMax = new(NotifyClass.Zset, "zpopmax");

    /// <summary>The event of <paramref name="id"/>; class None for a command that emits none of its own</summary>
    public static KeyEvent Of(Cmd id) => s_byCmd[(int)id];

    static KeyEvent[] Build()
    {
        var t = new KeyEvent[256];
        Array.Fill(t, new KeyEvent(NotifyClass.None, ""));
        void Add(NotifyClass c, string name, params Cmd[] ids) { foreach (Cmd id in ids) t[(int)id] = new KeyEvent(c, name); }
        Add(NotifyClass.String, "set", Cmd.Set, Cmd.SetEx, Cmd.PSetEx, Cmd.SetNx, Cmd.GetSet, Cmd.MSet, Cmd.MSetNx);
        Add(NotifyClass.String, "incrby", Cmd.Incr, Cmd.Decr, Cmd.IncrBy, Cmd.DecrBy);
        Add(NotifyClass.String, "incrbyfloat", Cmd.IncrByFloat);
        Add(NotifyClass.String, "append", Cmd.Append);
        Add(NotifyClass.String, "setrange", Cmd.SetRange);
        Add(NotifyClass.String, "setbit", Cmd.SetBit);
        Add(NotifyClass.Generic, "del", Cmd.Del, Cmd.GetDel);
        Add(NotifyClass.Generic, "expire", Cmd.Expire, Cmd.PExpire, Cmd.ExpireAt, Cmd.PExpireAt);
        Add(NotifyClass.Generic, "persist", Cmd.Persist);
        Add(NotifyClass.List, "lpush", Cmd.LPush, Cmd.LPushX);
        Add(NotifyClass.List, "rpush", Cmd.RPush, Cmd.RPushX);
        Add(NotifyClass.List, "lpop", Cmd.LPop);
        Add(NotifyClass.List, "rpop", Cmd.RPop);
        Add(NotifyClass.List, "lset", Cmd.LSet);
        Add(NotifyClass.List, "ltrim", Cmd.LTrim);
        Add(NotifyClass.List, "lrem", Cmd.LRem);
        Add(NotifyClass.List, "linsert", Cmd.LInsert);
        Add(NotifyClass.Hash, "hset", Cmd.HSet, Cmd.HMSet, Cmd.HSetNx);
        Add(NotifyClass.Hash, "hdel", Cmd.HDel);
        Add(NotifyClass.Hash, "hincrby", Cmd.HIncrBy);
        Add(NotifyClass.Hash, "hincrbyfloat", Cmd.HIncrByFloat);
        Add(NotifyClass.Set, "sadd", Cmd.SAdd);
        Add(NotifyClass.Set, "srem", Cmd.SRem);
        Add(NotifyClass.Set, "spop", Cmd.SPop);
        Add(NotifyClass.Set, "sinterstore", Cmd.SInterStore);
        Add(NotifyClass.Set, "sunionstore", Cmd.SUnionStore);
        Add(NotifyClass.Set, "sdiffstore", Cmd.SDiffStore);
        Add(NotifyClass.Zset, "zadd", Cmd.ZAdd);
        Add(NotifyClass.Zset, "zincr", Cmd.ZIncrBy);
        Add(NotifyClass.Zset, "zrem", Cmd.ZRem);
        Add(NotifyClass.Zset, "zpopmin", Cmd.ZPopMin);
        Add(NotifyClass.Zset, "zpopmax", Cmd.ZPopMax);
        Add(NotifyClass.Zset, "zremrangebyscore", Cmd.ZRemRangeByScore);
        Add(NotifyClass.Zset, "zremrangebyrank", Cmd.ZRemRangeByRank);
        Add(NotifyClass.Zset, "zremrangebylex", Cmd.ZRemRangeByLex);
        Add(NotifyClass.Zset, "zunionstore", Cmd.ZUnionStore);
        Add(NotifyClass.Zset, "zinterstore", Cmd.ZInterStore);
        Add(NotifyClass.Zset, "zdiffstore", Cmd.ZDiffStore);
        Add(NotifyClass.Zset, "zrangestore", Cmd.ZRangeStore);
        Add(NotifyClass.Generic, "copy_to", Cmd.Copy);
        // SORT ... STORE: Redis files it under the list class, the stored value's type.
        Add(NotifyClass.List, "sortstore", Cmd.Sort);
        return t;
    }
}
