namespace Stakker;

/// <summary>Lifecycle state of an actor</summary>
public enum ActorState : byte
{
    /// <summary>Created, not yet initialised: calls are kept inside the actor until it is Ready</summary>
    Prep,
    /// <summary>Initialised: calls run as they come off the queue</summary>
    Ready,
    /// <summary>Ended: its state is gone, calls to it are dropped (Rets in them answer "no value")</summary>
    Zombie,
}
