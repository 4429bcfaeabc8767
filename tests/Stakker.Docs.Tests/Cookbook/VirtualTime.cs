namespace Stakker.Docs.Tests.Cookbook;

#region doc:cookbook-session
sealed class Session
{
    static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    MaxTimerKey _expiry;

    public Session(Cx<Session> cx) => Touch(cx);

    public void Touch(Cx<Session> cx) =>   // pushes the one expiry timer later; never a second timer
        cx.TimerMax(ref _expiry, cx.Now + IdleTimeout, static (s, cx) => cx.Stop());
}
#endregion

public class VirtualTimeTests
{
    #region doc:cookbook-virtual-time
    [Fact]
    public void ASessionEndsThirtyMinutesAfterItsLastUse()
    {
        var core = new Core(Instant.Zero);
        Instant? endedAt = null;
        using var session = core.Spawn<Session>(static cx => new Session(cx),
            Ret.From<StopCause>(core, _ => endedAt = core.Now));

        core.RunUntil(Instant.Zero + TimeSpan.FromMinutes(20));
        session.Call(static (s, cx) => s.Touch(cx));
        core.RunUntil(Instant.Zero + TimeSpan.FromHours(2));          // two hours, in microseconds

        Assert.Equal(Instant.Zero + TimeSpan.FromMinutes(50), endedAt);
    }
    #endregion
}
