namespace Stakker.Tests;

/// <summary>The README's example, kept compiling and behaving as the README says</summary>
public class ReadmeExampleTests
{
    sealed class Light
    {
        int _flips;
        public readonly List<string> Log = [];

        public void Set(Cx<Light> cx, bool on)
        {
            Log.Add($"{cx.Now}: {(on ? "on" : "off")}");
            if (++_flips == 6) cx.Stop();
            else cx.After(TimeSpan.FromSeconds(1), static (a, cx) => a.Set(cx, a._flips % 2 == 0));
        }
    }

    [Fact]
    public void ReadmeLight_FlipsSixTimesOnVirtualTimeThenShutsDown()
    {
        var core = new Core(Instant.Zero);
        var light = core.Spawn<Light>(static cx => new Light(), Ret.Shutdown(core));
        light.Call(static (a, cx, on) => a.Set(cx, on), true);
        List<string>? log = null;
#pragma warning disable STK0005 // the test keeps the log to read it after the light has ended (Query needs a live actor)
        light.Call((a, cx) => log = a.Log);
#pragma warning restore STK0005
        for (var now = core.Now; !core.IsShutdown; now += core.NextWait(now, TimeSpan.FromMinutes(1)))
            core.Run(now, idle: false);
        Assert.Equal(StopKind.Stopped, core.ShutdownCause!.Kind);
        Assert.Equal(["T+00:00:00: on", "T+00:00:01: off", "T+00:00:02: on", "T+00:00:03: off", "T+00:00:04: on", "T+00:00:05: off"], log);
        Assert.Equal(Instant.Zero + TimeSpan.FromSeconds(5), core.Now);
        light.Dispose();
    }
}
