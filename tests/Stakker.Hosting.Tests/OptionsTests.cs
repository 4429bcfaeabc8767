using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Stakker.Hosting.Tests;

public class OptionsTests
{
    internal sealed class ThreadProbe
    {
        public readonly string ThreadName = Thread.CurrentThread.Name ?? "";
    }

    static async Task<string> CoreThreadName(IHost host)
    {
        await host.StartAsync().Within();
        string name = await host.Stakker().GetRootActor<ThreadProbe>().Ask<string>(static (a, cx, r) => r.Answer(a.ThreadName)).Within();
        await host.StopAsync().Within();
        return name;
    }

    [Fact]
    public async Task Options_AreBoundFromTheStakkerSection()
    {
        using IHost host = Hosts.Build(b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Stakker:ThreadName"] = "orders core",
                ["Stakker:MaxWait"] = "00:00:00.250",
                ["Stakker:StopHostWhenRootActorEnds"] = "false",
            });
            b.AddStakker(s => s.AddRootActor<ThreadProbe>());
        });
        StakkerOptions options = host.Services.GetRequiredService<IOptions<StakkerOptions>>().Value;
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.MaxWait);
        Assert.False(options.StopHostWhenRootActorEnds);
        Assert.Equal("orders core", await CoreThreadName(host));
    }

    [Fact]
    public async Task Code_OverridesConfiguration()
    {
        using IHost host = Hosts.Build(b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Stakker:ThreadName"] = "from config" });
            b.AddStakker(s => s.AddRootActor<ThreadProbe>().Configure(o => o.ThreadName = "from code"));
        });
        Assert.Equal("from code", await CoreThreadName(host));
    }

    [Fact]
    public void ServiceCollection_WithoutConfiguration_UsesTheDefaults()
    {
        var services = new ServiceCollection();
        services.AddStakker();
        using ServiceProvider sp = services.BuildServiceProvider();
        StakkerOptions options = sp.GetRequiredService<IOptions<StakkerOptions>>().Value;
        Assert.Equal("Stakker Core", options.ThreadName);
        Assert.Equal(TimeSpan.FromSeconds(1), options.MaxWait);
        Assert.True(options.StopHostWhenRootActorEnds);
    }

    [Fact]
    public async Task InvalidMaxWait_FailsTheStart_NamingTheKey()
    {
        using IHost host = Hosts.Build(b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Stakker:MaxWait"] = "-00:00:01" });
            b.AddStakker(s => s.AddRootActor<ThreadProbe>());
        });
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync()).Within();
        Assert.Contains("Stakker:MaxWait", ex.Message);
    }
}
