using System.Text.Json;

namespace Stakker.Dashboard.Tests;

/// <summary>The flagship runs a Core per processor by default (decision 107): its dashboard shows every one</summary>
public sealed class FlagshipCoresTests
{
    static async Task<string[]> CoresWithAServer(FlagshipProcess flagship)
    {
        using var http = new HttpClient();
        string json = await http.GetStringAsync(new Uri(flagship.Dashboard, "api/snapshot"));
        return [.. JsonDocument.Parse(json).RootElement.GetProperty("cores").EnumerateArray()
            .Where(c => c.GetProperty("types").EnumerateArray().Any(t => t.GetProperty("type").GetString() == "RedisServer"))
            .Select(c => c.GetProperty("name").GetString()!).Order()];
    }

    [Fact]
    public async Task ByDefault_EveryProcessorsCore_IsShown_WithItsShard()
    {
        using var flagship = new FlagshipProcess();
        int expected = Math.Clamp(Environment.ProcessorCount, 1, 256);
        Assert.Equal(Enumerable.Range(0, expected).Select(i => i.ToString()).Order(), await CoresWithAServer(flagship));
    }

    [Fact]
    public async Task MoreCoresThanProcessors_AreEachShown()
    {
        using var flagship = new FlagshipProcess("--cores", "4");
        Assert.Equal(["0", "1", "2", "3"], await CoresWithAServer(flagship));
    }
}
