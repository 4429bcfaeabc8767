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
