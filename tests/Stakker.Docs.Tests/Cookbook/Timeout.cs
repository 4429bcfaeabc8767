namespace Stakker.Docs.Tests.Cookbook;

/// <summary>A backend that answers after a set delay, or never</summary>
sealed class Backend
{
    readonly TimeSpan? _delay;
    readonly List<Ret<string>> _ignored = [];

    public Backend(TimeSpan? delay) => _delay = delay;

    public void Lookup(Cx<Backend> cx, string key, Ret<string> ret)
    {
        if (_delay is { } d) cx.After(d, static (b, cx, r) => r.Answer("value"), ret);
        else _ignored.Add(ret);   // kept unanswered: only the gateway's timeout can answer the client
    }
}

#region doc:cookbook-timeout
sealed class Gateway
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    readonly Actor<Backend> _backend;
    readonly Dictionary<long, (Ret<string> Client, FixedTimerKey Timer)> _pending = [];
    long _next;

    public Gateway(Actor<Backend> backend) => _backend = backend;

    public void Get(Cx<Gateway> cx, string key, Ret<string> client)
    {
        long id = ++_next;
        FixedTimerKey timer = cx.After(Timeout, static (g, cx, id) => g.TimedOut(id), id);
        _pending[id] = (client, timer);
        _backend.Call(static (b, cx, k, r) => b.Lookup(cx, k, r), key,
            cx.Ret<long, string>(id, static (g, cx, id, answer) => g.Answered(cx, id, answer)));
    }

    void Answered(Cx<Gateway> cx, long id, Answer<string> answer)
    {
        if (!_pending.Remove(id, out var request)) return;   // too late: the client was answered
        cx.TimerDel(request.Timer);
        if (answer.TryGetValue(out string? value)) request.Client.Answer(value);
        else request.Client.Dispose();                        // the backend could not answer
    }

    void TimedOut(long id)
    {
        if (_pending.Remove(id, out var request)) request.Client.Dispose();   // "no value"
    }
}
#endregion

public class TimeoutTests
{
    static (string? Value, TimeSpan At) Ask(TimeSpan? backendDelay)
    {
        var core = new Core(Instant.Zero);
        using var backend = core.Spawn<Backend, TimeSpan?>(static (cx, d) => new Backend(d), backendDelay, Ret.Nop<StopCause>());
        using var gateway = core.Spawn<Gateway, Actor<Backend>>(static (cx, b) => new Gateway(b), backend.Actor, Ret.Nop<StopCause>());
        (string? Value, TimeSpan At)? result = null;
        gateway.Call(static (g, cx, k, r) => g.Get(cx, k, r), "k",
            Ret.From<string>(core, a => result = (a.HasValue ? a.Value : null, core.Now - Instant.Zero)));
        core.RunUntil(Instant.Zero + TimeSpan.FromSeconds(10));
        Assert.Equal(0, core.TimerCount);   // the timer that lost was cancelled or has fired
        return result!.Value;
    }

    [Fact]
    public void AnAnswerInTimeIsPassedOn() =>
        Assert.Equal(("value", TimeSpan.FromMilliseconds(300)), Ask(TimeSpan.FromMilliseconds(300)));

    [Fact]
    public void NoAnswerWithinASecondIsNoValueAtOneSecond() =>
        Assert.Equal((null, TimeSpan.FromSeconds(1)), Ask(null));

    [Fact]
    public void ALateAnswerIsDropped() =>
        Assert.Equal((null, TimeSpan.FromSeconds(1)), Ask(TimeSpan.FromSeconds(3)));
}
