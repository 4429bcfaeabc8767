namespace Stakker.Tests.Threads;

public class WakerFaultTests
{
    [Fact]
    public void Collect_HandlerThrows_OtherPendingWakesDeliveredOnNextRun()
    {
        var core = new Core(Instant.Zero);
        var calls = new List<string>();
        bool fail = true;
        using var bad = core.CreateWaker(Fwd.From<bool>(core, _ => { calls.Add("bad"); if (fail) throw new InvalidOperationException("handler broke"); }));
        using var good = core.CreateWaker(Fwd.From<bool>(core, _ => calls.Add("good")));
        bad.Wake();
        good.Wake();

        var ex = Assert.Throws<InvalidOperationException>(() => core.Run(core.Now, false));
        Assert.Equal("handler broke", ex.Message);
        Assert.Equal(["bad"], calls);

        fail = false;
        Assert.True(core.WaitForWake(TimeSpan.Zero));   // still signalled: no need for another post
        core.Run(core.Now, false);
        Assert.Equal(["bad", "good"], calls);
    }

    [Fact]
    public void Collect_HandlerFwdEnded_WakeIsIgnoredNotThrown()
    {
        var core = new Core(Instant.Zero);
        var calls = new List<bool>();
        var fwd = Fwd.From<bool>(core, calls.Add);
        using var w = core.CreateWaker(fwd);
        fwd.End();
        w.Wake();
        core.Run(core.Now, false);
        Assert.Empty(calls);
    }
}
