namespace Stakker.IO;

/// <summary>What a <see cref="TcpStream"/> tells its actor</summary>
/// <remarks>Events arrive as ordinary queued calls on the actor, in the order they happened.
/// After <see cref="Closed"/> nothing more arrives.</remarks>
public enum TcpEvent : byte
{
    /// <summary>New bytes are in <see cref="TcpStream.Input"/>; the next read waits until this event was handled</summary>
    Data,
    /// <summary>The output buffer drained to <see cref="TcpStreamOptions.WriteLowWater"/> after having passed <see cref="TcpStreamOptions.WriteHighWater"/></summary>
    Writable,
    /// <summary>The peer closed its sending side (end of stream); writing may go on</summary>
    ReadClosed,
    /// <summary>The stream is finished: see <see cref="TcpStream.CloseCause"/> for a clean end or an error (reset, timeout...)</summary>
    Closed,
}
