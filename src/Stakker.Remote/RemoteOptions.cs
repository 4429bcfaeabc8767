namespace Stakker.Remote;

/// <summary>Settings of a <see cref="RemoteNode"/>: subjects, liveness and the bounds on what it accepts</summary>
public sealed class RemoteOptions
{
    /// <summary>First token of every subject the node uses (default <c>stakker</c>); nodes that talk share it</summary>
    public string SubjectPrefix { get; init; } = "stakker";

    /// <summary>How often a node tells each caller which of its Rets and streams it still holds, and
    /// checks its own outstanding ones (default 1 s)</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A Ret or stream not heard of for this long is given up: the Ret answers "no value",
    /// the stream fails with <see cref="RemoteLostException"/>, the proxy's notify gets
    /// <see cref="StopCause.Lost"/> (default 3 s). The bound is this plus one <see cref="KeepAliveInterval"/>.</summary>
    public TimeSpan LostAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Largest frame sent or accepted, in bytes (default 1 MiB, the NATS server's default
    /// max_payload); a larger incoming frame is rejected whole, a call that would not fit throws</summary>
    public int MaxFrameBytes { get; init; } = 1024 * 1024;

    /// <summary>Most records (calls, answers, stream items) accepted in one frame (default 65,536)</summary>
    public int MaxRecordsPerFrame { get; init; } = 65536;

    /// <summary>Most bytes handed to NATS and not yet written by it; past that a proxy call throws
    /// <see cref="RemoteFullException"/> (default 64 MiB)</summary>
    public long MaxOutstandingBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Most bytes received and not yet read by the Core; a frame arriving past that is dropped,
    /// and what it carried is answered as lost at once (default 64 MiB)</summary>
    public long MaxIncomingBytes { get; init; } = 64L * 1024 * 1024;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(SubjectPrefix) || SubjectPrefix.AsSpan().IndexOfAny(" \t\r\n*>") >= 0)
            throw new ArgumentException("SubjectPrefix must be a non-empty NATS subject without spaces or wildcards.");
        if (KeepAliveInterval <= TimeSpan.Zero) throw new ArgumentException("KeepAliveInterval must be positive.");
        if (LostAfter <= KeepAliveInterval) throw new ArgumentException("LostAfter must be longer than KeepAliveInterval.");
        if (MaxFrameBytes < 1024) throw new ArgumentException("MaxFrameBytes must be at least 1024.");
        if (MaxRecordsPerFrame < 1) throw new ArgumentException("MaxRecordsPerFrame must be positive.");
        if (MaxOutstandingBytes < MaxFrameBytes) throw new ArgumentException("MaxOutstandingBytes must be at least MaxFrameBytes.");
        if (MaxIncomingBytes < 0) throw new ArgumentException("MaxIncomingBytes must not be negative.");
    }
}
