using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stakker.Hosting;

namespace Stakker.Docs.Tests.Hosting;

public interface IOrderStore
{
    void Record(string line);
}

/// <summary>Stands in for a database-backed store: remembers what it was told</summary>
public sealed class SqlOrderStore : IOrderStore
{
    public static readonly List<string> Lines = [];

    public void Record(string line)
    {
        lock (Lines) Lines.Add(line);
    }
}

/// <summary>Records where it was built, then stops, which stops the host</summary>
public sealed class Orders
{
    public Orders(IOrderStore store, Actor<Orders> self)
    {
        store.Record($"Orders built on thread '{Thread.CurrentThread.Name}'");
        self.Call(static (o, cx) => cx.Stop());
    }
}

public sealed class Ticker
{
    public Ticker(Cx<Ticker> cx, TimeSpan interval) =>
        cx.After(interval, static (t, cx) => t.Tick(cx));

    void Tick(Cx<Ticker> cx) => cx.Stop();
}

public class HostingDocTests
{
    [Fact]
    public async Task RootActorsAreBuiltOnTheNamedCoreThreadWithTheirServices()
    {
        string[] args = ["--Logging:LogLevel:Default=None"];
        var run = Task.Run(async () =>
        {
            #region doc:hosting-register
            var builder = Host.CreateApplicationBuilder(args);
            builder.Services.AddSingleton<IOrderStore, SqlOrderStore>();
            builder.AddStakker(stakker => stakker
                .AddRootActor<Orders>()                                            // constructor injection
                .AddRootActor<Ticker>((cx, services) => new Ticker(cx, TimeSpan.FromSeconds(5)))   // factory with the Cx
                .Configure(o => o.ThreadName = "orders"));
            await builder.Build().RunAsync();
            #endregion
        });
        await run.WaitAsync(TimeSpan.FromSeconds(30));   // Orders stopped itself, and so the host
        lock (SqlOrderStore.Lines) Assert.Contains("Orders built on thread 'orders'", SqlOrderStore.Lines);
    }
}
