using Stakker.CrossCore;

namespace Stakker.Testing;

public sealed partial class Simulation
{
    /// <summary>Batches of cross-Core calls and answers carried between this simulation's Cores so far</summary>
    public long CrossCoreBatches { get; private set; }

    /// <summary>Takes over the hand-over of cross-Core batches between the simulation's Cores: each
    /// batch becomes an arrival on the agenda (decision 064)</summary>
    sealed class Carrier(Simulation sim) : ICrossTransport
    {
        public void Carry(CrossGate to, CrossBatch batch) => sim.Carry(to, batch);
    }

    void Carry(CrossGate to, CrossBatch batch)
    {
        int dest = _cores.IndexOf(to.Core);
        Core? sender = batch.Link?.From.Core;
        // A quarter of batches arrive at the instant they were sent (ordered among that instant's
        // other arrivals by the seed), the rest after a seeded latency.
        TimeSpan latency = Random.Next(4) == 0 ? TimeSpan.Zero : Random.Between(TimeSpan.Zero, _options.CrossCoreMaxLatency);
        string label = $"batch {(sender is null ? "outside" : "c" + _cores.IndexOf(sender))}>c{dest} ({batch.Count})";
        CrossCoreBatches++;
        _agenda.AddOnChannel((object?)batch.Link ?? to, Now + latency, Random.NextUInt64(), dest, label,
            () => Arrive(to, batch, closing: false));
    }

    /// <summary>Puts a carried batch in its receiver's inbox; a receiver that has closed refuses it,
    /// and the refusal runs on the sending Core, as it would have at the hand-over</summary>
    void Arrive(CrossGate to, CrossBatch batch, bool closing)
    {
        if (to.Deliver(batch)) return;
        Add(_cores.IndexOf(to.Core), TraceKind.Arrival, "refused: the Core has closed");
        if (!closing && batch.Link?.From.Core is { IsDisposed: false } sender) sender.Defer(batch.Refused);
        else batch.Refused();
    }

    /// <summary>Before the Cores close: every batch still on the way reaches its inbox (the Cores
    /// collect them as they close, as after a real hand-over), and the Cores hand over directly again</summary>
    void LandCrossings()
    {
        while (_agenda.TryTakeAny(out var entry))
            if (entry.Direct) entry.Action();
        foreach (var core in _cores) core.Links.Gate.Transport = null;
    }
}
