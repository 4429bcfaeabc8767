namespace Stakker.Redis;

// The data-type commands (hashes, sets, sorted sets) and the key, string and list commands beyond the
// basics: name, id, arity as Redis 7.0's COMMAND reports it. All run on the keyspace.
internal static partial class Commands
{
    // A method, not a static field: the table in Commands.cs is built from it during static initialisation,
    // and the order of static fields across partial files is not defined.
    static (string Name, Cmd Id, int Arity)[] TypeCommands() =>
    [
        ("type", Cmd.Type, 2), ("rename", Cmd.Rename, 3), ("renamenx", Cmd.RenameNx, 3), ("scan", Cmd.Scan, -2),
        ("expireat", Cmd.ExpireAt, -3), ("pexpireat", Cmd.PExpireAt, -3), ("expiretime", Cmd.ExpireTime, 2),
        ("pexpiretime", Cmd.PExpireTime, 2), ("touch", Cmd.Touch, -2), ("randomkey", Cmd.RandomKey, 1), ("time", Cmd.Time, 1),
        ("msetnx", Cmd.MSetNx, -3), ("incrbyfloat", Cmd.IncrByFloat, 3), ("setrange", Cmd.SetRange, 4), ("getrange", Cmd.GetRange, 4),
        ("substr", Cmd.GetRange, 4), ("setbit", Cmd.SetBit, 4), ("getbit", Cmd.GetBit, 3), ("bitcount", Cmd.BitCount, -2),
        ("bitpos", Cmd.BitPos, -3), ("lcs", Cmd.Lcs, -3),
        ("lindex", Cmd.LIndex, 3), ("lset", Cmd.LSet, 4), ("ltrim", Cmd.LTrim, 4), ("lrem", Cmd.LRem, 4), ("lpos", Cmd.LPos, -3),
        ("linsert", Cmd.LInsert, 5), ("lmove", Cmd.LMove, 5), ("blmove", Cmd.BLMove, 6), ("rpoplpush", Cmd.RPopLPush, 3),
        ("hset", Cmd.HSet, -4), ("hget", Cmd.HGet, 3), ("hmget", Cmd.HMGet, -3), ("hmset", Cmd.HMSet, -4), ("hgetall", Cmd.HGetAll, 2),
        ("hdel", Cmd.HDel, -3), ("hexists", Cmd.HExists, 3), ("hincrby", Cmd.HIncrBy, 4), ("hincrbyfloat", Cmd.HIncrByFloat, 4),
        ("hkeys", Cmd.HKeys, 2), ("hvals", Cmd.HVals, 2), ("hlen", Cmd.HLen, 2), ("hsetnx", Cmd.HSetNx, 4), ("hstrlen", Cmd.HStrLen, 3),
        ("hrandfield", Cmd.HRandField, -2), ("hscan", Cmd.HScan, -3),
        ("sadd", Cmd.SAdd, -3), ("srem", Cmd.SRem, -3), ("smembers", Cmd.SMembers, 2), ("sismember", Cmd.SIsMember, 3),
        ("smismember", Cmd.SMIsMember, -3), ("scard", Cmd.SCard, 2), ("spop", Cmd.SPop, -2), ("srandmember", Cmd.SRandMember, -2),
        ("smove", Cmd.SMove, 4), ("sinter", Cmd.SInter, -2), ("sintercard", Cmd.SInterCard, -3), ("sunion", Cmd.SUnion, -2),
        ("sdiff", Cmd.SDiff, -2), ("sinterstore", Cmd.SInterStore, -3), ("sunionstore", Cmd.SUnionStore, -3),
        ("sdiffstore", Cmd.SDiffStore, -3), ("sscan", Cmd.SScan, -3),
        ("zadd", Cmd.ZAdd, -4), ("zrem", Cmd.ZRem, -3), ("zscore", Cmd.ZScore, 3), ("zmscore", Cmd.ZMScore, -3), ("zincrby", Cmd.ZIncrBy, 4),
        ("zcard", Cmd.ZCard, 2), ("zrank", Cmd.ZRank, 3), ("zrevrank", Cmd.ZRevRank, 3), ("zrange", Cmd.ZRange, -4),
        ("zrevrange", Cmd.ZRevRange, -4), ("zrangebyscore", Cmd.ZRangeByScore, -4), ("zrevrangebyscore", Cmd.ZRevRangeByScore, -4),
        ("zrangebylex", Cmd.ZRangeByLex, -4), ("zrevrangebylex", Cmd.ZRevRangeByLex, -4), ("zcount", Cmd.ZCount, 4),
        ("zlexcount", Cmd.ZLexCount, 4), ("zpopmin", Cmd.ZPopMin, -2), ("zpopmax", Cmd.ZPopMax, -2),
        ("zremrangebyscore", Cmd.ZRemRangeByScore, 4), ("zremrangebyrank", Cmd.ZRemRangeByRank, 4),
        ("zremrangebylex", Cmd.ZRemRangeByLex, 4), ("zscan", Cmd.ZScan, -3),
        ("lpushx", Cmd.LPushX, -3), ("rpushx", Cmd.RPushX, -3), ("brpoplpush", Cmd.BRPopLPush, 4), ("lmpop", Cmd.LMPop, -4),
        ("blmpop", Cmd.BLMPop, -5), ("bzpopmin", Cmd.BZPopMin, -3), ("bzpopmax", Cmd.BZPopMax, -3), ("zmpop", Cmd.ZMPop, -4),
        ("bzmpop", Cmd.BZMPop, -5), ("zrandmember", Cmd.ZRandMember, -2), ("zunion", Cmd.ZUnion, -3), ("zinter", Cmd.ZInter, -3),
        ("zdiff", Cmd.ZDiff, -3), ("zunionstore", Cmd.ZUnionStore, -4), ("zinterstore", Cmd.ZInterStore, -4),
        ("zdiffstore", Cmd.ZDiffStore, -4), ("zintercard", Cmd.ZInterCard, -3), ("zrangestore", Cmd.ZRangeStore, -5),
    ];
}
