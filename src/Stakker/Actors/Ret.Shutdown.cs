namespace Stakker;

// The one Ret factory that knows of actors' endings, kept with them so that Returns does not.
public static partial class Ret
{
    /// <summary>A notify Ret for a top-level actor: its cause (or, for "no value", the answer's cause or <see cref="StopCause.Dropped"/>) shuts the Core down</summary>
    public static Ret<StopCause> Shutdown(Core core) =>
        From<StopCause>(core, a => core.Shutdown(a.HasValue ? a.Value : a.Cause ?? StopCause.Dropped));
}
