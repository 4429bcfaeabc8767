using Microsoft.Extensions.Logging;
using Stakker.Tests.Actors;

namespace Stakker.Tests.Diagnostics;

public class LoggingTests
{
    sealed class Worker
    {
        public int Done;
        public void Work(Cx<Worker> cx, int n)
        {
            Done += n;
            cx.Logger.LogInformation("worked {Amount}", n);
        }
        public void Break(Cx<Worker> cx, string why) => throw new InvalidOperationException(why);
    }

    static (Core Core, TestLogs Logs) Observed(string coreName = "7")
    {
        var core = new Core(Instant.Zero);
        var logs = new TestLogs();
        new StakkerDiagnostics(logs).Attach(core, coreName);
        return (core, logs);
    }

    [Fact]
    public void Start_and_stop_are_logged_with_the_actors_type_id_and_core_as_fields()
    {
        var (core, logs) = Observed();
        var own = core.Spawn<Worker>(static cx => new Worker(), Ret.Nop<StopCause>());
        core.RunNow();
        own.Dispose();
        core.RunNow();

        var lifecycle = logs.Entries.Where(e => e.Category == StakkerDiagnostics.LogCategory).ToList();
        Assert.Equal([100, 101], lifecycle.Select(e => e.Event.Id));
        Assert.All(lifecycle, e =>
        {
            Assert.Equal(LogLevel.Debug, e.Level);
            Assert.Equal("Worker", e.Fields["ActorType"]);
            Assert.Equal(own.Actor.Id, e.Fields["ActorId"]);
            Assert.Equal("7", e.Fields["Core"]);
        });
        Assert.Equal(StopKind.Dropped, lifecycle[1].Fields["StopKind"]);
    }

    [Fact]
    public void A_failure_is_an_error_carrying_the_exception()
    {
        var (core, logs) = Observed();
        var own = core.Spawn<Worker>(static cx => new Worker(), Ret.Nop<StopCause>());
        own.Actor.Call(static (a, cx, why) => a.Break(cx, why), "disk on fire");
        core.RunNow();

        LogEntry failed = Assert.Single(logs.Entries, e => e.Event.Id == 102);
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Equal("disk on fire", Assert.IsType<InvalidOperationException>(failed.Exception).Message);
        Assert.Equal(own.Actor.Id, failed.Fields["ActorId"]);
    }

    [Fact]
    public void A_kill_is_a_warning_with_its_reason()
    {
        var (core, logs) = Observed();
        var own = core.Spawn<Worker>(static cx => new Worker(), Ret.Nop<StopCause>());
        core.RunNow();
        own.Kill("shed load");
        core.RunNow();

        LogEntry killed = Assert.Single(logs.Entries, e => e.Event.Id == 103);
        Assert.Equal(LogLevel.Warning, killed.Level);
        Assert.Equal("shed load", killed.Exception!.Message);
    }

    [Fact]
    public void Cx_Logger_writes_under_the_actors_type_with_its_identity_in_scope()
    {
        var (core, logs) = Observed();
        using var own = core.Spawn<Worker>(static cx => new Worker(), Ret.Nop<StopCause>());
        own.Actor.Call(static (a, cx, n) => a.Work(cx, n), 5);
        core.RunNow();

        LogEntry entry = Assert.Single(logs.Entries, e => e.Level == LogLevel.Information);
        Assert.Equal(typeof(Worker).FullName, entry.Category);
        Assert.Equal(5, entry.Fields["Amount"]);
        Assert.Equal("Worker", entry.ScopeFields["ActorType"]);
        Assert.Equal(own.Actor.Id, entry.ScopeFields["ActorId"]);
        Assert.Equal("7", entry.ScopeFields["Core"]);
    }

    [Fact]
    public void Below_the_level_nothing_is_written_and_the_handler_still_runs()
    {
        var (core, logs) = Observed();
        logs.MinLevel = LogLevel.Critical;
        using var own = core.Spawn<Worker>(static cx => new Worker(), Ret.Nop<StopCause>());
        own.Actor.Call(static (a, cx, n) => a.Work(cx, n), 5);
        own.Actor.Call(static (a, cx, why) => a.Break(cx, why), "quietly");
        core.RunNow();

        Assert.Empty(logs.Entries);
        Assert.True(logs.EnabledQueries > 0, "each entry was refused by its level test");
    }

    [Fact]
    public void Without_diagnostics_Cx_Logger_writes_nowhere()
    {
        var core = new Core(Instant.Zero);
        using var own = core.Spawn<Worker>(static cx => new Worker(), Ret.Nop<StopCause>());
        own.Actor.Call(static (a, cx, n) => a.Work(cx, n), 3);
        core.RunNow();
        Assert.Equal(3, own.Actor.Query(static (a, cx) => a.Done));
        Assert.Same(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            own.Actor.Query(static (a, cx) => cx.Logger));
    }
}
