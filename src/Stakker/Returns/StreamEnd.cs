namespace Stakker;

/// <summary>How a stream sent through a <see cref="Fwd{T}"/> ended</summary>
/// <remarks>The default value is a normal end; a failed end carries the error.</remarks>
public readonly struct StreamEnd
{
    StreamEnd(Exception? error) => Error = error;

    /// <summary>The error of a failed end; null for a normal end</summary>
    public Exception? Error { get; }

    /// <summary>True if the stream failed</summary>
    public bool IsFailure => Error is not null;

    /// <summary>A normal end</summary>
    public static StreamEnd Normal => default;

    /// <summary>A failed end</summary>
    public static StreamEnd Failed(Exception error) => new(error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>"end" or "failed: message"</summary>
    public override string ToString() => Error is null ? "end" : "failed: " + Error.Message;
}
