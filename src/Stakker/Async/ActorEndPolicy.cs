namespace Stakker;

/// <summary>What async code sees when the actor side can no longer deliver (it ended, or dropped the request)</summary>
public enum ActorEndPolicy : byte
{
    /// <summary>Drop the task: it is cancelled at its await. An awaited result throws
    /// <see cref="OperationCanceledException"/> (the task ends Canceled, its finally blocks run).
    /// For a coroutine of an actor that ended, its continuations are dropped: nothing more of it runs
    /// and its Task never completes.</summary>
    Drop,

    /// <summary>Surface the failure: the await throws <see cref="ActorFail"/>. For a coroutine of an
    /// actor that ended, its continuations still run (outside the actor), its own awaits throw
    /// <see cref="ActorFail"/>, and touching <see cref="AsyncCx{T}.State"/> throws too, so cleanup code runs.</summary>
    Surface,
}

/// <summary>The single value of a type with no information, for <c>Fwd&lt;Unit&gt;</c> "send more" signals</summary>
public readonly record struct Unit;
