using System.Globalization;
using System.Text;

namespace Stakker.Redis;

/// <summary>INFO of a server of several Cores from each shard's INFO (decision 101): counters summed, the
/// keyspace and commandstats lines summed per database and per command, figures of the process (memory,
/// CPU, uptime) as any one shard gives them, and a <c># Shards</c> section with one line per shard</summary>
internal static class InfoMerge
{
    /// <summary>Fields that count something each Core or shard has its own share of</summary>
    static readonly HashSet<string> s_summed = new(StringComparer.Ordinal)
    {
        "connected_clients", "blocked_clients", "clients_in_timeout_table",
        "total_connections_received", "total_commands_processed", "expired_keys", "evicted_keys",
        "keyspace_hits", "keyspace_misses", "total_error_replies",
    };

    /// <summary>Parts of a keyspace (<c>db0:keys=3,expires=1,avg_ttl=0</c>) or commandstats line that are counts</summary>
    static readonly HashSet<string> s_summedParts = new(StringComparer.Ordinal)
    {
        "keys", "expires", "calls", "usec", "rejected_calls", "failed_calls",
    };

    /// <summary>True if the sections asked for include the per-shard one: INFO, INFO default/all/everything, INFO shards</summary>
    public static bool WantsShards(IReadOnlyList<byte[]> args)
    {
        if (args.Count == 1) return true;
        for (int i = 1; i < args.Count; i++)
            if (Commands.Is(args[i], "default") || Commands.Is(args[i], "all") || Commands.Is(args[i], "everything") || Commands.Is(args[i], "shards"))
                return true;
        return false;
    }

    /// <summary>The server's INFO from the shards' answers (by shard index), with the <c># Shards</c> section if asked</summary>
    public static string Merge(ShardFigures[] shards, bool withShards)
    {
        string[][] lines = [.. shards.Select(s => Lines(s.Info))];
        var sb = new StringBuilder();
        foreach (string line in lines[0])
        {
            int colon = line.IndexOf(':');
            if (colon < 0)
            {
                // A section's header, or the empty line between sections.
                sb.Append(line).Append("\r\n");
                if (line == "# Keyspace") AppendGrouped(sb, lines, IsDatabase, byDatabase: true);
                else if (line == "# Commandstats") AppendGrouped(sb, lines, IsCommandStat, byDatabase: false);
                continue;
            }
            string name = line[..colon];
            if (IsDatabase(name) || IsCommandStat(name)) continue;   // written whole under their header
            if (!s_summed.Contains(name)) { sb.Append(line).Append("\r\n"); continue; }
            long sum = 0;
            foreach (string[] shard in lines)
                foreach (string l in shard)
                    if (l.Length > colon && l[colon] == ':' && l.StartsWith(name, StringComparison.Ordinal) && long.TryParse(l.AsSpan(colon + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
                        sum += v;
            sb.Append(name).Append(':').Append(sum.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }
        if (withShards) AppendShards(sb, shards);
        return sb.ToString();
    }

    static string[] Lines(string text)
    {
        string[] lines = text.Split("\r\n");
        // The text ends with a line break: the last piece is empty.
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    static bool IsDatabase(string name) => name.Length > 2 && name.StartsWith("db", StringComparison.Ordinal) && name.AsSpan(2).IndexOfAnyExceptInRange('0', '9') < 0;

    static bool IsCommandStat(string name) => name.StartsWith("cmdstat_", StringComparison.Ordinal);

    /// <summary>The lines of one kind from every shard, one per name, their counts summed; in database order
    /// or in the order of the names</summary>
    static void AppendGrouped(StringBuilder sb, string[][] lines, Func<string, bool> kind, bool byDatabase)
    {
        var merged = new Dictionary<string, List<(string Part, string Value)>>(StringComparer.Ordinal);
        foreach (string[] shard in lines)
        {
            foreach (string line in shard)
            {
                int colon = line.IndexOf(':');
                if (colon < 0 || !kind(line[..colon])) continue;
                string name = line[..colon];
                var parts = line[(colon + 1)..].Split(',').Select(p => p.Split('=', 2)).Select(p => (Part: p[0], Value: p.Length > 1 ? p[1] : "")).ToList();
                if (!merged.TryGetValue(name, out var sums)) { merged[name] = parts; continue; }
                for (int i = 0; i < sums.Count && i < parts.Count; i++)
                {
                    if (!s_summedParts.Contains(sums[i].Part) || sums[i].Part != parts[i].Part) continue;
                    if (long.TryParse(sums[i].Value, CultureInfo.InvariantCulture, out long a) && long.TryParse(parts[i].Value, CultureInfo.InvariantCulture, out long b))
                        sums[i] = (sums[i].Part, (a + b).ToString(CultureInfo.InvariantCulture));
                }
            }
        }
        IEnumerable<string> names = byDatabase
            ? merged.Keys.OrderBy(n => int.Parse(n.AsSpan(2), CultureInfo.InvariantCulture))
            : merged.Keys.Order(StringComparer.Ordinal);
        foreach (string name in names)
            sb.Append(name).Append(':').AppendJoin(',', merged[name].Select(p => p.Part + "=" + p.Value)).Append("\r\n");
    }

    static void AppendShards(StringBuilder sb, ShardFigures[] shards)
    {
        if (sb.Length > 0) sb.Append("\r\n");
        sb.Append("# Shards\r\n").Append("shards:").Append(shards.Length).Append("\r\n");
        for (int s = 0; s < shards.Length; s++)
        {
            ShardFigures f = shards[s];
            // Shard s is owned by Core s: the core field is what CLIENT LIST shows for that Core's connections.
            sb.Append(CultureInfo.InvariantCulture, $"shard{s}:core={s},keys={f.Keys},expires={f.Expires},expired_keys={f.ExpiredKeys},commands={f.Commands},connected_clients={f.Clients},blocked_clients={f.BlockedClients}\r\n");
        }
    }
}
