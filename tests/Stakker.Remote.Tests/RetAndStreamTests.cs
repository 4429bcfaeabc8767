using Stakker.Remote.TestHost;

namespace Stakker.Remote.Tests;

/// <summary>Rets and streams across the wire: answered once, "no value" when dropped, lost when the
/// actor is gone; streams in order with their end or failure; calls in order and batched</summary>
public sealed class RetAndStreamTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    async Task<(RemoteActor<ICounter> Proxy, Task<Answer<StopCause>> Lost)> CounterAsync(string name)
    {
#pragma warning disable STK0005 // a test's one-off spawn; the closure is made once
        await f.B.PublishAsync<ICounter, Counter>(CounterRemote.Interface, name, cx => new Counter(name, cx.This));
#pragma warning restore STK0005
        var lost = new TaskCompletionSource<Answer<StopCause>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var proxy = await f.A.On(core => f.A.Node.Proxy(CounterRemote.Interface, name, Ret.From<StopCause>(core, a => lost.TrySetResult(a))));
        return (proxy, lost.Task);
    }

    [Fact]
    public async Task Ret_AnsweredWithTheRemoteValue()
    {
        var (c, _) = await CounterAsync("ret-value");
        await f.A.On(core => { c.Call(static (p, n) => p.Add(n), 40); c.Call(static (p, n) => p.Add(n), 2); return 0; });
        Answer<long> total = await f.A.Ask<long>((core, r) => c.Proxy.Get(r)).WaitAsync(Wait);
        Assert.Equal(42, total.Value);
    }

    [Fact]
    public async Task Ret_DroppedByALiveActor_NoValue_AndTheHandleIsNotLost()
    {
        var (c, lost) = await CounterAsync("ret-dropped");
        Answer<int> a = await f.A.Ask<int>((core, r) => c.Proxy.Drop(r)).WaitAsync(Wait);
        Assert.False(a.HasValue);
        Assert.Null(a.Cause); // dropped, as locally: nothing was lost
        Answer<string> who = await f.A.Ask<string>((core, r) => c.Proxy.Who(r)).WaitAsync(Wait);
        Assert.Equal("ret-dropped", who.Value);
        Assert.False(lost.IsCompleted);
    }

    [Fact]
    public async Task Ret_HeldByAnActorThatEnds_NoValue_AndTheHandleGetsLost()
    {
        var (c, lost) = await CounterAsync("ret-held");
        Task<Answer<int>> held = f.A.Ask<int>((core, r) => c.Proxy.Hold(r));
        // Held past several keep-alives: still pending, nothing given up.
        await Task.Delay(Side.FastOptions.LostAfter + 3 * Side.FastOptions.KeepAliveInterval);
        Assert.False(held.IsCompleted);
        await f.A.On(core => { c.Call(static p => p.Stop()); return 0; });
        Answer<int> a = await held.WaitAsync(Wait);
        Assert.False(a.HasValue);
        Assert.Equal(StopKind.Lost, a.Cause?.Kind);
        Answer<StopCause> cause = await lost.WaitAsync(Wait);
        Assert.Equal(StopKind.Lost, cause.Value.Kind);
        // The actor is gone: a later call's Ret is answered as lost too, not left waiting.
        Answer<long> after = await f.A.Ask<long>((core, r) => c.Proxy.Get(r)).WaitAsync(Wait);
        Assert.False(after.HasValue);
        Assert.Equal(StopKind.Lost, after.Cause?.Kind);
    }

    [Fact]
    public async Task Ret_ToANameNobodyPublished_GivenUpWithinTheBound()
    {
        var lost = new TaskCompletionSource<Answer<StopCause>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var c = await f.A.On(core => f.A.Node.Proxy(CounterRemote.Interface, "nobody-here", Ret.From<StopCause>(core, a => lost.TrySetResult(a))));
        var since = System.Diagnostics.Stopwatch.StartNew();
        Answer<long> a = await f.A.Ask<long>((core, r) => c.Proxy.Get(r)).WaitAsync(Wait);
        Assert.InRange(since.Elapsed, Side.FastOptions.LostAfter - Side.FastOptions.KeepAliveInterval, Side.FastOptions.LostAfter + Side.FastOptions.KeepAliveInterval + TimeSpan.FromSeconds(2));
        Assert.False(a.HasValue);
        Assert.Equal(StopKind.Lost, a.Cause?.Kind);
        Assert.Equal(StopKind.Lost, (await lost.Task.WaitAsync(Wait)).Value.Kind);
        Assert.Equal(0, await f.A.On(core => f.A.Node.PendingCount));
    }

    [Fact]
    public async Task UnknownMethod_WithARet_AnsweredAtOnceAsGone_AndLogged()
    {
        var (c, lost) = await CounterAsync("unknown-method");
        Answer<int> a = await f.A.Ask<int>((core, r) =>
        {
            var w = new RemoteSender(f.A.Node, c.Subject, default).BeginCall(0xdeadbeef, 1, 1);
            w.Ret(r);
            w.Send();
        }).WaitAsync(TimeSpan.FromMilliseconds(500)); // well inside LostAfter: the callee answered
        Assert.False(a.HasValue);
        Assert.Equal(StopKind.Lost, a.Cause?.Kind);
        Assert.Contains(f.B.Log.Errors, e => e.Contains("0xdeadbeef", StringComparison.Ordinal));
        Assert.Equal("unknown-method", (await f.A.Ask<string>((core, r) => c.Proxy.Who(r)).WaitAsync(Wait)).Value);
    }

    [Fact]
    public async Task Fwd_ItemsInOrder_ThenTheEnd()
    {
        var (c, _) = await CounterAsync("fwd-items");
        var items = new List<int>();
        var end = new TaskCompletionSource<StreamEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
        await f.A.On(core =>
        {
            c.Proxy.Count(5000, Fwd.From<int>(core, items.Add, e => end.TrySetResult(e)));
            return 0;
        });
        StreamEnd e = await end.Task.WaitAsync(Wait);
        Assert.False(e.IsFailure);
        Assert.Equal(Enumerable.Range(1, 5000), await f.A.On(_ => items.ToArray()));
    }

    [Fact]
    public async Task Fwd_FailureCrossesWithItsMessage()
    {
        var (c, _) = await CounterAsync("fwd-fail");
        var items = new List<int>();
        var end = new TaskCompletionSource<StreamEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
        await f.A.On(core =>
        {
            c.Proxy.FailAfter(3, "disk on fire", Fwd.From<int>(core, items.Add, e => end.TrySetResult(e)));
            return 0;
        });
        StreamEnd e = await end.Task.WaitAsync(Wait);
        Assert.True(e.IsFailure);
        Assert.IsType<RemoteException>(e.Error);
        Assert.Equal("disk on fire", e.Error!.Message);
        int[] got = await f.A.On(_ => items.ToArray());
        Assert.Equal([1, 2, 3], got);
    }

    [Fact]
    public async Task CallsFromOneRun_ArriveInOrder_InAFewFrames()
    {
        var (c, _) = await CounterAsync("order");
        const int N = 20000;
        long framesBefore = await f.A.On(_ => f.A.Node.FramesShipped);
        await f.A.On(core =>
        {
            for (int i = 0; i < N; i++) c.Call(static (p, i) => p.Append(1, i), i);
            return 0;
        });
        long frames = await f.A.On(_ => f.A.Node.FramesShipped) - framesBefore;
        Answer<List<int>> log = await f.A.Ask<List<int>>((core, r) => c.Proxy.Log(r)).WaitAsync(Wait);
        Assert.Equal(Enumerable.Range(0, N), log.Value);
        // 20,000 calls of ~20 bytes: a handful of half-MiB frames, not one write per call.
        Assert.InRange(frames, 1, 10);
    }

    [Fact]
    public async Task Fwd_LeftOpenByAnActorThatEnds_FailsAsLost()
    {
        var (c, lost) = await CounterAsync("fwd-left-open");
        var items = new List<int>();
        var end = new TaskCompletionSource<StreamEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
        await f.A.On(core => { c.Proxy.Subscribe(Fwd.From<int>(core, items.Add, e => end.TrySetResult(e))); return 0; });
        await f.A.Ask<string>((core, r) => c.Proxy.Who(r)).WaitAsync(Wait);
        Assert.False(end.Task.IsCompleted);
        await f.A.On(core => { c.Proxy.Stop(); return 0; });
        StreamEnd e = await end.Task.WaitAsync(Wait);
        Assert.True(e.IsFailure);
        Assert.IsType<RemoteLostException>(e.Error);
        int[] got = await f.A.On(_ => items.ToArray());
        Assert.Equal([1], got);
        Assert.Equal(StopKind.Lost, (await lost.WaitAsync(Wait)).Value.Kind);
        Assert.Equal(0, await f.B.On(_ => f.B.Node.OwedCount));
    }
}
