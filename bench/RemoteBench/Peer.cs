namespace RemoteBench;

/// <summary>One framework's client side in the driver process: the same two measurements for each</summary>
public interface IPeerClient : IAsyncDisposable
{
    /// <summary>The row name in the table</summary>
    string Name { get; }

    /// <summary>Connects to this framework's server process</summary>
    Task StartAsync();

    /// <summary><paramref name="roundTrips"/> request-replies one after the other; returns the elapsed time</summary>
    Task<TimeSpan> PingPongAsync(int roundTrips);

    /// <summary><paramref name="messages"/> one-way messages, then one request whose reply (the server's
    /// count, checked) arrives after all of them; returns the elapsed time</summary>
    Task<TimeSpan> OneWayAsync(int messages);
}

/// <summary>Ports and addresses the driver and the servers agree on (the 24300-24399 range)</summary>
public static class Ports
{
    public const int Nats = 24300;
    public const int ProtoServer = 24310;
    public const int ProtoClient = 24311;
    public const int AkkaServer = 24320;
    public const int AkkaClient = 24321;
    public static string NatsUrl => $"nats://127.0.0.1:{Nats}";
}
