namespace Stakker.Tests.CoreLoop;

public class StateArgQueueTests
{
    [Fact]
    public void LazyAndIdleWithState_RunInTheirQueuesOrder()
    {
        var core = new Core(Instant.Zero);
        var log = new List<string>();
        core.Idle(static l => l.Add("idle"), log);
        core.Lazy(static l => l.Add("lazy"), log);
        core.Defer(static l => l.Add("main"), log);
        Assert.False(core.Run(core.Now, idle: true));
        Assert.Equal(["idle", "main", "lazy"], log);
    }
}
