using System.Diagnostics;

namespace Stakker.Redis.Tests;

// --cores on the command line (decision 107): the processor count by default and for 0, 1 to 256 as given,
// anything else refused with an error naming the range.
public sealed class CoresOptionTests
{
    static string Threads(int cores) => cores == 1 ? "(one Core thread;" : "(" + cores + " Core threads;";

    [Fact]
    public void ByDefault_AndWithZero_TheServerRunsACorePerProcessor()
    {
        int processors = Math.Clamp(Environment.ProcessorCount, 1, RedisServerOptions.MaxCores);
        Assert.Equal(processors, RedisServerOptions.ProcessorCores);
        using (var server = new ServerProcess()) Assert.Contains(Threads(processors), server.Ready);
        using (var server = new ServerProcess("--cores", "0")) Assert.Contains(Threads(processors), server.Ready);
        using (var server = new ServerProcess("--cores", "1"))
        {
            Assert.Contains(Threads(1), server.Ready);
            using var c = new RawClient(server.Port);
            Assert.DoesNotContain("core=", c.Call("CLIENT", "INFO"));   // the single-Core server, as before
        }
        using (var server = new ServerProcess("--cores", "3"))
        {
            Assert.Contains(Threads(3), server.Ready);
            using var c = new RawClient(server.Port);
            Assert.Contains("core=", c.Call("CLIENT", "INFO"));
        }
    }

    [Theory]
    [InlineData("257")]
    [InlineData("-1")]
    [InlineData("two")]
    public void AnythingElse_IsRefused_WithTheRange(string value)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])[Path.Combine(AppContext.BaseDirectory, "Stakker.Redis.dll"), "--port", "0", "--cores", value])
            start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        string error = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(20_000));
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("--cores '" + value + "': a whole number from 1 to 256, or 0 for the processor count", error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void Embedded_CoresOutOfRange_AreRefused(int cores)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => RedisHost.Start(new RedisServerOptions { Port = 0, Cores = cores }));
        Assert.Contains("from 1 to 256", ex.Message);
    }

    [Fact]
    public void Embedded_Default_IsOneCore()
    {
        Assert.Equal(1, new RedisServerOptions().Cores);
        using var host = RedisHost.Start(new RedisServerOptions { Port = 0 });
        using var c = new RawClient(host.Port);
        Assert.DoesNotContain("core=", c.Call("CLIENT", "INFO"));
    }
}
