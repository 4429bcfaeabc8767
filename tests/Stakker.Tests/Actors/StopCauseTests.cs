namespace Stakker.Tests.Actors;

public class StopCauseTests
{
    sealed class Target
    {
        public Target(Cx<Target> cx) { }
        public void Stop(Cx<Target> cx) => cx.Stop();
        public void FailText(Cx<Target> cx, string msg) => cx.Fail(msg);
        public void FailError(Cx<Target> cx, Exception e) => cx.Fail(e);
        public void FailCause(Cx<Target> cx, StopCause c) => cx.Fail(c);
        public void Throw(Cx<Target> cx, Exception e) => throw e;
    }

    static (ActorOwn<Target> Own, List<Answer<StopCause>> Stops) SpawnReady(Core core)
    {
        var stops = new List<Answer<StopCause>>();
        var own = core.Spawn<Target>(static cx => new Target(cx), ActorTestKit.Notify(core, stops));
        core.RunNow();
        Assert.Equal(ActorState.Ready, own.Actor.State);
        return (own, stops);
    }

    [Fact]
    public void HasError_ForEachKind_TrueOnlyForFailedAndKilled()
    {
        Assert.False(StopCause.Stopped.HasError);
        Assert.True(StopCause.Failed("TEST").HasError);
        Assert.True(StopCause.Killed("TEST").HasError);
        Assert.False(StopCause.Dropped.HasError);
        Assert.False(StopCause.Lost.HasError);
    }

    [Fact]
    public void ToString_ForEachKind_ReadsAsInStakker()
    {
        Assert.Equal("Actor stopped", StopCause.Stopped.ToString());
        Assert.Equal("Actor failed: TEST", StopCause.Failed("TEST").ToString());
        Assert.Equal("Actor was killed: TEST", StopCause.Killed("TEST").ToString());
        Assert.Equal("Actor was dropped", StopCause.Dropped.ToString());
        Assert.Equal("Lost connection to actor", StopCause.Lost.ToString());
    }

    [Fact]
    public void Failed_WithException_KeepsTheSameExceptionObject()
    {
        var e = new TimeoutException("slow");
        StopCause c = StopCause.Failed(e);

        Assert.Equal(StopKind.Failed, c.Kind);
        Assert.Same(e, c.Error);
        Assert.Same(e, StopCause.Killed(e).Error);
    }

    [Fact]
    public void FailedAndKilled_WithNullError_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => StopCause.Failed((Exception)null!));
        Assert.Throws<ArgumentNullException>(() => StopCause.Killed((Exception)null!));
    }

    [Fact]
    public void CxStop_InHandler_OwnerHearsStopped()
    {
        var core = new Core(Instant.Zero);
        var (own, stops) = SpawnReady(core);
        own.Call(static (a, cx) => a.Stop(cx));

        core.RunNow();

        Assert.Same(StopCause.Stopped, Assert.Single(stops).Value);
    }

    [Fact]
    public void CxFail_WithText_OwnerHearsFailedWithActorException()
    {
        var core = new Core(Instant.Zero);
        var (own, stops) = SpawnReady(core);
        own.Call(static (a, cx, m) => a.FailText(cx, m), "TEST");

        core.RunNow();

        StopCause c = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Failed, c.Kind);
        Assert.IsType<ActorException>(c.Error);
        Assert.Equal("Actor failed: TEST", c.ToString());
    }

    [Fact]
    public void CxFail_WithException_OwnerHearsThatException()
    {
        var core = new Core(Instant.Zero);
        var (own, stops) = SpawnReady(core);
        var e = new FormatException("bad frame");
        own.Call(static (a, cx, x) => a.FailError(cx, x), (Exception)e);

        core.RunNow();

        Assert.Same(e, Assert.Single(stops).Value.Error);
    }

    [Fact]
    public void ExceptionInHandler_OwnerHearsFailedWithThatException()
    {
        var core = new Core(Instant.Zero);
        var (own, stops) = SpawnReady(core);
        var e = new ArithmeticException("overflow");
        own.Call(static (a, cx, x) => a.Throw(cx, x), (Exception)e);

        core.RunNow();

        StopCause c = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Failed, c.Kind);
        Assert.Same(e, c.Error);
    }

    [Fact]
    public void Kill_WithText_OwnerHearsKilledWithActorException()
    {
        var core = new Core(Instant.Zero);
        var (own, stops) = SpawnReady(core);

        own.Kill("TEST");

        StopCause c = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Killed, c.Kind);
        Assert.IsType<ActorException>(c.Error);
        Assert.Equal("Actor was killed: TEST", c.ToString());
    }

    [Fact]
    public void Kill_WithException_OwnerHearsKilledWithThatException()
    {
        var core = new Core(Instant.Zero);
        var (own, stops) = SpawnReady(core);
        var e = new OperationCanceledException("shutting down");

        own.Kill(e);

        StopCause c = Assert.Single(stops).Value;
        Assert.Equal(StopKind.Killed, c.Kind);
        Assert.Same(e, c.Error);
    }

    [Fact]
    public void Dispose_LastOwner_OwnerHearsDropped()
    {
        var core = new Core(Instant.Zero);
        var (own, stops) = SpawnReady(core);

        own.Dispose();
        core.RunNow();

        Assert.Same(StopCause.Dropped, Assert.Single(stops).Value);
    }

    [Fact]
    public void CxFailWithCause_ChildFailedOrKilled_BecomesFailedWithTheSameError()
    {
        var core = new Core(Instant.Zero);
        var e = new IOException("disk");

        var (failedOwn, failedStops) = SpawnReady(core);
        failedOwn.Call(static (a, cx, c) => a.FailCause(cx, c), StopCause.Failed(e));
        var (killedOwn, killedStops) = SpawnReady(core);
        killedOwn.Call(static (a, cx, c) => a.FailCause(cx, c), StopCause.Killed(e));
        core.RunNow();

        StopCause fromFailed = Assert.Single(failedStops).Value;
        StopCause fromKilled = Assert.Single(killedStops).Value;
        Assert.Equal(StopKind.Failed, fromFailed.Kind);
        Assert.Same(e, fromFailed.Error);
        Assert.Equal(StopKind.Failed, fromKilled.Kind);
        Assert.Same(e, fromKilled.Error);
    }

    [Fact]
    public void CxFailWithCause_Stopped_EndsStopped()
    {
        var core = new Core(Instant.Zero);
        var (own, stops) = SpawnReady(core);
        own.Call(static (a, cx, c) => a.FailCause(cx, c), StopCause.Stopped);

        core.RunNow();

        Assert.Equal(StopKind.Stopped, Assert.Single(stops).Value.Kind);
    }

    [Fact]
    public void CxFailWithCause_DroppedOrLost_BecomesFailedDescribingTheCause()
    {
        var core = new Core(Instant.Zero);
        var (dropped, droppedStops) = SpawnReady(core);
        dropped.Call(static (a, cx, c) => a.FailCause(cx, c), StopCause.Dropped);
        var (lost, lostStops) = SpawnReady(core);
        lost.Call(static (a, cx, c) => a.FailCause(cx, c), StopCause.Lost);

        core.RunNow();

        StopCause d = Assert.Single(droppedStops).Value;
        Assert.Equal(StopKind.Failed, d.Kind);
        Assert.Equal("Actor was dropped", d.Error!.Message);
        StopCause l = Assert.Single(lostStops).Value;
        Assert.Equal(StopKind.Failed, l.Kind);
        Assert.Equal("Lost connection to actor", l.Error!.Message);
    }
}
