using System.Runtime.CompilerServices;
using Stakker.Hosting;

namespace Stakker.Redis;

/// <summary>Starts the live dashboard for <c>--dashboard</c></summary>
/// <remarks>A method of its own, never inlined, so the server loads the hosting assembly only when the
/// dashboard is asked for: a reference from the entry point's own body loaded it at every start-up and
/// made the start 20–30 ms slower (bench/redis-startup.sh).</remarks>
internal static class DashboardStart
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IAsyncDisposable Start(StakkerDiagnostics diagnostics, int port)
    {
        var dashboard = new StakkerDashboard(diagnostics, new DashboardOptions { Port = port });
        try
        {
            dashboard.Start();
        }
        catch
        {
            dashboard.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        Console.WriteLine($"Stakker.Redis dashboard on {dashboard.Url}");
        return dashboard;
    }
}
