namespace Stakker.Redis;

// OBJECT ENCODING/REFCOUNT/IDLETIME/FREQ/HELP, reporting Redis 7.0's names for the shapes values have here.
internal sealed partial class Keyspace
{
    /// <summary>Redis's encoding name for a stored value, or null for a kind this file does not know</summary>
    static string? EncodingOf(object? value) => value switch
    {
        byte[] b when b.Length <= 20 && RespParser.TryParseLong(b, out _) => "int",
        byte[] b => b.Length <= 44 ? "embstr" : "raw",
        GrownString => "raw",
        // Redis 7.0 keeps every list in a quicklist (listpack lists came in 7.2).
        ListValue => "quicklist",
        SortedSetValue z => z.IsSkiplist ? "skiplist" : "listpack",
        HashValue h => h.IsPacked ? "listpack" : "hashtable",
        SetValue s => s.IsIntSet ? "intset" : "hashtable",
        _ => null,
    };

    Reply ObjectCommand(Cx<Keyspace> cx, byte[][] a)
    {
        byte[] sub = a[1];
        if (Commands.Is(sub, "help")) return Reply.HelpLines(s_objectHelp);
        bool known = Commands.Is(sub, "encoding") || Commands.Is(sub, "refcount") || Commands.Is(sub, "idletime") || Commands.Is(sub, "freq");
        if (!known) return Reply.Error("ERR unknown subcommand '" + Commands.Truncate(sub, 128) + "'. Try OBJECT HELP.");
        if (a.Length != 3) return Reply.Error(Commands.WrongArity("object|" + System.Text.Encoding.ASCII.GetString(sub).ToLowerInvariant()));
        Entry? e = Find(cx, a[2]);
        if (e is null) return Reply.Nil;
        if (Commands.Is(sub, "encoding")) return EncodingOf(e.Value) is { } name ? Reply.Bulk(System.Text.Encoding.ASCII.GetBytes(name)) : Reply.Nil;
        // Small integers are shared objects in Redis, reported with the largest refcount.
        if (Commands.Is(sub, "refcount")) return Reply.Int(e.Value is byte[] b && b.Length <= 4 && RespParser.TryParseLong(b, out long n) && n is >= 0 and < 10000 ? int.MaxValue : 1);
        // Access times and frequencies are not tracked (no eviction): each answers as Redis does for a key
        // not touched since, and refuses under the policy that tracks the other.
        bool lfu = _settings.Values.TryGetValue("maxmemory-policy", out string? policy) && policy.Contains("lfu", StringComparison.OrdinalIgnoreCase);
        if (Commands.Is(sub, "idletime"))
            return lfu ? Reply.Error("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.") : Reply.Zero;
        return lfu ? Reply.Zero : Reply.Error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
    }

    static readonly string[] s_objectHelp =
    [
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    ];
}
