using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Stakker;
using Stakker.IO;
using Stakker.Redis;

// stakker-redis: a Redis-compatible (RESP2) in-memory server on 127.0.0.1, every connection an actor.

// Socket completions only queue a note for the Core and wake it (Stakker.IO's SocketArgsBackend), so they can run on the
// epoll thread itself instead of hopping through the thread pool first. Measured with bench/redis.sh
// on a quiet 2-core machine: 0.69x -> 0.91x redis-server without pipelining, 0.66x -> 0.83x with -P 16.
// Must be set before the first socket is made; an explicit setting in the environment wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

int port = 6380;
bool verbose = false;
bool reactor = true;
TcpIoMode? io = null;
string? outputLimit = null;
string? requirePass = null;
LogLevel logLevel = LogLevel.Warning;
bool trace = false;
int? dashboardPort = null;
// One Core per processor: the keyspace sharded over them (decision 107); --cores 1 is the single-Core server.
int cores = RedisServerOptions.ProcessorCores;
bool coresGiven = false;
// A keyspace served by several processes joined by NATS (decision 109; docs/redis-distributed.md).
string? nats = null, shardsHeld = null, cluster = null;
System.Net.IPAddress bind = System.Net.IPAddress.Loopback;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" or "-p" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is >= 0 and <= 65535:
            port = p;
            i++;
            break;
        case "--verbose" or "-v":
            verbose = true;
            break;
        case "--client-output-buffer-limit" when i + 1 < args.Length:
            outputLimit = args[++i];
            if (new OutputLimits().TrySet(outputLimit) is { } error)
            {
                Console.Error.WriteLine($"--client-output-buffer-limit '{outputLimit}': {error}");
                return 2;
            }
            break;
        case "--cores" when i + 1 < args.Length:
            // 0 asks for the processor count, as the default does (Dragonfly's --proactor_threads 0 alike).
            if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out int c) || c > RedisServerOptions.MaxCores)
            {
                Console.Error.WriteLine($"--cores '{args[i]}': a whole number from 1 to {RedisServerOptions.MaxCores}, or 0 for the processor count ({RedisServerOptions.ProcessorCores} here)");
                return 2;
            }
            cores = c == 0 ? RedisServerOptions.ProcessorCores : c;
            coresGiven = true;
            break;
        case "--nats" when i + 1 < args.Length:
            nats = args[++i];
            break;
        case "--shards" when i + 1 < args.Length:
            shardsHeld = args[++i];
            break;
        case "--cluster" when i + 1 < args.Length:
            cluster = args[++i];
            break;
        case "--bind" when i + 1 < args.Length:
            if (!System.Net.IPAddress.TryParse(args[++i], out System.Net.IPAddress? address))
            {
                Console.Error.WriteLine($"--bind '{args[i]}': an IP address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)");
                return 2;
            }
            bind = address;
            break;
        case "--requirepass" when i + 1 < args.Length:
            requirePass = args[++i];
            break;
        case "--log-level" when i + 1 < args.Length && Enum.TryParse(args[i + 1], ignoreCase: true, out LogLevel level):
            logLevel = level;   // Debug shows every actor start and stop, and the spans with --trace
            i++;
            break;
        case "--dashboard":
            // The live dashboard on 127.0.0.1 (docs/dashboard.md); the port is optional.
            dashboardPort = 16831;
            if (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int dp) && dp is >= 0 and <= 65535)
            {
                dashboardPort = dp;
                i++;
            }
            break;
        case "--trace":
            trace = true;   // each actor call and Ret answer is a span of the "Stakker" activity source
            break;
        case "--no-reactor":
            reactor = false;   // socket I/O through SocketAsyncEventArgs and .NET's engine thread (= --io sae)
            break;
        case "--io" when i + 1 < args.Length && args[i + 1] is "epoll" or "uring" or "sae":
            io = args[++i] switch { "uring" => TcpIoMode.IoUring, "epoll" => TcpIoMode.Epoll, _ => TcpIoMode.SocketAsyncEventArgs };
            break;
        case "--help" or "-h":
            Console.WriteLine("usage: Stakker.Redis [--port N] [--bind ADDRESS] [--verbose] [--cores N] [--nats URL --shards a/b [--cluster NAME]] [--io epoll|uring|sae] [--no-reactor] [--requirepass PASSWORD] [--client-output-buffer-limit \"class hard soft seconds ...\"] [--log-level LEVEL] [--trace] [--dashboard [PORT]]");
            Console.WriteLine("  logs (default level Warning) go to stderr; metrics are on the \"Stakker\" meter (dotnet-counters monitor -n Stakker.Redis --counters Stakker);");
            Console.WriteLine("  --trace makes every actor call a span, written to the log at Debug");
            Console.WriteLine("  --dashboard serves a live view of the actors on http://127.0.0.1:16831/ (or the PORT given)");
            Console.WriteLine($"  --cores N: N Cores, each with a shard of the keyspace and a listener on the port; default (and 0): the processor count,");
            Console.WriteLine($"    {RedisServerOptions.ProcessorCores} here; --cores 1 is the single-Core server; at most {RedisServerOptions.MaxCores} (decisions 099-102, 107)");
            Console.WriteLine("    (inside MULTI, a command whose own keys are on two shards, and SCAN or RANDOMKEY, get an error naming");
            Console.WriteLine("    the limit; --cores 1 runs them all; decisions 103-106)");
            Console.WriteLine("  --nats URL --shards a/b [--cluster NAME]: serve one keyspace with other processes joined by the NATS server at URL;");
            Console.WriteLine("    this process holds shard a of b (or a-c/b: shards a to c, one Core each); keys go to shards by Redis Cluster's");
            Console.WriteLine("    key slot, so {hash tags} keep keys together; see docs/redis-distributed.md (decision 109)");
            Console.WriteLine("  --bind ADDRESS: listen on ADDRESS instead of 127.0.0.1 (0.0.0.0: every interface; set --requirepass)");
            Console.WriteLine("  --io: socket I/O through epoll (the default), io_uring (falls back to epoll where the kernel gives no ring), or SocketAsyncEventArgs (sae, = --no-reactor)");
            Console.WriteLine("  default port 6380, listens on 127.0.0.1 (see --bind); output limits as Redis's (default \"normal 0 0 0 pubsub 32mb 8mb 60\")");
            return 0;
        default:
            Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'; try --help");
            return 2;
    }
}

// Logs, metrics and (with --trace) spans of the server's Core: docs/observability.md.
var log = new ConsoleLog(logLevel);
using var diagnostics = new StakkerDiagnostics(log, tracing: trace);
using var spans = trace ? log.ExportSpans() : null;
RedisDistribution? distribution = null;
if (nats is not null || shardsHeld is not null)
{
    if (nats is null || shardsHeld is null)
    {
        Console.Error.WriteLine("--nats and --shards go together: --nats nats://HOST:4222 --shards a/b (this process holds shard a of b)");
        return 2;
    }
    try { distribution = RedisDistribution.Parse(nats, shardsHeld, cluster); }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }
    if (coresGiven && cores != distribution.HeldShards)
    {
        Console.Error.WriteLine($"--cores {cores} with --shards {shardsHeld}: a distributed server runs one Core per shard it holds ({distribution.HeldShards})");
        return 2;
    }
    cores = distribution.HeldShards;
}
else if (cluster is not null)
{
    Console.Error.WriteLine("--cluster names the keyspace of a distributed server: give --nats and --shards too");
    return 2;
}
RedisHost host;
try
{
    host = RedisHost.Start(new RedisServerOptions { Port = port, Bind = bind, Verbose = verbose, Reactor = reactor, Io = io, ClientOutputBufferLimit = outputLimit, RequirePass = requirePass, Cores = cores, Distribution = distribution },
        diagnostics: diagnostics);
}
catch (Exception ex) when (ex is SocketException || ex.InnerException is SocketException)
{
    Console.Error.WriteLine($"cannot listen on {bind}:{port}: {(ex as SocketException ?? ex.InnerException)!.Message}");
    return 1;
}
catch (InvalidOperationException ex) when (distribution is not null)
{
    Console.Error.WriteLine(ex.Message);   // NATS cannot be reached
    return 1;
}
IAsyncDisposable? dashboard = null;
if (dashboardPort is { } dport)
{
    try { dashboard = DashboardStart.Start(diagnostics, dport); }
    catch (SocketException ex)
    {
        Console.Error.WriteLine($"cannot serve the dashboard on 127.0.0.1:{dport}: {ex.Message}");
        host.Dispose();
        return 1;
    }
}
string shape = distribution is { } dist
    ? $"shards {dist.FirstShard}{(dist.HeldShards > 1 ? "-" + (dist.FirstShard + dist.HeldShards - 1) : "")} of {dist.TotalShards} of cluster '{dist.Cluster}' on NATS {dist.NatsUrl}, {(cores == 1 ? "one Core thread" : cores + " Core threads")}"
    : cores == 1 ? "one Core thread" : cores + " Core threads";
Console.WriteLine($"Stakker.Redis ready on {bind}:{host.Port} ({shape}; Ctrl+C stops)");
using var stop = new ManualResetEventSlim();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
// SIGTERM (kill, systemd, docker stop) is a request to stop, as for redis-server: handled here, the
// server closes and the process exits with 0 rather than being ended by the signal (143).
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Set(); });
WaitHandle.WaitAny([stop.WaitHandle, ((IAsyncResult)host.Completion).AsyncWaitHandle]);
dashboard?.DisposeAsync().AsTask().GetAwaiter().GetResult();
host.Dispose();
return 0;
