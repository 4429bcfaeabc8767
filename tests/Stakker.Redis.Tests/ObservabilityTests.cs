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
        var output = new EndingsWriter();
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
            // Each connection's actor logs its end (stopped or failed): wait for the five, then look.
            Assert.True(output.WaitForEndings(5, TimeSpan.FromSeconds(30)), "five connection endings logged");
            using var last = new RawClient(host.Port);
            Assert.Single(last.Call("CLIENT", "LIST").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        string all;
        lock (output) all = output.ToString();
        Assert.Contains("Client", all);
        Assert.DoesNotContain("failed", all, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A log that counts the lines where a connection's actor ended, and lets a test wait for them</summary>
sealed class EndingsWriter : StringWriter
{
    int _endings;

    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (value is not null && value.Contains("Client", StringComparison.Ordinal)
            && (value.Contains(" ended: ", StringComparison.Ordinal) || value.Contains(" failed", StringComparison.Ordinal)))
        {
            lock (this)
            {
                _endings++;
                Monitor.PulseAll(this);
            }
        }
    }

    public bool WaitForEndings(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (this)
        {
            while (_endings < count)
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(this, left)) return _endings >= count;
            }
            return true;
        }
    }
}
