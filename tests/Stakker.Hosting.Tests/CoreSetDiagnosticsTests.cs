using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Stakker.Hosting.Tests;

/// <summary>Metrics and traces of a host running two Cores</summary>
public class CoreSetDiagnosticsTests
{
    internal sealed class Left;

    internal sealed class Right
    {
        public static void Echo(Cx<Right> cx, int n, Ret<int> r) => r.Answer(n);
    }

    /// <summary>On Core 0; asks <see cref="Right"/> on Core 1</summary>
    internal sealed class Asker(StakkerRuntime runtime)
    {
        public void Ask(Cx<Asker> cx, int n, Ret<int> done) =>
            runtime.GetCrossCoreActor<Right>().Call(static (r, cx, n, ret) => Right.Echo(cx, n, ret), n,
                cx.RetSome<Ret<int>, int>(done, static (a, cx, done, v) => done.Answer(v + 1)));
    }

    [Fact]
    public async Task Each_Cores_measurements_are_tagged_with_its_index()
    {
        using IHost host = Hosts.Build(b =>
        {
            b.Services.AddMetrics();
            b.AddStakker(s => s.AddRootActor<Left>(0).AddRootActor<Right>(1).AddRootActor<Left>(1).Configure(o => o.Cores = 2));
        });
        Meter meter = host.Services.GetRequiredService<StakkerDiagnostics>().Meter;
        var alive = new ConcurrentDictionary<(string Core, string Type), long>();
        var calls = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (i, l) => { if (i.Meter == meter) l.EnableMeasurementEvents(i); },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
        {
            KeyValuePair<string, object?>[] t = tags.ToArray();
            string core = (string)t.Single(x => x.Key == "stakker.core").Value!;
            if (i.Name == "stakker.actors.alive") alive[(core, (string)t.Single(x => x.Key == "stakker.actor.type").Value!)] = v;
            if (i.Name == "stakker.calls") calls[core] = v;
        });
        listener.Start();

        await host.StartAsync().Within();
        await host.Stakker().InvokeAsync(0, static _ => 0).Within();   // every init has run
        await host.Stakker().InvokeAsync(1, static _ => 0).Within();
        listener.RecordObservableInstruments();
        await host.StopAsync().Within();

        Assert.Equal(1, alive[("0", "Left")]);
        Assert.Equal(1, alive[("1", "Left")]);
        Assert.Equal(1, alive[("1", "Right")]);
        Assert.False(alive.ContainsKey(("0", "Right")));
        Assert.Equal(["0", "1"], calls.Keys.Order());
    }

    [Fact]
    public async Task With_tracing_an_Ask_through_both_Cores_is_one_trace()
    {
        using var requests = new ActivitySource("Stakker.Hosting.Tests.Requests");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == StakkerDiagnostics.ActivitySourceName || s == requests,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => stopped.Enqueue(a),
        };
        ActivitySource.AddActivityListener(listener);
        using IHost host = Hosts.Build(b => b.AddStakker(s => s.AddRootActor<Asker>(0).AddRootActor<Right>(1)
            .Configure(o => { o.Cores = 2; o.Tracing = true; })));
        await host.StartAsync().Within();

        ActivityTraceId trace;
        int answer;
        using (Activity request = requests.StartActivity("GET /echo")!)
        {
            trace = request.TraceId;
            answer = await host.Stakker().GetRootActor<Asker>().Ask<int, int>(static (a, cx, n, r) => a.Ask(cx, n, r), 41).Within();
        }
        await host.Stakker().InvokeAsync(0, static _ => 0).Within();   // the last span has stopped
        await host.StopAsync().Within();

        Assert.Equal(42, answer);
        string[] spans = [.. stopped.Where(a => a.TraceId == trace && a.Source.Name == StakkerDiagnostics.ActivitySourceName)
            .OrderBy(a => a.StartTimeUtc).Select(a => a.DisplayName)];
        Assert.Equal(["Asker", "Right", "Asker"], spans);
    }
}
