using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Stakker.Hosting;

/// <summary>Starts and stops the <see cref="StakkerRuntime"/> with the host, and its dashboard when
/// <see cref="DashboardOptions.Enabled"/></summary>
/// <remarks>The dashboard starts after the Cores (so they are attached) and stops before them.</remarks>
internal sealed partial class StakkerHostedService(StakkerRuntime runtime, StakkerDiagnostics diagnostics, IOptions<StakkerOptions> options,
    ILogger<StakkerDashboard>? log = null) : IHostedService
{
    StakkerDashboard? _dashboard;

    /// <summary>The dashboard served, once started (null when not enabled)</summary>
    internal StakkerDashboard? Dashboard => _dashboard;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await runtime.StartAsync(cancellationToken).ConfigureAwait(false);
        DashboardOptions o = options.Value.Dashboard;
        if (!o.Enabled) return;
        var dashboard = new StakkerDashboard(diagnostics, o);
        dashboard.Start();
        _dashboard = dashboard;
        LogServing(log ?? (ILogger)NullLogger.Instance, dashboard.Url);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_dashboard is { } d) await d.DisposeAsync().ConfigureAwait(false);
        await runtime.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(1, LogLevel.Information, "Stakker dashboard on {Url}")]
    static partial void LogServing(ILogger logger, Uri url);
}
