using Stakker.Remote.TestHost;

namespace Stakker.Remote.Tests;

/// <summary>Three processes (this one and two hosts) over one nats-server; one host is killed</summary>
public sealed class ProcessTests
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task QueueGroup_SharesCalls_KilledHostsRetsAreLost_TheOtherKeepsServing()
    {
        using NatsServer server = await NatsServer.StartAsync();
        using HostProcess h1 = await HostProcess.StartAsync(server.Url, "shared", "h1", queue: "q");
        using HostProcess h2 = await HostProcess.StartAsync(server.Url, "shared", "h2", queue: "q");
        await using Side a = await Side.StartAsync(server.Url);
        var lost = new TaskCompletionSource<Answer<StopCause>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = await a.On(core => a.Node.Proxy(CounterRemote.Interface, "shared", Ret.From<StopCause>(core, x => lost.TrySetResult(x))));

        // Each round is its own frame, so the queue group picks an instance per round; the Hold and the
        // Who of a round travel together and land on the same host, which the Who names.
        var held = new List<(string Host, Task<Answer<int>> Ret)>();
        for (int i = 0; i < 40; i++)
        {
            Task<Answer<int>>? hold = null;
            Answer<string> who = await a.Ask<string>((core, r) =>
            {
                hold = a.Ask<int>((_, hr) => shared.Proxy.Hold(hr));
                shared.Proxy.Who(r);
            }).WaitAsync(Wait);
            held.Add((who.Value, hold!));
        }
        Assert.Contains(held, h => h.Host == "h1");
        Assert.Contains(held, h => h.Host == "h2");

        var sinceKill = System.Diagnostics.Stopwatch.StartNew();
        h1.Kill();
        foreach (var (host, ret) in held.Where(h => h.Host == "h1"))
        {
            Answer<int> answer = await ret.WaitAsync(Wait);
            Assert.False(answer.HasValue);
            Assert.Equal(StopKind.Lost, answer.Cause?.Kind);
        }
        // The bound is LostAfter + KeepAliveInterval; the margin is for this shared machine's scheduling.
        Assert.InRange(sinceKill.Elapsed, TimeSpan.Zero, Side.FastOptions.LostAfter + Side.FastOptions.KeepAliveInterval + Margin);
        Assert.Equal(StopKind.Lost, (await lost.Task.WaitAsync(Wait)).Value.Kind);
        // The survivor still holds its Rets, kept alive past the loss bound by its keep-alives.
        await Task.Delay(Side.FastOptions.LostAfter + 3 * Side.FastOptions.KeepAliveInterval);
        Assert.All(held.Where(h => h.Host == "h2"), h => Assert.False(h.Ret.IsCompleted));

        // Calls in flight while the server drops the dead member may be lost (NATS is at most once):
        // each is asked until answered, and every answer comes from the survivor.
        for (int i = 0; i < 10; i++)
            Assert.Equal("h2", await ClusterTests.WhoEventually(a, shared, Wait));

        // A stream from the survivor, and its held Rets answered when it stops.
        var items = new List<int>();
        var end = new TaskCompletionSource<StreamEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
        await a.On(core => { shared.Proxy.Count(1000, Fwd.From<int>(core, items.Add, e => end.TrySetResult(e))); return 0; });
        Assert.False((await end.Task.WaitAsync(Wait)).IsFailure);
        Assert.Equal(Enumerable.Range(1, 1000), await a.On(_ => items.ToArray()));
        await a.On(core => { shared.Proxy.Stop(); return 0; });
        foreach (var (_, ret) in held.Where(h => h.Host == "h2"))
        {
            // The remote actor ended holding them: lost, answered by its node at once.
            Answer<int> answer = await ret.WaitAsync(Wait);
            Assert.False(answer.HasValue);
            Assert.Equal(StopKind.Lost, answer.Cause?.Kind);
        }
        Assert.Equal(0, a.AnsweredTwice);
    }

    [Fact]
    public async Task ServerKilled_OutstandingRetsLostWithinTheBound_CoreNeverWaits()
    {
        using NatsServer server = await NatsServer.StartAsync();
        using HostProcess h = await HostProcess.StartAsync(server.Url, "alone", "h");
        await using Side a = await Side.StartAsync(server.Url);
        var counter = await a.On(core => a.Node.Proxy(CounterRemote.Interface, "alone"));
        Assert.Equal("h", (await a.Ask<string>((core, r) => counter.Proxy.Who(r)).WaitAsync(Wait)).Value);
        Task<Answer<int>> held = a.Ask<int>((core, r) => counter.Proxy.Hold(r));
        await a.Ask<string>((core, r) => counter.Proxy.Who(r)).WaitAsync(Wait);

        var sinceCut = System.Diagnostics.Stopwatch.StartNew();
        server.Dispose(); // the link is cut for everyone
        // The Core keeps running while NATS is gone: calls are queued, local work goes on.
        for (int i = 0; i < 100; i++)
            Assert.Equal(i, await a.On(core => { counter.Proxy.Add(1); return i; }).WaitAsync(Wait));
        Answer<int> heldAnswer = await held.WaitAsync(Wait);
        Assert.InRange(sinceCut.Elapsed, TimeSpan.Zero, Side.FastOptions.LostAfter + Side.FastOptions.KeepAliveInterval + Margin);
        Assert.False(heldAnswer.HasValue);
        Assert.Equal(StopKind.Lost, heldAnswer.Cause?.Kind);
        Answer<string> later = await a.Ask<string>((core, r) => counter.Proxy.Who(r)).WaitAsync(Wait);
        Assert.False(later.HasValue);
        Assert.Equal(StopKind.Lost, later.Cause?.Kind);
        Assert.Equal(0, a.AnsweredTwice);
    }
}
