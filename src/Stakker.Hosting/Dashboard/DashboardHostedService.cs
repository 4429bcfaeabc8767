using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Stakker.Hosting.Dashboard;

/// <summary>Serves the dashboard for the life of the host when <see cref="DashboardOptions.Enabled"/></summary>
/// <remarks>Registered after the runtime's service, so the Cores are attached before it starts.</remarks>
internal sealed partial class DashboardHostedService(StakkerDiagnostics diagnostics, IOptions<StakkerOptions> options, ILogger<StakkerDashboard>? log = null) : IHostedService
{
    StakkerDashboard? _dashboard;

    /// <summary>The dashboard served, once started (null when not enabled)</summary>
    internal StakkerDashboard? Dashboard => _dashboard;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        DashboardOptions o = options.Value.Dashboard;
        if (!o.Enabled) return Task.CompletedTask;
        var dashboard = new StakkerDashboard(diagnostics, o);
        dashboard.Start();
        _dashboard = dashboard;
        LogServing(log ?? (ILogger)NullLogger.Instance, dashboard.Url);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_dashboard is { } d) await d.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(1, LogLevel.Information, "Stakker dashboard on {Url}")]
    static partial void LogServing(ILogger logger, Uri url);
}
