using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Stakker.Hosting;

namespace Stakker.Docs.Tests.Hosting.SeveralCores;

public sealed class Pricing
{
    public void Price(Cx<Pricing> cx, string sku, Ret<decimal> r) => r.Answer(sku.Length * 1.5m);
}

public sealed class Audit;

#region doc:hosting-cross-core-root
// Orders, on Core 0, calls Pricing on Core 1 with a Ret that answers back on Core 0:
public sealed class Orders(StakkerRuntime stakker)
{
    public void Quote(Cx<Orders> cx, string sku, Ret<decimal> done) =>
        stakker.GetCrossCoreActor<Pricing>().Call(static (p, cx, sku, r) => p.Price(cx, sku, r), sku, done);
}
#endregion

public class SeveralCoresDocTests
{
    [Fact]
    public async Task RootsArePlacedAsAskedAndCallAcrossCores()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        #region doc:hosting-several-cores
        builder.AddStakker(stakker => stakker
            .AddRootActor<Orders>(0)        // on Core 0
            .AddRootActor<Pricing>(1)       // on Core 1
            .AddRootActor<Audit>()          // no index: the next Core in turn
            .Configure(o => o.Cores = 2));
        #endregion
        using IHost host = builder.Build();
        await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var stakker = host.Services.GetRequiredService<StakkerRuntime>();

        decimal price = await stakker.GetRootActor<Orders>()
            .Ask<string, decimal>(static (o, cx, sku, r) => o.Quote(cx, sku, r), "abcd").AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(6m, price);
        Assert.Equal(1, stakker.GetRootActorCore<Pricing>());
        Assert.Equal(0, stakker.GetRootActorCore<Audit>());   // the first root with no index
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }
}
