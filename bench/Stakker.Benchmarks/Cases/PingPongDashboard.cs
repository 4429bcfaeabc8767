using BenchmarkDotNet.Attributes;
using Stakker.Hosting;

namespace Stakker.Benchmarks;

/// <summary>The ping-pong case on a bare Core, on a Core with diagnostics and a dashboard attached
/// but no page open, and with a page's sampling on; figures per message</summary>
/// <remarks>The dashboard's promise (decision 094): with no page open, the call path is today's,
/// one flag tested, nothing allocated. The third row is what an open page costs.</remarks>
[MemoryDiagnoser]
public class PingPongDashboard
{
    const int RoundTrips = PingPong.RoundTrips;

    StakkerSide.PingPongDriver _driver = null!;
    StakkerDiagnostics? _diagnostics;
    StakkerDashboard? _dashboard;
    IDisposable? _sampling;

    [GlobalSetup(Target = nameof(Bare))]
    public void SetupBare() => _driver = new StakkerSide.PingPongDriver();

    [GlobalSetup(Target = nameof(DashboardClosed))]
    public void SetupClosed() => Attach(sampling: false);

    [GlobalSetup(Target = nameof(DashboardOpen))]
    public void SetupOpen() => Attach(sampling: true);

    void Attach(bool sampling)
    {
        var diagnostics = new StakkerDiagnostics();
        _diagnostics = diagnostics;
        _driver = new StakkerSide.PingPongDriver(core => diagnostics.Attach(core));
        _dashboard = new StakkerDashboard(diagnostics, new DashboardOptions { Port = 0 });
        _dashboard.Start();
        if (sampling) _sampling = diagnostics.StartSampling();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sampling?.Dispose();
        _dashboard?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _driver.Dispose();
        _diagnostics?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * RoundTrips)]
    public void Bare() => _driver.Run(RoundTrips);

    [Benchmark(OperationsPerInvoke = 2 * RoundTrips)]
    public void DashboardClosed() => _driver.Run(RoundTrips);

    [Benchmark(OperationsPerInvoke = 2 * RoundTrips)]
    public void DashboardOpen() => _driver.Run(RoundTrips);
}
