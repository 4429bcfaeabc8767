namespace Stakker.CrossCore;

/// <summary>Carries batches between Cores in place of the direct hand-over: the seam a simulation
/// uses to own the order and the time at which several Cores' batches arrive (decision 064)</summary>
/// <remarks>Only Stakker.Testing implements it. The carrier must later call
/// <see cref="CrossGate.Deliver"/> for each batch, in order per sending link, and, if that returns
/// false, <see cref="CrossBatch.Refused"/> on the sending Core's thread.</remarks>
internal interface ICrossTransport
{
    /// <summary>Takes <paramref name="batch"/>, bound for <paramref name="to"/>'s Core, to deliver later</summary>
    void Carry(CrossGate to, CrossBatch batch);
}
