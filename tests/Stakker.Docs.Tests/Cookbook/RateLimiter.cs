namespace Stakker.Docs.Tests.Cookbook;

#region doc:cookbook-rate-limiter
sealed class RateLimiter
{
    static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    readonly int _perWindow;
    readonly Queue<Ret<Unit>> _waiting = new();
    int _left;
    FixedTimerKey _refill;

    public RateLimiter(int perWindow) => _left = _perWindow = perWindow;

    public void Acquire(Cx<RateLimiter> cx, Ret<Unit> permit)
    {
        if (_left > 0) { _left--; permit.Answer(default); }
        else _waiting.Enqueue(permit);              // kept by this actor: "no value" if it ends
        if (!cx.Core.TimerActive(_refill)) _refill = cx.After(Window, static (l, cx) => l.Refill(cx));
    }

    void Refill(Cx<RateLimiter> cx)
    {
        _left = _perWindow;
        while (_left > 0 && _waiting.TryDequeue(out Ret<Unit> permit)) { _left--; permit.Answer(default); }
        if (_left < _perWindow) _refill = cx.After(Window, static (l, cx) => l.Refill(cx));
    }
}
#endregion

public class RateLimiterTests
{
    [Fact]
    public void TenPermitsASecondAndTheRestWaitInOrder()
    {
        var core = new Core(Instant.Zero);
        using var limiter = core.Spawn<RateLimiter, int>(static (cx, n) => new RateLimiter(n), 10, Ret.Shutdown(core));
        var granted = new List<(int Request, double At)>();
        for (int i = 0; i < 25; i++)
        {
            int request = i;
            limiter.Call(static (l, cx, r) => l.Acquire(cx, r),
                Ret.From<Unit>(core, _ => granted.Add((request, (core.Now - Instant.Zero).TotalSeconds))));
        }
        core.RunUntil(Instant.Zero + TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 25), granted.Select(g => g.Request));
        Assert.Equal(Enumerable.Repeat(0.0, 10).Concat(Enumerable.Repeat(1.0, 10)).Concat(Enumerable.Repeat(2.0, 5)),
            granted.Select(g => g.At));
        Assert.Equal(0, core.TimerCount);   // idle again: no timer left ticking
    }
}
