namespace Stakker.Redis;

// MEMORY USAGE/DOCTOR/PURGE/MALLOC-STATS/HELP. USAGE estimates what a key costs this process: its entry,
// its name and its value's arrays, with .NET's object headers, the same way whatever the value's size
// (Redis samples large collections; the estimate here walks them, O(size)).
internal sealed partial class Keyspace
{
    /// <summary>An object header and method table pointer, and an array's length, on 64-bit .NET</summary>
    const int ObjectHeader = 16, ArrayHeader = 24;

    Reply MemoryCommand(Cx<Keyspace> cx, byte[][] a)
    {
        byte[] sub = a[1];
        if (Commands.Is(sub, "help")) return Reply.HelpLines(s_memoryHelp);
        if (Commands.Is(sub, "purge"))
        {
            // Redis asks its allocator to give dirty pages back; here a compacting collection does that.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            return Reply.Ok;
        }
        if (Commands.Is(sub, "doctor")) return Reply.Bulk("Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base."u8.ToArray());
        if (Commands.Is(sub, "malloc-stats")) return Reply.Bulk("Stats not supported for the current allocator"u8.ToArray());
        if (!Commands.Is(sub, "usage")) return Reply.Error("ERR unknown subcommand '" + Commands.Truncate(sub, 128) + "'. Try MEMORY HELP.");
        if (a.Length < 3) return Reply.Error(Commands.WrongArity("memory|usage"));
        for (int j = 3; j < a.Length; j++)
        {
            if (Commands.Is(a[j], "samples") && j + 1 < a.Length)
            {
                if (!RedisParse.Long(a[++j], out long samples)) return Reply.NotInteger;
                if (samples < 0) return Reply.SyntaxError;
            }
            else return Reply.SyntaxError;
        }
        Entry? e = Find(cx, a[2]);
        if (e is null) return Reply.Nil;
        return Reply.Int(EntryBytes(e));
    }

    /// <summary>The entry, its slot in the key table, the array of its name (and of an inline string), and its value</summary>
    static long EntryBytes(Entry e) => ObjectHeader + 40 + 8 + Padded(ArrayHeader + e.StoredLength) + (e.IsInline ? 0 : ValueBytes(e.Value));

    static long Padded(long bytes) => (bytes + 7) & ~7L;

    static long ValueBytes(object? value) => value switch
    {
        byte[] b => Padded(ArrayHeader + b.Length),
        GrownString g => ObjectHeader + 16 + Padded(ArrayHeader + g.Buffer.Length),
        HashValue h => h.ApproximateBytes(),
        SetValue s => s.ApproximateBytes(),
        // Lists and sorted sets are estimated from their length: an element's array and its slot or node.
        ListValue l => ObjectHeader + 16 + l.Count * 48L,
        SortedSetValue z => ObjectHeader + 16 + z.Count * 128L,
        _ => 0,
    };

    static readonly string[] s_memoryHelp =
    [
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        "HELP",
        "    Prints this help.",
    ];
}
