using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Stakker.Redis.Tests;

// The flagship as Program.cs runs it with --log-level Debug --trace: it logs its actors' lives,
// measures on the Stakker meter and writes a span per actor call. Real socket, server on its own thread.
public sealed class ObservabilityTests
{
    [Fact]
    public void The_server_logs_measures_and_traces_a_command()
    {
        var output = new StringWriter();
        var log = new ConsoleLog(LogLevel.Debug, output);
        using var diagnostics = new StakkerDiagnostics(log, tracing: true);
        using var spans = log.ExportSpans();
        var measured = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (i, l) => { if (i.Meter == diagnostics.Meter) l.EnableMeasurementEvents(i); },
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => measured[i.Name] = measured.GetValueOrDefault(i.Name) + v);
        listener.Start();

        using (RedisHost host = RedisHost.Start(new RedisServerOptions { Port = 0 }, diagnostics: diagnostics))
        {
            using var c = new RawClient(host.Port);
            Assert.Equal("+OK", c.Call("SET", "k", "v"));
            Assert.Equal("v", c.Call("GET", "k"));
            listener.RecordObservableInstruments();
        }

        string[] lines;
        lock (output) lines = output.ToString().Split(Environment.NewLine);
        Assert.Contains(lines, l => l.Contains("Stakker.Actors[100]") && l.Contains("started"));
        Assert.Contains(lines, l => l.Contains("Stakker.Spans") && l.Contains("span "));
        Assert.True(measured["stakker.calls"] > 0);
        Assert.True(measured["stakker.actors.alive"] >= 2, "the server and the client connection");
    }
}

/// <summary>A client that resets its connection has gone away, as clients do: its connection actor
/// stops rather than fails, so logs and the dashboard's failures list show real faults only</summary>
public sealed class PeerResetTests
{
    [Fact]
    public void A_connection_reset_by_its_client_stops_its_actor_without_a_failure()
    {
        var output = new StringWriter();
        var log = new ConsoleLog(LogLevel.Debug, output);
        using var diagnostics = new StakkerDiagnostics(log);
        using (RedisHost host = RedisHost.Start(new RedisServerOptions { Port = 0 }, diagnostics: diagnostics))
        {
            for (int i = 0; i < 5; i++)
            {
                using var c = new RawClient(host.Port);
                Assert.Equal("+OK", c.Call("SET", "k" + i, "v"));
                c.Socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);   // close with RST
                c.Socket.Close();
            }
            using var last = new RawClient(host.Port);
            // The server has seen the five resets once a later connection is served and the five are gone.
            for (int i = 0; i < 200 && !last.Call("CLIENT", "LIST").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.Equals(1); i++)
                Thread.Sleep(5);
            Assert.Single(last.Call("CLIENT", "LIST").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        string all;
        lock (output) all = output.ToString();
        Assert.Contains("Client", all);
        Assert.DoesNotContain("failed", all, StringComparison.OrdinalIgnoreCase);
    }
}
