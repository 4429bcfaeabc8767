using Stakker.Remote.TestHost;

namespace Stakker.Remote.Tests;

/// <summary>A three-server NATS cluster: sides on different servers talk; a stopped server is routed around</summary>
public sealed class ClusterTests
{
    /// <summary>Asks until an answer comes (interest crosses routes, and a reconnect takes, a moment)</summary>
    internal static async Task<string> WhoEventually(Side a, RemoteActor<ICounter> c, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (true)
        {
            Answer<string> who = await a.Ask<string>((core, r) => c.Proxy.Who(r)).WaitAsync(TimeSpan.FromSeconds(10));
            if (who.HasValue) return who.Value;
            if (DateTime.UtcNow > until) throw new TimeoutException("no answer through the cluster");
        }
    }

    [Fact]
    public async Task ActorsOnDifferentServers_Talk_AndKeepTalkingWhenOneServerStops()
    {
        NatsServer[] servers = await NatsServer.StartClusterAsync();
        try
        {
            // The host knows servers 1 and 2; this side only server 0.
            using HostProcess h = await HostProcess.StartAsync($"{servers[1].Url},{servers[2].Url}", "clustered", "hc");
            await using Side a = await Side.StartAsync(servers[0].Url);
            var c = await a.On(core => a.Node.Proxy(CounterRemote.Interface, "clustered"));
            Assert.Equal("hc", await WhoEventually(a, c, TimeSpan.FromSeconds(20)));

            // Stop whichever of servers 1 and 2 the host is on: stop both in turn is too much, so
            // stop server 1 and, if the host was on 2, it simply stays.
            servers[1].Dispose();
            Assert.Equal("hc", await WhoEventually(a, c, TimeSpan.FromSeconds(20)));
            await a.On(core => { c.Proxy.Add(5); return 0; });
            Answer<long> total = await a.Ask<long>((core, r) => c.Proxy.Get(r)).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(5, total.Value);
        }
        finally
        {
            foreach (NatsServer s in servers) s.Dispose();
        }
    }
}
