using System.Text;

namespace Stakker.Redis;

/// <summary>Every command the server knows</summary>
internal enum Cmd : byte
{
    Ping, Echo, Select, Quit, Client, Command, Config, Info,
    Set, Get, GetSet, SetEx, PSetEx, SetNx, GetDel, GetEx, Del, Exists, Incr, Decr, IncrBy, DecrBy, Append, StrLen, MGet, MSet,
    Expire, PExpire, Ttl, PTtl, Persist, Keys, DbSize, FlushDb, FlushAll,
    LPush, RPush, LPop, RPop, LRange, LLen, BLPop, BRPop,
    Publish, Subscribe, Unsubscribe, PSubscribe, PUnsubscribe,

    // Data types and the key/string/list commands of Commands.Types.cs
    Type, Rename, RenameNx, Scan, ExpireAt, PExpireAt, ExpireTime, PExpireTime, Touch, RandomKey, Time,
    MSetNx, IncrByFloat, SetRange, GetRange, SetBit, GetBit, BitCount, BitPos, Lcs,
    LIndex, LSet, LTrim, LRem, LPos, LInsert, LMove, BLMove, RPopLPush,
    HSet, HGet, HMGet, HMSet, HGetAll, HDel, HExists, HIncrBy, HIncrByFloat, HKeys, HVals, HLen, HSetNx, HStrLen, HRandField, HScan,
    SAdd, SRem, SMembers, SIsMember, SMIsMember, SCard, SPop, SRandMember, SMove, SInter, SInterCard, SUnion, SDiff,
    SInterStore, SUnionStore, SDiffStore, SScan,
    ZAdd, ZRem, ZScore, ZMScore, ZIncrBy, ZCard, ZRank, ZRevRank, ZRange, ZRevRange, ZRangeByScore, ZRevRangeByScore,
    ZRangeByLex, ZRevRangeByLex, ZCount, ZLexCount, ZPopMin, ZPopMax, ZRemRangeByScore, ZRemRangeByRank, ZRemRangeByLex, ZScan,
    LPushX, RPushX, BRPopLPush, LMPop, BLMPop, BZPopMin, BZPopMax, ZMPop, BZMPop, ZRandMember,
    ZUnion, ZInter, ZDiff, ZUnionStore, ZInterStore, ZDiffStore, ZInterCard, ZRangeStore,
    // Databases, transactions and server commands
    Move, SwapDb, Multi, Exec, Discard, Watch, Unwatch, Auth, Hello, Reset, PubSubCmd, Function, Debug, Object,
    // Key commands of Commands.Keys.cs
    Copy, Sort, SortRo, Memory,
}

/// <summary>Which actor runs a command</summary>
internal enum Route : byte
{
    /// <summary>The connection actor itself (protocol and per-connection state)</summary>
    Local,
    /// <summary>The keyspace actor, answering through a Ret</summary>
    Keyspace,
    /// <summary>The pub/sub actor, answering through a Ret</summary>
    PubSub,
}

/// <summary>A command's name, arity (Redis convention: negative means "at least") and route</summary>
internal sealed class CommandInfo(string name, Cmd id, int arity, Route route, bool allowedWhenSubscribed = false, int index = 0)
{
    /// <summary>Position in the table, for per-command counters kept in arrays</summary>
    public readonly int Index = index;
    public readonly string Name = name;
    public readonly Cmd Id = id;
    public readonly int Arity = arity;
    public readonly Route Route = route;
    public readonly bool AllowedWhenSubscribed = allowedWhenSubscribed;
    /// <summary>Redis's description of the command (flags, key positions); null for names Redis lacks</summary>
    public readonly RedisCommandSpec? Spec = RedisCommandTable.Find(name);
    /// <summary>Changes keys (Redis's "write" flag): WATCH is told about the keys it names</summary>
    public readonly bool Write = RedisCommandTable.Find(name)?.Has("write") ?? false;
    /// <summary>Refused when memory is past <c>maxmemory</c> (Redis's "denyoom" flag)</summary>
    public readonly bool DenyOom = RedisCommandTable.Find(name)?.Has("denyoom") ?? false;

    /// <summary>May leave the client waiting for a push (BLPOP, BZPOPMIN...): the connection reads nothing more until answered</summary>
    public bool Blocking => Id is Cmd.BLPop or Cmd.BRPop or Cmd.BLMove or Cmd.BRPopLPush or Cmd.BLMPop or Cmd.BZPopMin or Cmd.BZPopMax or Cmd.BZMPop;

    public bool ArityOk(int argc) => Arity >= 0 ? argc == Arity : argc >= -Arity;
}

/// <summary>The command table, looked up by name without allocating</summary>
internal static partial class Commands
{
    static readonly Dictionary<string, CommandInfo> s_table = Build();
    static readonly Dictionary<string, CommandInfo>.AlternateLookup<ReadOnlySpan<char>> s_lookup = s_table.GetAlternateLookup<ReadOnlySpan<char>>();

    public static IEnumerable<CommandInfo> All => s_table.Values;

    public static int Count => s_table.Count;

    static Dictionary<string, CommandInfo> Build()
    {
        var t = new Dictionary<string, CommandInfo>(StringComparer.OrdinalIgnoreCase);
        void Add(string name, Cmd id, int arity, Route route, bool sub = false) => t.Add(name, new CommandInfo(name, id, arity, route, sub, t.Count));
        Add("ping", Cmd.Ping, -1, Route.Local, true);
        Add("echo", Cmd.Echo, 2, Route.Local);
        Add("select", Cmd.Select, 2, Route.Local);
        Add("quit", Cmd.Quit, -1, Route.Local, true);
        Add("client", Cmd.Client, -2, Route.Local);
        Add("command", Cmd.Command, -1, Route.Local);
        Add("config", Cmd.Config, -2, Route.Local);
        Add("info", Cmd.Info, -1, Route.Keyspace);
        Add("set", Cmd.Set, -3, Route.Keyspace);
        Add("get", Cmd.Get, 2, Route.Keyspace);
        Add("getset", Cmd.GetSet, 3, Route.Keyspace);
        Add("setex", Cmd.SetEx, 4, Route.Keyspace);
        Add("psetex", Cmd.PSetEx, 4, Route.Keyspace);
        Add("setnx", Cmd.SetNx, 3, Route.Keyspace);
        Add("getdel", Cmd.GetDel, 2, Route.Keyspace);
        Add("getex", Cmd.GetEx, -2, Route.Keyspace);
        Add("del", Cmd.Del, -2, Route.Keyspace);
        Add("unlink", Cmd.Del, -2, Route.Keyspace);   // DEL under the name newer clients prefer
        Add("exists", Cmd.Exists, -2, Route.Keyspace);
        Add("incr", Cmd.Incr, 2, Route.Keyspace);
        Add("decr", Cmd.Decr, 2, Route.Keyspace);
        Add("incrby", Cmd.IncrBy, 3, Route.Keyspace);
        Add("decrby", Cmd.DecrBy, 3, Route.Keyspace);
        Add("append", Cmd.Append, 3, Route.Keyspace);
        Add("strlen", Cmd.StrLen, 2, Route.Keyspace);
        Add("mget", Cmd.MGet, -2, Route.Keyspace);
        Add("mset", Cmd.MSet, -3, Route.Keyspace);
        Add("expire", Cmd.Expire, -3, Route.Keyspace);
        Add("pexpire", Cmd.PExpire, -3, Route.Keyspace);
        Add("ttl", Cmd.Ttl, 2, Route.Keyspace);
        Add("pttl", Cmd.PTtl, 2, Route.Keyspace);
        Add("persist", Cmd.Persist, 2, Route.Keyspace);
        Add("keys", Cmd.Keys, 2, Route.Keyspace);
        Add("dbsize", Cmd.DbSize, 1, Route.Keyspace);
        Add("flushdb", Cmd.FlushDb, -1, Route.Keyspace);
        Add("flushall", Cmd.FlushAll, -1, Route.Keyspace);
        Add("lpush", Cmd.LPush, -3, Route.Keyspace);
        Add("rpush", Cmd.RPush, -3, Route.Keyspace);
        Add("lpop", Cmd.LPop, -2, Route.Keyspace);
        Add("rpop", Cmd.RPop, -2, Route.Keyspace);
        Add("lrange", Cmd.LRange, 4, Route.Keyspace);
        Add("llen", Cmd.LLen, 2, Route.Keyspace);
        Add("blpop", Cmd.BLPop, -3, Route.Keyspace);
        Add("brpop", Cmd.BRPop, -3, Route.Keyspace);
        Add("publish", Cmd.Publish, 3, Route.PubSub);
        Add("subscribe", Cmd.Subscribe, -2, Route.Local, true);
        Add("unsubscribe", Cmd.Unsubscribe, -1, Route.Local, true);
        Add("psubscribe", Cmd.PSubscribe, -2, Route.Local, true);
        Add("punsubscribe", Cmd.PUnsubscribe, -1, Route.Local, true);
        foreach (var (name, id, arity) in TypeCommands()) Add(name, id, arity, Route.Keyspace);
        foreach (var (name, id, arity) in KeyCommands()) Add(name, id, arity, Route.Keyspace);
        // Databases, transactions and server commands
        Add("move", Cmd.Move, 3, Route.Keyspace);
        Add("swapdb", Cmd.SwapDb, 3, Route.Keyspace);
        Add("multi", Cmd.Multi, 1, Route.Local);
        Add("exec", Cmd.Exec, 1, Route.Local);
        Add("discard", Cmd.Discard, 1, Route.Local);
        Add("watch", Cmd.Watch, -2, Route.Local);
        Add("unwatch", Cmd.Unwatch, 1, Route.Local);
        Add("auth", Cmd.Auth, -2, Route.Local);
        Add("hello", Cmd.Hello, -1, Route.Local);
        Add("reset", Cmd.Reset, 1, Route.Local, true);
        Add("pubsub", Cmd.PubSubCmd, -2, Route.Local);
        Add("function", Cmd.Function, -2, Route.Local);
        Add("debug", Cmd.Debug, -2, Route.Local);
        Add("object", Cmd.Object, -2, Route.Keyspace);
        return t;
    }

    /// <summary>Finds a command by its name bytes, case-insensitively</summary>
    public static CommandInfo? Find(ReadOnlySpan<byte> name)
    {
        if (name.Length is 0 or > 16) return null;
        Span<char> chars = stackalloc char[name.Length];
        for (int i = 0; i < name.Length; i++) chars[i] = (char)name[i];
        return s_lookup.TryGetValue(chars, out CommandInfo? info) ? info : null;
    }

    /// <summary>"ERR unknown command 'x', with args beginning with: 'a' 'b' " as Redis 7 words it</summary>
    public static string UnknownCommand(List<byte[]> args)
    {
        var sb = new StringBuilder();
        for (int i = 1; i < args.Count && sb.Length < 128; i++)
            sb.Append('\'').Append(Truncate(args[i], 128 - sb.Length)).Append("' ");
        return "ERR unknown command '" + Truncate(args[0], 128) + "', with args beginning with: " + sb;
    }

    public static string WrongArity(string name) => "ERR wrong number of arguments for '" + name + "' command";

    public static string Truncate(byte[] bytes, int max) => Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, Math.Max(0, max)));

    public static bool Is(byte[] arg, string word)
    {
        if (arg.Length != word.Length) return false;
        for (int i = 0; i < arg.Length; i++)
            if (char.ToLowerInvariant((char)arg[i]) != char.ToLowerInvariant(word[i])) return false;
        return true;
    }
}
