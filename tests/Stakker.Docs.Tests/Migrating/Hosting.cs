using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stakker.Hosting;

namespace Stakker.Docs.Tests.Migrating;

public interface IPriceSource
{
    decimal PriceOf(string symbol);
}

sealed class FixedPrices : IPriceSource
{
    public decimal PriceOf(string symbol) => symbol.Length * 10m;
}

#region doc:migrate-hosting-actor
public sealed class Quotes
{
    readonly IPriceSource _prices;

    public Quotes(IPriceSource prices) => _prices = prices;   // constructor injection

    public void Price(Cx<Quotes> cx, string symbol, Ret<decimal> ret) => ret.Answer(_prices.PriceOf(symbol));
}
#endregion

public class HostingTests
{
    [Fact]
    public async Task ARootActorIsBuiltWithDIAndAskedFromOutside()
    {
        decimal price = await Run(["--Logging:LogLevel:Default=None"]).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(40m, price);
    }

    static async Task<decimal> Run(string[] args)
    {
        #region doc:migrate-hosting
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSingleton<IPriceSource, FixedPrices>();
        builder.AddStakker(stakker => stakker.AddRootActor<Quotes>());
        using IHost host = builder.Build();
        await host.StartAsync();

        // Anywhere with the container: a controller, a minimal API handler, a BackgroundService.
        Actor<Quotes> quotes = host.Services.GetRequiredService<StakkerRuntime>().GetRootActor<Quotes>();
        decimal price = await quotes.Ask<string, decimal>(static (q, cx, s, r) => q.Price(cx, s, r), "ACME");

        await host.StopAsync();   // root actors end, every pending Ret is answered, the thread ends
        #endregion
        return price;
    }
}
