namespace Stakker.Remote.Tests;

/// <summary>One nats-server for a test class, and two sides on it: A calls, B publishes</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public NatsServer Server { get; private set; } = null!;
    public Side A { get; private set; } = null!;
    public Side B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await NatsServer.StartAsync();
        A = await Side.StartAsync(Server.Url);
        B = await Side.StartAsync(Server.Url);
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        Server.Dispose();
    }
}
