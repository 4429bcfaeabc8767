using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Stakker.Redis;

// INFO [section ...]: the sections and field names of Redis 7, with what this server can measure.
internal sealed partial class Keyspace
{
    static readonly string[] s_defaultSections = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace"];

    Reply Info(ServerInfo info, byte[][] a)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        if (a.Length == 1) wanted.UnionWith(s_defaultSections);
        for (int i = 1; i < a.Length; i++)
        {
            string s = Encoding.UTF8.GetString(a[i]).ToLowerInvariant();
            if (s == "default") wanted.UnionWith(s_defaultSections);
            else if (s is "all" or "everything") { wanted.UnionWith(s_defaultSections); wanted.Add("commandstats"); wanted.Add("latencystats"); }
            else wanted.Add(s);
        }
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var proc = Process.GetCurrentProcess();
        void Section(string name, Action body)
        {
            if (!wanted.Contains(name)) return;
            if (sb.Length > 0) sb.Append("\r\n");
            sb.Append("# ").Append(char.ToUpperInvariant(name[0])).Append(name.AsSpan(1)).Append("\r\n");
            body();
        }
        void Field(string name, object value) => sb.Append(name).Append(':').Append(Convert.ToString(value, inv)).Append("\r\n");
        long uptime = (long)(DateTime.UtcNow - info.Started).TotalSeconds;
        Section("server", () =>
        {
            Field("redis_version", "7.0.15");
            Field("redis_mode", "standalone");
            Field("server_name", "stakker-redis");
            Field("os", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
            Field("arch_bits", 64);
            Field("multiplexing_api", "stakker");
            Field("process_id", Environment.ProcessId);
            Field("tcp_port", info.Port);
            Field("uptime_in_seconds", uptime);
            Field("uptime_in_days", uptime / 86400);
            Field("hz", 10);
            Field("executable", Environment.ProcessPath ?? "");
        });
        Section("clients", () =>
        {
            Field("connected_clients", info.ConnectedClients);
            Field("maxclients", 10000);
            Field("blocked_clients", BlockedClients);
            Field("tracking_clients", 0);
            Field("clients_in_timeout_table", BlockedClients);
        });
        Section("memory", () =>
        {
            long heap = GC.GetTotalMemory(false);
            Field("used_memory", heap);
            Field("used_memory_human", (heap / 1024.0 / 1024.0).ToString("0.00", inv) + "M");
            Field("used_memory_rss", proc.WorkingSet64);
            Field("used_memory_peak", proc.PeakWorkingSet64);
            Field("maxmemory", 0);
            Field("maxmemory_policy", "noeviction");
            Field("mem_allocator", "dotnet-gc");
        });
        Section("persistence", () =>
        {
            Field("loading", 0);
            Field("rdb_changes_since_last_save", 0);
            Field("rdb_bgsave_in_progress", 0);
            Field("aof_enabled", 0);
            Field("aof_rewrite_in_progress", 0);
        });
        Section("stats", () =>
        {
            Field("total_connections_received", info.Stats.Connections);
            Field("total_commands_processed", info.Stats.TotalCalls);
            Field("rejected_connections", 0);
            Field("expired_keys", _expiredKeys);
            Field("evicted_keys", 0);
            Field("keyspace_hits", 0);
            Field("keyspace_misses", 0);
            Field("pubsub_channels", 0);
            Field("pubsub_patterns", 0);
            Field("total_error_replies", info.Stats.RejectedCalls);
        });
        Section("replication", () =>
        {
            Field("role", "master");
            Field("connected_slaves", 0);
            Field("master_repl_offset", 0);
        });
        Section("cpu", () =>
        {
            Field("used_cpu_sys", proc.PrivilegedProcessorTime.TotalSeconds.ToString("0.000000", inv));
            Field("used_cpu_user", proc.UserProcessorTime.TotalSeconds.ToString("0.000000", inv));
            Field("used_cpu_sys_children", "0.000000");
            Field("used_cpu_user_children", "0.000000");
        });
        Section("modules", () => { });
        Section("errorstats", () => { });
        Section("cluster", () => Field("cluster_enabled", 0));
        Section("commandstats", () =>
        {
            foreach (CommandInfo c in Commands.All.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                long calls = info.Stats.Calls[c.Index], rejected = info.Stats.RejectedByCommand[c.Index];
                if (calls + rejected == 0) continue;
                sb.Append("cmdstat_").Append(c.Name).Append(":calls=").Append(calls).Append(",usec=0,usec_per_call=0.00,rejected_calls=")
                  .Append(rejected).Append(",failed_calls=0\r\n");
            }
        });
        Section("keyspace", () => KeyspaceInfo(sb));
        return Reply.Verbatim(sb.ToString());
    }
}
