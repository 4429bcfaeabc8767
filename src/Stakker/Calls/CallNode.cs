using Stakker.Actors;

namespace Stakker.Calls;

/// <summary>A queued call: run it once, or drop it once</summary>
/// <remarks>
/// A node is rented from its Core's pool when the call is made and returns there after it ran or
/// was dropped. <see cref="Drop"/> is the path for calls that can no longer run (ended actor,
/// cancelled timer, discarded queue): it must answer "no value" to any <see cref="Ret{T}"/> the
/// call carries, which is how a dropped request still gets exactly one answer.
/// </remarks>
internal abstract class CallNode : PoolNode
{
    /// <summary>Runs the call on the Core's thread; the node is recycled by the time it returns</summary>
    internal abstract void Run(Core core);

    /// <summary>Discards the call without running it, answering any Ret it holds with "no value"</summary>
    internal abstract void Drop(Core core);

    /// <summary>What this call runs on, if it is an actor call: its actor cell, which names its trace
    /// span (typed as object so that the queue machinery does not know actors)</summary>
    internal virtual object? TraceTarget => null;
}
