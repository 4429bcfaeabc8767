namespace Stakker.Diagnostics;

/// <summary>An actor that failed or was killed, as a dashboard lists it</summary>
public sealed class ActorFailure
{
    internal ActorFailure() { }

    /// <summary>The Core's time when it ended</summary>
    public Instant At { get; internal init; }

    /// <summary>The actor's id</summary>
    public long ActorId { get; internal init; }

    /// <summary>The state type's name</summary>
    public string ActorType { get; internal init; } = "";

    /// <summary>Failed or Killed</summary>
    public StopKind Kind { get; internal init; }

    /// <summary>The exception's full type name</summary>
    public string ErrorType { get; internal init; } = "";

    /// <summary>The exception's message (cut to 500 characters)</summary>
    public string Message { get; internal init; } = "";

    /// <summary>The owner's id, or null for a root actor</summary>
    public long? OwnerId { get; internal init; }

    /// <summary>The owner's state type name, or null for a root actor</summary>
    public string? OwnerType { get; internal init; }

    /// <summary>What the owner did next, as far as the Core saw (inferred, decision 096)</summary>
    public OwnerDecision Decision { get; internal set; }

    internal ActorFailure Copy() => (ActorFailure)MemberwiseClone();
}

/// <summary>What an owner did with a child's failure, as seen from the Core (decision 096)</summary>
public enum OwnerDecision
{
    /// <summary>Nothing seen yet: the owner lives on without a new actor of that type</summary>
    Pending,
    /// <summary>The owner then created a new actor of the same type (one per failure): a restart, or an
    /// owner that makes such actors anyway (a server accepting connections)</summary>
    Restarted,
    /// <summary>The owner itself then failed or was killed</summary>
    FailedUpward,
    /// <summary>The owner then stopped or was dropped</summary>
    OwnerStopped,
    /// <summary>A root actor: its cause went to the Ret given by the code that spawned it</summary>
    Root,
}
