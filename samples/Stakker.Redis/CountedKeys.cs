namespace Stakker.Redis;

/// <summary>Where the keys are in a command that names them by a count (Redis's "movablekeys": ZUNIONSTORE dst
/// numkeys k..., LMPOP numkeys k..., BLMPOP timeout numkeys k...)</summary>
internal static class CountedKeys
{
    /// <summary>The position of the count in <paramref name="id"/>'s arguments, or -1 if the command is not one of these</summary>
    static int CountAt(Cmd id) => id switch
    {
        Cmd.ZUnionStore or Cmd.ZInterStore or Cmd.ZDiffStore or Cmd.BLMPop or Cmd.BZMPop => 2,
        Cmd.ZUnion or Cmd.ZInter or Cmd.ZDiff or Cmd.SInterCard or Cmd.ZInterCard or Cmd.LMPop or Cmd.ZMPop => 1,
        _ => -1,
    };

    /// <summary>True for the commands whose keys <see cref="Positions"/> finds</summary>
    public static bool Knows(Cmd id) => CountAt(id) >= 0;

    /// <summary>The argument positions that are keys (a STORE's destination first); null when the command is not
    /// one of these or its count is not a number of keys it has (the command's own checks give the error)</summary>
    public static int[]? Positions(Cmd id, IReadOnlyList<byte[]> args)
    {
        int at = CountAt(id);
        if (at < 0 || at >= args.Count) return null;
        if (!RedisParse.Long(args[at], out long n) || n < 1 || n > args.Count - at - 1) return null;
        bool stores = id is Cmd.ZUnionStore or Cmd.ZInterStore or Cmd.ZDiffStore;
        var keys = new int[(stores ? 1 : 0) + n];
        int k = 0;
        if (stores) keys[k++] = 1;
        for (int i = 0; i < n; i++) keys[k++] = at + 1 + i;
        return keys;
    }

    /// <summary>The first argument after the keys (the options: WEIGHTS, LEFT, COUNT...)</summary>
    public static int After(Cmd id, IReadOnlyList<byte[]> args)
    {
        int at = CountAt(id);
        RedisParse.Long(args[at], out long n);
        return at + 1 + (int)n;
    }
}
