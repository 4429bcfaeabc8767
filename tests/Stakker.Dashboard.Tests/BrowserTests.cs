using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Stakker.Dashboard.Tests;

/// <summary>End to end: the flagship with its dashboard, looked at by headless Chromium while
/// redis-benchmark loads it and a client fails</summary>
public sealed class BrowserTests
{
    /// <summary>Where the screenshots go: under the test output</summary>
    static readonly string Artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");

    [Fact]
    public async Task Flagship_UnderLoad_ShowsCallsPerSecond_ClientActors_AndAFailureWithItsCause()
    {
        Assert.True(File.Exists("/usr/bin/redis-benchmark"), "redis-benchmark is missing: apt-get install redis-tools (.ci/run does)");
        // A subscriber that stops reading is dropped past 256 KiB of pending output: a real failure of a Client actor.
        using var flagship = new FlagshipProcess("--client-output-buffer-limit", "pubsub 256kb 0 0");
        await using var browser = await Browser.Start();
        await browser.Navigate(flagship.Dashboard);
        await browser.Until("window.stakkerDashboard !== undefined && window.stakkerDashboard.events >= 2", "the page gets live events");
        Assert.True(await browser.Check("document.getElementById('status').textContent === 'live'"));
        Assert.True(await browser.Check("[...document.querySelectorAll('#types tr.type')].some(r => r.dataset.type === 'RedisServer')"));
        Assert.False(await browser.Check("[...document.querySelectorAll('#types tr.type')].some(r => r.dataset.type === 'Client')"));

        var bench = new ProcessStartInfo("/usr/bin/redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["-p", flagship.Port.ToString(), "-c", "4", "-n", "5000000", "-t", "ping,set,get", "-q"]) bench.ArgumentList.Add(a);
        using (Process load = Process.Start(bench)!)
        {
            try
            {
                await browser.Until("Math.max(0, ...[...window.stakkerDashboard.history.values()].flat()) > 1000", "the calls/s chart moves", seconds: 30);
                await browser.Until("[...document.querySelectorAll('#types tr.type')].some(r => r.dataset.type === 'Client')", "client actors appear");
                // The flagship runs a Core per processor: each Core has a Client row with its share of the connections.
                await browser.Eval("document.querySelectorAll('#types tr.type[data-type=\"Client\"]').forEach(r => r.click())");
                await browser.Until("document.querySelectorAll('#types tr.actors tr.actor').length >= 4", "the Client types expand to their actors");
                await browser.Screenshot(Path.Combine(Artifacts, "dashboard-under-load.png"));
            }
            finally
            {
                load.Kill();
                await load.WaitForExitAsync();
            }
        }

        await FailASubscriber(flagship.Port);
        await browser.Until("document.getElementById('failures').textContent.includes('OutputBufferLimitException')", "the failure is listed");
        string failure = (await browser.Eval("document.querySelector('#failures li').textContent"))!.GetValue<string>();
        Assert.Contains("Client#", failure);
        Assert.Contains("failed", failure);
        Assert.Contains("output buffer limit", failure);
        await browser.Screenshot(Path.Combine(Artifacts, "dashboard.png"));
        Assert.True(new FileInfo(Path.Combine(Artifacts, "dashboard.png")).Length > 10_000);
    }

    /// <summary>A subscriber that reads nothing while a publisher floods its channel, until the server drops it</summary>
    static async Task FailASubscriber(int port)
    {
        using var subscriber = new TcpClient { ReceiveBufferSize = 1024 };
        await subscriber.ConnectAsync("127.0.0.1", port);
        await subscriber.GetStream().WriteAsync("SUBSCRIBE flood\r\n"u8.ToArray());
        var confirm = new byte[64];
        Assert.True(await subscriber.GetStream().ReadAsync(confirm) > 0);
        using var publisher = new TcpClient();
        await publisher.ConnectAsync("127.0.0.1", port);
        byte[] payload = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
        byte[] command = [.. Encoding.ASCII.GetBytes($"*3\r\n$7\r\nPUBLISH\r\n$5\r\nflood\r\n${payload.Length}\r\n"), .. payload, .. "\r\n"u8.ToArray()];
        var replies = new byte[4096];
        for (int i = 0; i < 400; i++)
        {
            await publisher.GetStream().WriteAsync(command);
            int n = await publisher.GetStream().ReadAsync(replies);
            if (n > 0 && replies[0] == (byte)':' && replies[1] == (byte)'0') return;   // no subscriber left: it was dropped
        }
        Assert.Fail("the subscriber was never dropped");
    }
}
