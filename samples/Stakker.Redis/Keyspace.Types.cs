namespace Stakker.Redis;

// Dispatch of the data-type commands, and the typed look-ups every family uses: a key holding
// another kind of value is WRONGTYPE, and a collection left empty is deleted (as Redis does).
internal sealed partial class Keyspace
{
    Reply ExecuteTyped(Cx<Keyspace> cx, CommandInfo cmd, byte[][] a) => cmd.Id switch
    {
        Cmd.Type => TypeOf(cx, a[1]),
        Cmd.Rename => Rename(cx, a, nx: false),
        Cmd.RenameNx => Rename(cx, a, nx: true),
        Cmd.Scan => Scan(cx, a),
        Cmd.ExpireAt => ExpireAt(cx, a, 1000, "expireat"),
        Cmd.PExpireAt => ExpireAt(cx, a, 1, "pexpireat"),
        Cmd.ExpireTime => ExpireTime(cx, a[1], ms: false),
        Cmd.PExpireTime => ExpireTime(cx, a[1], ms: true),
        Cmd.Touch => Exists(cx, a),
        Cmd.RandomKey => RandomKey(cx),
        Cmd.Time => Time(cx),
        Cmd.MSetNx => MSetNx(cx, a),
        Cmd.IncrByFloat => IncrByFloat(cx, a),
        Cmd.SetRange => SetRange(cx, a),
        Cmd.GetRange => GetRange(cx, a),
        Cmd.SetBit => SetBit(cx, a),
        Cmd.GetBit => GetBit(cx, a),
        Cmd.BitCount => BitCount(cx, a),
        Cmd.BitPos => BitPos(cx, a),
        Cmd.Lcs => Lcs(cx, a),
        Cmd.LIndex => LIndex(cx, a),
        Cmd.LSet => LSet(cx, a),
        Cmd.LTrim => LTrim(cx, a),
        Cmd.LRem => LRem(cx, a),
        Cmd.LPos => LPos(cx, a),
        Cmd.LInsert => LInsert(cx, a),
        Cmd.LMove => LMove(cx, a),
        Cmd.RPopLPush => Move(cx, a[1], a[2], fromLeft: false, toLeft: true),
        Cmd.HSet => HSet(cx, a, "hset"),
        Cmd.HMSet => HSet(cx, a, "hmset"),
        Cmd.HGet => HGet(cx, a),
        Cmd.HMGet => HMGet(cx, a),
        Cmd.HGetAll => HGetAll(cx, a[1], keys: true, values: true),
        Cmd.HKeys => HGetAll(cx, a[1], keys: true, values: false),
        Cmd.HVals => HGetAll(cx, a[1], keys: false, values: true),
        Cmd.HDel => HDel(cx, a),
        Cmd.HExists => HExists(cx, a),
        Cmd.HIncrBy => HIncrBy(cx, a),
        Cmd.HIncrByFloat => HIncrByFloat(cx, a),
        Cmd.HLen => HLen(cx, a[1]),
        Cmd.HSetNx => HSetNx(cx, a),
        Cmd.HStrLen => HStrLen(cx, a),
        Cmd.HRandField => HRandField(cx, a),
        Cmd.HScan => HScan(cx, a),
        Cmd.SAdd => SAdd(cx, a),
        Cmd.SRem => SRem(cx, a),
        Cmd.SMembers => SCombine(cx, a, 1, SetOp.Union, null),
        Cmd.SIsMember => SIsMember(cx, a),
        Cmd.SMIsMember => SMIsMember(cx, a),
        Cmd.SCard => SCard(cx, a[1]),
        Cmd.SPop => SPop(cx, a),
        Cmd.SRandMember => SRandMember(cx, a),
        Cmd.SMove => SMove(cx, a),
        Cmd.SInter => SCombine(cx, a, 1, SetOp.Inter, null),
        Cmd.SUnion => SCombine(cx, a, 1, SetOp.Union, null),
        Cmd.SDiff => SCombine(cx, a, 1, SetOp.Diff, null),
        Cmd.SInterStore => SCombine(cx, a, 2, SetOp.Inter, a[1]),
        Cmd.SUnionStore => SCombine(cx, a, 2, SetOp.Union, a[1]),
        Cmd.SDiffStore => SCombine(cx, a, 2, SetOp.Diff, a[1]),
        Cmd.SInterCard => SInterCard(cx, a),
        Cmd.SScan => SScan(cx, a),
        Cmd.ZAdd => ZAdd(cx, a, incrOnly: false),
        Cmd.ZIncrBy => ZAdd(cx, a, incrOnly: true),
        Cmd.ZRem => ZRem(cx, a),
        Cmd.ZScore => ZScore(cx, a),
        Cmd.ZMScore => ZMScore(cx, a),
        Cmd.ZCard => ZCard(cx, a[1]),
        Cmd.ZRank => ZRank(cx, a, rev: false),
        Cmd.ZRevRank => ZRank(cx, a, rev: true),
        Cmd.ZRange => ZRange(cx, a, ZBy.Rank, rev: false, generic: true),
        Cmd.ZRevRange => ZRange(cx, a, ZBy.Rank, rev: true, generic: false),
        Cmd.ZRangeByScore => ZRange(cx, a, ZBy.Score, rev: false, generic: false),
        Cmd.ZRevRangeByScore => ZRange(cx, a, ZBy.Score, rev: true, generic: false),
        Cmd.ZRangeByLex => ZRange(cx, a, ZBy.Lex, rev: false, generic: false),
        Cmd.ZRevRangeByLex => ZRange(cx, a, ZBy.Lex, rev: true, generic: false),
        Cmd.ZCount => ZCount(cx, a, lex: false),
        Cmd.ZLexCount => ZCount(cx, a, lex: true),
        Cmd.ZPopMin => ZPop(cx, a, max: false),
        Cmd.ZPopMax => ZPop(cx, a, max: true),
        Cmd.ZRemRangeByScore => ZRemRange(cx, a, ZBy.Score),
        Cmd.ZRemRangeByRank => ZRemRange(cx, a, ZBy.Rank),
        Cmd.ZRemRangeByLex => ZRemRange(cx, a, ZBy.Lex),
        Cmd.ZScan => ZScan(cx, a),
        Cmd.LPushX => PushExisting(cx, a, left: true),
        Cmd.RPushX => PushExisting(cx, a, left: false),
        Cmd.LMPop => LMPop(cx, a),
        Cmd.ZMPop => ZMPop(cx, a),
        Cmd.ZRandMember => ZRandMember(cx, a),
        Cmd.ZUnion => ZSetOperation(cx, a, 1, SetOp.Union, null, cardOnly: false),
        Cmd.ZInter => ZSetOperation(cx, a, 1, SetOp.Inter, null, cardOnly: false),
        Cmd.ZDiff => ZSetOperation(cx, a, 1, SetOp.Diff, null, cardOnly: false),
        Cmd.ZUnionStore => ZSetOperation(cx, a, 2, SetOp.Union, a[1], cardOnly: false),
        Cmd.ZInterStore => ZSetOperation(cx, a, 2, SetOp.Inter, a[1], cardOnly: false),
        Cmd.ZDiffStore => ZSetOperation(cx, a, 2, SetOp.Diff, a[1], cardOnly: false),
        Cmd.ZInterCard => ZSetOperation(cx, a, 1, SetOp.Inter, null, cardOnly: true),
        Cmd.ZRangeStore => ZRangeStore(cx, a),
        Cmd.Copy => Copy(cx, a),
        Cmd.Sort => Sort(cx, a, readOnly: false),
        Cmd.SortRo => Sort(cx, a, readOnly: true),
        Cmd.Memory => MemoryCommand(cx, a),
        _ => Reply.Error("ERR command not handled by the keyspace: " + cmd.Name),
    };

    /// <summary>The value of type <typeparamref name="T"/> at <paramref name="key"/>; null if there is no key,
    /// and <paramref name="wrong"/> set if the key holds another type</summary>
    T? Lookup<T>(Cx<Keyspace> cx, byte[] key, out bool wrong) where T : class
    {
        Entry? e = Find(cx, key);
        wrong = e is not null && e.Value is not T;
        return e?.Value as T;
    }

    /// <summary>The value of type <typeparamref name="T"/> at <paramref name="key"/>, made empty if there is no key
    /// (the key is only created by <see cref="Store"/>); null with <paramref name="wrong"/> if another type</summary>
    T? LookupOrNew<T>(Cx<Keyspace> cx, byte[] key, out bool wrong) where T : class, new()
    {
        Entry? e = Find(cx, key);
        wrong = e is not null && e.Value is not T;
        if (wrong) return null;
        return e?.Value as T ?? new T();
    }

    /// <summary>Puts a collection value at a key (creating it if needed), or deletes the key if the collection is empty</summary>
    void Store(Cx<Keyspace> cx, byte[] key, object value, int count)
    {
        Entry? e = Find(cx, key);
        if (count == 0)
        {
            if (e is not null) RemoveEmptied(cx, e);
            return;
        }
        if (e is null) e = Create(key);
        else if (!ReferenceEquals(e.Value, value)) ClearExpire(e);
        e.Value = value;
    }

    /// <summary>Deletes a key whose collection became empty</summary>
    void DropIfEmpty(Cx<Keyspace> cx, byte[] key, int count)
    {
        if (count == 0 && Find(cx, key) is { } e) RemoveEmptied(cx, e);
    }

    /// <summary>TYPE's answer for an entry (an inline string is not copied to find it)</summary>
    static string TypeName(Entry? e) => e is null ? "none" : e.IsString ? "string" : TypeName(e.Value);

    static string TypeName(object? value) => value switch
    {
        byte[] or GrownString => "string",
        ListValue => "list",
        HashValue => "hash",
        SetValue => "set",
        SortedSetValue => "zset",
        _ => "none",
    };

    static Reply ErrorReply(string text) => Reply.Error(text);
    static readonly Reply NotFloat = Reply.Error("ERR value is not a valid float");
}
