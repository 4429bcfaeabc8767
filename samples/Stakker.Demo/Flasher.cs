namespace Stakker.Demo;

/// <summary>Switches its light on and off <c>count</c> times, one switch per <c>interval</c></summary>
/// <remarks>The port of the tutorial in the Rust crate's documentation.</remarks>
sealed class Flasher : IDisposable
{
    readonly ActorOwn<Light> _light;
    readonly TimeSpan _interval;
    int _count;

    public Flasher(Cx<Flasher> cx, TimeSpan interval, int count)
    {
        _interval = interval;
        _count = count;
        Core core = cx.Core;
        // The light is our child: it lives as long as this state holds its owner (see Dispose).
        _light = cx.Spawn<Light>(static cx => new Light(cx),
            Ret.From<StopCause>(core, cause => Log.Line(core.Now, "light", "ended: " + cause)));
        // Queued like any call, so it runs after the light's init, which was queued first.
        cx.This.Call(static (a, cx, on) => a.Switch(cx, on), true);
        Log.Line(cx.Now, "flasher", $"ready: {count} switches, one every {interval.TotalSeconds:0} s");
    }

    void Switch(Cx<Flasher> cx, bool on)
    {
        _light.Call(static (a, cx, v) => a.Set(cx, v), on);
        _count--;
        // The remaining count rides along as the Ret's fixed argument: no capturing lambda needed.
        _light.Call(static (a, cx, r) => a.Query(cx, r),
            cx.This.RetSome<int, bool>(_count, static (a, cx, left, state) => a.Reported(cx, left, state)));
        if (_count > 0) cx.After(_interval, static (a, cx, next) => a.Switch(cx, next), !on);
    }

    void Reported(Cx<Flasher> cx, int left, bool state)
    {
        Log.Line(cx.Now, "flasher", $"light reports {(state ? "ON" : "off")}, {left} to go");
        // Stop only after the last answer: stopping at the last switch would end the light with us
        // before it had run the calls still queued for it.
        if (left == 0) cx.Stop();
    }

    // Called by the runtime when the flasher ends: releasing the owner ends the light at once.
    public void Dispose() => _light.Dispose();
}
