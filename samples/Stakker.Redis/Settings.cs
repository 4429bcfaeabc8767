namespace Stakker.Redis;

/// <summary>Server settings that CONFIG GET/SET reach, shared by every connection on the server's Core</summary>
/// <remarks>Settings the server acts on have their own fields; the rest are Redis settings that
/// clients and the test suite read and set (encoding thresholds, persistence) and that this
/// in-memory server accepts and reports back without acting on them (decision 028).</remarks>
internal sealed class Settings
{
    /// <summary>The password AUTH must give (<c>requirepass</c>); null when none is required</summary>
    public string? RequirePass;

    /// <summary><c>maxmemory</c> in bytes, 0 for no limit: past it, commands Redis flags "denyoom" are refused</summary>
    public long MaxMemory;

    /// <summary>When hashes and sets leave their compact forms</summary>
    public readonly EncodingThresholds Thresholds = new();
    /// <summary><c>notify-keyspace-events</c>, read by the keyspace on every change</summary>
    public readonly KeyspaceEventSettings Events = new();

    /// <summary>A memory size as redis.conf writes it (<c>100</c>, <c>1kb</c>, <c>2mb</c>, <c>1gb</c>, <c>1k</c>...)</summary>
    public static bool TryParseBytes(string text, out long bytes)
    {
        bytes = 0;
        string t = text.Trim().ToLowerInvariant();
        long unit = 1;
        foreach (var (suffix, mul) in s_units)
        {
            if (!t.EndsWith(suffix, StringComparison.Ordinal)) continue;
            unit = mul;
            t = t[..^suffix.Length];
            break;
        }
        if (!long.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n)) return false;
        bytes = n * unit;
        return true;
    }

    static readonly (string, long)[] s_units = [("kb", 1024), ("mb", 1024 * 1024), ("gb", 1024L * 1024 * 1024), ("k", 1000), ("m", 1000 * 1000), ("g", 1000L * 1000 * 1000)];

    /// <summary>Accepted settings and their values, in Redis's default form</summary>
    public readonly Dictionary<string, string> Values = new(StringComparer.OrdinalIgnoreCase)
    {
        ["save"] = "", ["appendonly"] = "no", ["databases"] = "16", ["slave-read-only"] = "yes", ["replica-read-only"] = "yes",
        ["maxclients"] = "10000", ["maxmemory"] = "0", ["maxmemory-policy"] = "noeviction", ["timeout"] = "0",
        ["hash-max-listpack-entries"] = "512", ["hash-max-listpack-value"] = "64",
        ["hash-max-ziplist-entries"] = "512", ["hash-max-ziplist-value"] = "64",
        ["set-max-intset-entries"] = "512",
        ["zset-max-listpack-entries"] = "128", ["zset-max-listpack-value"] = "64",
        ["zset-max-ziplist-entries"] = "128", ["zset-max-ziplist-value"] = "64",
        ["list-max-listpack-size"] = "-2", ["list-max-ziplist-size"] = "-2", ["list-compress-depth"] = "0",
        ["lazyfree-lazy-expire"] = "no", ["lazyfree-lazy-user-del"] = "no", ["lazyfree-lazy-user-flush"] = "no",
        ["lazyfree-lazy-server-del"] = "no", ["lazyfree-lazy-eviction"] = "no",
        ["notify-keyspace-events"] = "", ["proto-max-bulk-len"] = "536870912", ["client-query-buffer-limit"] = "1073741824",
        ["latency-tracking"] = "yes", ["slowlog-log-slower-than"] = "10000", ["slowlog-max-len"] = "128",
        ["active-expire-enabled"] = "yes", ["activedefrag"] = "no", ["appendfsync"] = "everysec",
        ["min-replicas-to-write"] = "0", ["lua-time-limit"] = "5000", ["busy-reply-threshold"] = "5000",
        ["hz"] = "10", ["dynamic-hz"] = "yes", ["loglevel"] = "notice", ["stream-node-max-entries"] = "100",
        ["maxmemory-samples"] = "5", ["lfu-log-factor"] = "10", ["lfu-decay-time"] = "1", ["tracking-table-max-keys"] = "1000000",
        ["close-on-replica-write"] = "yes", ["repl-diskless-sync"] = "yes", ["port"] = "6380", ["bind"] = "127.0.0.1",
    };
}
