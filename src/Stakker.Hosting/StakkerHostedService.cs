using Microsoft.Extensions.Hosting;

namespace Stakker.Hosting;

/// <summary>Starts and stops the <see cref="StakkerRuntime"/> with the host</summary>
internal sealed class StakkerHostedService(StakkerRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runtime.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync(cancellationToken);
}
