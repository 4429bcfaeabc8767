using System.Diagnostics;
using System.Globalization;

namespace RemoteBench;

/// <summary>Remote ping-pong latency and one-way throughput between two processes on loopback</summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/RemoteBench -- [--rounds 5] [--pings 2000] [--oneway 1000000] [--only stakker,raw,proto,akka]</c>.
/// The driver starts nats-server and one server process per framework (this program with
/// <c>serve NAME</c>), then runs rounds; each round measures every framework, in an order rotated
/// round by round, so the machine's load falls on all of them alike. It prints medians and ratios.
/// </remarks>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["serve", var which])
        {
            await (which switch
            {
                "stakker" => StakkerPeer.ServeAsync(),
                "raw" => RawNatsPeer.ServeAsync(),
                "proto" => ProtoPeer.ServeAsync(),
                "akka" => AkkaPeer.ServeAsync(),
                _ => throw new ArgumentException("unknown framework " + which),
            });
            return 0;
        }
        int rounds = Arg(args, "--rounds", 5);
        int pings = Arg(args, "--pings", 2000);
        int oneWay = Arg(args, "--oneway", 1_000_000);
        string[] only = (ArgS(args, "--only") ?? "raw,stakker,proto,akka").Split(',');
        return await Driver.RunAsync(rounds, pings, oneWay, only);
    }

    static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    static string? ArgS(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

static class Driver
{
    public static async Task<int> RunAsync(int rounds, int pings, int oneWay, string[] only)
    {
        var started = new List<Process>();
        try
        {
            Console.WriteLine($"{DateTime.UtcNow:u}  {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {Load()}");
            Console.WriteLine($"rounds {rounds}, ping-pong {pings} round trips, one-way {oneWay:N0} messages + 1 request");
            started.Add(Start("nats-server", ["-a", "127.0.0.1", "-p", Ports.Nats.ToString(CultureInfo.InvariantCulture)], null));
            await WaitForPort(Ports.Nats);
            var clients = new List<IPeerClient>();
            foreach (string name in only)
            {
                started.Add(await StartServer(name));
                IPeerClient c = name switch
                {
                    "stakker" => new StakkerPeer.Client(),
                    "raw" => new RawNatsPeer.Client(),
                    "proto" => new ProtoPeer.Client(),
                    "akka" => new AkkaPeer.Client(),
                    _ => throw new ArgumentException("unknown framework " + name),
                };
                await c.StartAsync();
                clients.Add(c);
            }
            var ping = clients.ToDictionary(c => c, _ => new List<double>());
            var tput = clients.ToDictionary(c => c, _ => new List<double>());
            // Round 0 warms every path up (JIT tiers, connections, buffers) and is not counted.
            for (int r = 0; r <= rounds; r++)
            {
                for (int k = 0; k < clients.Count; k++)
                {
                    IPeerClient c = clients[(k + r) % clients.Count];
                    TimeSpan p = await c.PingPongAsync(pings).WaitAsync(TimeSpan.FromMinutes(2));
                    TimeSpan o = await c.OneWayAsync(oneWay).WaitAsync(TimeSpan.FromMinutes(5));
                    if (r == 0) continue;
                    ping[c].Add(p.TotalMicroseconds / pings);
                    tput[c].Add(oneWay / o.TotalSeconds);
                }
                Console.WriteLine($"round {r}{(r == 0 ? " (warm-up)" : "")} done, load {Load()}");
            }
            IPeerClient floor = clients.FirstOrDefault(c => c is RawNatsPeer.Client) ?? clients[0];
            IPeerClient us = clients.FirstOrDefault(c => c is StakkerPeer.Client) ?? clients[0];
            double floorPing = Median(ping[floor]);
            double ourTput = Median(tput[us]);
            Console.WriteLine();
            Console.WriteLine($"| framework | ping-pong µs/round trip, median (min–max) | vs {floor.Name} | one-way msg/s, median (min–max) | vs {us.Name} |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (IPeerClient c in clients)
            {
                Console.WriteLine($"| {c.Name} | {Median(ping[c]):F1} ({ping[c].Min():F1}–{ping[c].Max():F1}) | {Median(ping[c]) / floorPing:F2}x | " +
                    $"{Median(tput[c]):N0} ({tput[c].Min():N0}–{tput[c].Max():N0}) | {Median(tput[c]) / ourTput:F2}x |");
            }
            Console.WriteLine();
            Console.WriteLine($"load at the end {Load()}");
            foreach (IPeerClient c in clients) await c.DisposeAsync();
            return 0;
        }
        finally
        {
            foreach (Process p in started)
            {
                try { p.StandardInput.Close(); } catch (InvalidOperationException) { }
                try { if (!p.WaitForExit(3000)) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                p.Dispose();
            }
        }
    }

    static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    static Process Start(string file, string[] args, Action<string>? onLine)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { if (e.Data is { } l) onLine?.Invoke(l); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is { } l && onLine is not null) Console.Error.WriteLine("  server: " + l); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    static async Task<Process> StartServer(string name)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string self = Environment.ProcessPath!;
        string[] args = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [typeof(Program).Assembly.Location, "serve", name]
            : ["serve", name];
        Process p = Start(self, args, l => { if (l == "READY") ready.TrySetResult(); });
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return p;
    }

    static async Task WaitForPort(int port)
    {
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var c = new System.Net.Sockets.TcpClient();
                await c.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException) { await Task.Delay(50); }
        }
        throw new InvalidOperationException("nats-server did not start on port " + port);
    }
}
