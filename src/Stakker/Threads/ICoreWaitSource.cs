namespace Stakker;

/// <summary>Where a Core's thread blocks between runs, when that is not the Core's own wake signal</summary>
/// <remarks>
/// For a driver that must block somewhere else to learn of its own events, such as an I/O poller
/// (epoll) run on the Core's thread: see <see cref="Core.SetWaitSource"/>. Events the source finds
/// are handed to the Core with ordinary calls (<see cref="Core.Defer(Action)"/>) from inside
/// <see cref="Wait"/>, which runs on the Core's thread outside <see cref="Core.Run"/>.
/// </remarks>
public interface ICoreWaitSource
{
    /// <summary>Blocks until <see cref="Wake"/> is called, the source has events, or the timeout passes
    /// (a zero timeout polls without blocking)</summary>
    /// <returns>True if it returned early for a wake or an event.</returns>
    bool Wait(TimeSpan timeout);

    /// <summary>Interrupts <see cref="Wait"/>; called from any thread</summary>
    void Wake();
}
