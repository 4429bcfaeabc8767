namespace Stakker;

/// <summary>The kinds of <see cref="StopCause"/></summary>
public enum StopKind
{
    /// <summary>The actor stopped itself with <c>cx.Stop()</c></summary>
    Stopped,
    /// <summary>The actor failed: <c>cx.Fail(...)</c>, a failed init, or an exception escaping a handler</summary>
    Failed,
    /// <summary>The actor was killed from outside with <c>Kill(...)</c></summary>
    Killed,
    /// <summary>The last <see cref="ActorOwn{T}"/> was disposed</summary>
    Dropped,
    /// <summary>Contact with a remote actor was lost: its process died, the link was cut, it ended or
    /// refused the call, or nothing was heard of it within the configured bound (docs/remote.md); also
    /// the <see cref="Answer{T}.Cause"/> of each Ret given up that way</summary>
    Lost,
}

/// <summary>Why an actor ended</summary>
/// <remarks>
/// Delivered exactly once to the <see cref="Ret{T}"/> given when the actor was created. Failure is a
/// value here, never an exception thrown into another actor.
/// </remarks>
public sealed class StopCause
{
    StopCause(StopKind kind, Exception? error, ActorTeardownException? teardownError = null)
    {
        Kind = kind;
        Error = error;
        TeardownError = teardownError;
    }

    /// <summary>The kind of ending</summary>
    public StopKind Kind { get; }

    /// <summary>The error for <see cref="StopKind.Failed"/> and <see cref="StopKind.Killed"/>, else null</summary>
    public Exception? Error { get; }

    /// <summary>True for <see cref="StopKind.Failed"/> and <see cref="StopKind.Killed"/></summary>
    public bool HasError => Error is not null;

    /// <summary>Set when ending the actor threw: its state's <c>Dispose</c>, a Ret callback, a dropped
    /// call's "no value" (the first error is the inner exception); the actor ended regardless</summary>
    /// <remarks>A teardown fault turns an ending that had no error (stopped, dropped, lost) into
    /// <see cref="StopKind.Failed"/> with this as <see cref="Error"/>; a failed or killed actor keeps
    /// its own error and kind.</remarks>
    public ActorTeardownException? TeardownError { get; }

    /// <summary>This cause with a teardown fault added (see <see cref="TeardownError"/>)</summary>
    internal StopCause WithTeardownError(ActorTeardownException error) =>
        Kind is StopKind.Failed or StopKind.Killed
            ? new StopCause(Kind, Error, error)
            : new StopCause(StopKind.Failed, error, error);

    /// <summary>The actor stopped itself</summary>
    public static StopCause Stopped { get; } = new(StopKind.Stopped, null);

    /// <summary>The last owner was disposed</summary>
    public static StopCause Dropped { get; } = new(StopKind.Dropped, null);

    /// <summary>Contact was lost (remote actors)</summary>
    public static StopCause Lost { get; } = new(StopKind.Lost, null);

    /// <summary>The actor failed with <paramref name="error"/></summary>
    public static StopCause Failed(Exception error) => new(StopKind.Failed, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>The actor failed with a message</summary>
    public static StopCause Failed(string message) => Failed(new ActorException(message));

    /// <summary>The actor was killed with <paramref name="error"/></summary>
    public static StopCause Killed(Exception error) => new(StopKind.Killed, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>The actor was killed with a message</summary>
    public static StopCause Killed(string message) => Killed(new ActorException(message));

    /// <summary>Human-readable cause, as in "Actor failed: reason"</summary>
    public override string ToString() => Kind switch
    {
        StopKind.Stopped => "Actor stopped",
        StopKind.Failed => "Actor failed: " + Error!.Message,
        StopKind.Killed => "Actor was killed: " + Error!.Message,
        StopKind.Dropped => "Actor was dropped",
        _ => "Lost connection to actor",
    };
}

/// <summary>An error raised by actor code through <c>cx.Fail(string)</c> or <c>Kill(string)</c></summary>
public sealed class ActorException(string message) : Exception(message);

/// <summary>Ending an actor threw (its state's <c>Dispose</c>, a Ret callback): reported in
/// <see cref="StopCause.TeardownError"/>, never thrown</summary>
/// <remarks>The actor has ended regardless; the original error is the inner exception.</remarks>
public sealed class ActorTeardownException(string message, Exception inner) : Exception(message, inner);
