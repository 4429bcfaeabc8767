namespace Stakker.Tests.Actors;

/// <summary>The Light and Flasher of Stakker's tutorial, driven by a virtual-time loop</summary>
public class TutorialTests
{
    sealed class Light
    {
        public readonly List<string> Log = [];
        bool _on;
        public Light(Cx<Light> cx) { }

        public void Set(Cx<Light> cx, bool on)
        {
            _on = on;
            Log.Add((cx.Now - Instant.Zero).TotalSeconds + "s " + (on ? "on" : "off"));
        }

        public void Get(Cx<Light> cx, Ret<bool> ret) => ret.Answer(_on);
    }

    sealed class Flasher
    {
        readonly Actor<Light> _light;
        readonly TimeSpan _interval;
        int _count;
        public readonly List<string> Seen;

        public Flasher(Cx<Flasher> cx, Actor<Light> light, List<string> seen)
        {
            _light = light;
            _interval = TimeSpan.FromSeconds(1);
            _count = 6;
            Seen = seen;
            cx.This.Call(static (a, cx, on) => a.Switch(cx, on), true);
        }

        void Switch(Cx<Flasher> cx, bool on)
        {
            _light.Call(static (l, cx, v) => l.Set(cx, v), on);
            // Ask the light for its state; the reply carries the count as a fixed argument.
            _light.Call(static (l, cx, r) => l.Get(cx, r),
                cx.This.RetSome<int, bool>(_count, static (a, cx, count, state) => a.Seen.Add(count + ":" + state)));
            _count--;
            if (_count == 0) cx.Stop();
            else cx.After(_interval, static (a, cx, v) => a.Switch(cx, v), !on);
        }
    }

    [Fact]
    public void Flasher_SixSwitchesOneSecondApart_ThenStopsAndShutsTheLoopDown()
    {
        var core = new Core(Instant.Zero);
        var seen = new List<string>();
        using var light = core.Spawn<Light>(static cx => new Light(cx), Ret.Nop<StopCause>());
        using var flasher = core.Spawn<Flasher, Actor<Light>, List<string>>(
            static (cx, l, s) => new Flasher(cx, l, s), light.Actor, seen, Ret.Shutdown(core));

        int runs = 0;
        core.RunNow();
        while (!core.IsShutdown && runs++ < 100)
        {
            Instant next = core.NextExpiry ?? core.Now + TimeSpan.FromSeconds(1);
            Assert.True(core.NextWait(core.Now, TimeSpan.FromMinutes(1)) > TimeSpan.Zero);
            core.Run(next, false);
        }

        Assert.Same(StopCause.Stopped, core.ShutdownCause);
        Assert.Equal(Instant.Zero + TimeSpan.FromSeconds(5), core.Now);
        Assert.Equal(["0s on", "1s off", "2s on", "3s off", "4s on", "5s off"], light.Actor.Query(static (l, cx) => l.Log.ToList()));
        // The sixth reply reaches a flasher that has already stopped: it is dropped.
        Assert.Equal(["6:True", "5:False", "4:True", "3:False", "2:True"], seen);
    }
}
