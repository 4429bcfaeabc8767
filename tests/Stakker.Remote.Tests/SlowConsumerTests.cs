using Stakker.Remote.TestHost;

namespace Stakker.Remote.Tests;

/// <summary>Frames dropped because a Core is behind (MaxIncomingBytes waiting) become visible losses, at once</summary>
public sealed class SlowConsumerTests
{
    [Fact]
    public async Task FramesDroppedWhileTheCoreIsBehind_TheirRetsAnswerLost_Once_WithoutWaitingForTheTimer()
    {
        using NatsServer server = await NatsServer.StartAsync();
        // A loss timer far beyond the test's wait: every "no value" seen here comes from a drop being
        // reported, not from the timer. Small frames, so the flood is many NATS messages, and room
        // for two of them waiting for each Core.
        var options = new RemoteOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(150), LostAfter = TimeSpan.FromMinutes(2), MaxFrameBytes = 1024, MaxIncomingBytes = 2048 };
        await using Side b = await Side.StartAsync(server.Url, options);
        await using Side a = await Side.StartAsync(server.Url, options);
        await b.PublishAsync<IEcho, Echo>(EchoRemote.Interface, "flood", static cx => new Echo());
        var echo = await a.On(core => a.Node.Proxy(EchoRemote.Interface, "flood"));

        const int Calls = 20_000;
        var answers = new Answer<int>?[Calls];
        int answered = 0, twice = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await a.On(core =>
        {
            for (int i = 0; i < Calls; i++)
            {
                int n = i;
                echo.Proxy.Int(n, Ret.From<int>(core, x =>
                {
                    if (answers[n] is not null) twice++;
                    answers[n] = x;
                    if (++answered == Calls) all.TrySetResult();
                }));
            }
            return 0;
        });
        await all.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, await a.On(_ => twice));
        int lost = 0;
        for (int i = 0; i < Calls; i++)
        {
            Answer<int> x = answers[i]!.Value;
            if (x.HasValue) Assert.Equal(i, x.Value);
            else
            {
                Assert.Equal(StopKind.Lost, x.Cause?.Kind);
                lost++;
            }
        }
        long dropped = await a.On(_ => a.Node.FramesDropped) + await b.On(_ => b.Node.FramesDropped);
        Assert.True(dropped > 0, "room for two frames and a flood of them: some must have been dropped");
        Assert.True(lost > 0);
        Assert.Contains(a.Log.Errors.Concat(b.Log.Errors), e => e.Contains("was dropped", StringComparison.Ordinal));
        Assert.Equal(0, await a.On(_ => a.Node.PendingCount));
    }
}
