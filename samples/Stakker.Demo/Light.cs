namespace Stakker.Demo;

/// <summary>A light that is on or off; it does nothing until called</summary>
sealed class Light
{
    bool _on;

    public Light(Cx<Light> cx) => Log.Line(cx.Now, "light", "ready (off)");

    public void Set(Cx<Light> cx, bool on)
    {
        _on = on;
        Log.Line(cx.Now, "light", on ? "ON" : "off");
    }

    // The answer goes back through the caller's Ret: nobody waits for it, the caller is called later.
    public void Query(Cx<Light> cx, Ret<bool> ret) => ret.Answer(_on);
}
