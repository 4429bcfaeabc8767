using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Stakker.Hosting.Tests;

public class DiagnosticsTests
{
    internal sealed class Desk
    {
        public void Serve(Cx<Desk> cx, string who, Ret<string> ret)
        {
            cx.Logger.LogInformation("serving {Who}", who);
            ret.Answer("served " + who);
        }
    }

    /// <summary>Keeps every entry with its category, event id and fields</summary>
    sealed class Provider : ILoggerProvider
    {
        public readonly ConcurrentQueue<(string Category, int EventId, LogLevel Level, Dictionary<string, object?> Fields)> Entries = new();
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        sealed class Logger(Provider p, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                p.Entries.Enqueue((category, eventId.Id, logLevel,
                    (state as IEnumerable<KeyValuePair<string, object?>> ?? []).ToDictionary(kv => kv.Key, kv => kv.Value)));
        }
    }

    [Fact]
    public async Task The_hosted_Core_logs_through_the_containers_loggers_and_measures_on_its_meter_factory()
    {
        var provider = new Provider();
        using IHost host = Hosts.Build(b =>
        {
            b.Logging.AddProvider(provider).SetMinimumLevel(LogLevel.Debug);
            b.Services.AddMetrics();
            b.AddStakker(s => s.AddRootActor<Desk>());
        });
        Meter meter = host.Services.GetRequiredService<StakkerDiagnostics>().Meter;
        var alive = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (i, l) => { if (i.Meter == meter) l.EnableMeasurementEvents(i); },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
        {
            if (i.Name == "stakker.actors.alive") alive[(string)tags.ToArray().Single(t => t.Key == "stakker.actor.type").Value!] = v;
        });
        listener.Start();

        await host.StartAsync().Within();
        string reply = await host.Stakker().GetRootActor<Desk>().Ask<string, string>(static (a, cx, who, r) => a.Serve(cx, who, r), "ann").Within();
        listener.RecordObservableInstruments();
        await host.StopAsync().Within();

        Assert.Equal("served ann", reply);
        Assert.Equal(1, alive["Desk"]);
        Assert.Contains(provider.Entries, e => e.Category == StakkerDiagnostics.LogCategory && e.EventId == 100 && (string?)e.Fields["ActorType"] == "Desk");
        Assert.Contains(provider.Entries, e => e.Category == StakkerDiagnostics.LogCategory && e.EventId == 101 && (string?)e.Fields["ActorType"] == "Desk");
        Assert.Contains(provider.Entries, e => e.Category == typeof(Desk).FullName && (string?)e.Fields["Who"] == "ann");
    }

    [Fact]
    public async Task With_Tracing_on_a_call_to_a_root_actor_is_a_span()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == StakkerDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using IHost host = Hosts.Build(b => b.AddStakker(s => s.AddRootActor<Desk>().Configure(o => o.Tracing = true)));

        await host.StartAsync().Within();
        await host.Stakker().GetRootActor<Desk>().Ask<string, string>(static (a, cx, who, r) => a.Serve(cx, who, r), "bo").Within();
        await host.StopAsync().Within();

        Assert.Contains(spans, s => s.DisplayName == "Desk" && (string?)s.GetTagItem("stakker.actor.type") == "Desk");
    }
}
