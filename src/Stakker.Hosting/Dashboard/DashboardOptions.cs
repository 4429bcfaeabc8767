namespace Stakker.Hosting;

/// <summary>The live dashboard in the browser (docs/dashboard.md); bound from <c>"Stakker:Dashboard"</c></summary>
/// <remarks>
/// <code>
/// { "Stakker": { "Dashboard": { "Enabled": true, "Port": 16831 } } }
/// </code>
/// Off by default. On, it listens on 127.0.0.1 only, unless <see cref="Address"/> is set; it offers no
/// action on the actors unless <see cref="AllowActions"/> is set.
/// </remarks>
public sealed class DashboardOptions
{
    /// <summary>Serve the dashboard (default false)</summary>
    public bool Enabled { get; set; }

    /// <summary>The TCP port (default 16831; 0 picks a free one, see <see cref="StakkerDashboard.Port"/>)</summary>
    public int Port { get; set; } = 16831;

    /// <summary>The address to listen on (default <c>127.0.0.1</c>)</summary>
    /// <remarks>The page shows actor type names, figures and exception messages, and has no
    /// authentication: put it on another interface only behind something that authenticates.</remarks>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Offer actions on actors (kill an actor from the page) (default false)</summary>
    public bool AllowActions { get; set; }

    /// <summary>How often open pages get a fresh snapshot (default 1 s; at least 100 ms)</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most connections served at once, live streams included (default 16); more are refused with 503</summary>
    public int MaxConnections { get; set; } = 16;

    /// <summary>Most actors listed per Core when a page expands a type (default 500); the rest are counted</summary>
    public int MaxActorsListed { get; set; } = 500;

    /// <summary>Throws naming the first invalid value</summary>
    internal void Validate()
    {
        if (Port is < 0 or > 65535)
            throw new InvalidOperationException($"DashboardOptions.Port (configuration key \"Stakker:Dashboard:Port\") must be 0 to 65535; it is {Port}.");
        if (!System.Net.IPAddress.TryParse(Address, out _))
            throw new InvalidOperationException($"DashboardOptions.Address (configuration key \"Stakker:Dashboard:Address\") must be an IP address; it is '{Address}'.");
        if (Interval < TimeSpan.FromMilliseconds(100))
            throw new InvalidOperationException($"DashboardOptions.Interval (configuration key \"Stakker:Dashboard:Interval\") must be at least 100 ms; it is {Interval}.");
        if (MaxConnections < 1)
            throw new InvalidOperationException($"DashboardOptions.MaxConnections (configuration key \"Stakker:Dashboard:MaxConnections\") must be 1 or more; it is {MaxConnections}.");
        if (MaxActorsListed < 0)
            throw new InvalidOperationException($"DashboardOptions.MaxActorsListed (configuration key \"Stakker:Dashboard:MaxActorsListed\") must be 0 or more; it is {MaxActorsListed}.");
    }
}
