namespace Stakker.Testing;

/// <summary>Everything that reaches a Core from outside it, held by the simulation until its virtual
/// arrival time: outside events, async completions, and (the seam for cross-Core calls) batches sent
/// by one Core to another</summary>
/// <remarks>
/// Entries are ordered by arrival time, then by a random rank drawn from the seed when scheduled,
/// so entries due at the same instant arrive in an order the seed chooses, never in the order the
/// program happened to make them. That order is the nondeterminism a real machine has between
/// threads; here it is explored by changing the seed and repeated by keeping it.
///
/// Cross-Core seam: when Cores can send batches of calls to each other, the transport between two
/// simulated Cores is to call <see cref="Add"/> with the receiving Core's index and an action that
/// hands the batch to that Core, instead of posting it through the receiving Core's wake path. The
/// batch then arrives at a seeded instant (same or later than sending) and in a seeded order
/// relative to other arrivals, and per-sender order is kept by <see cref="AddAfter"/> (an arrival
/// never overtakes the previous one on the same channel).
/// </remarks>
internal sealed class Agenda
{
    readonly PriorityQueue<Entry, (long Ticks, ulong Rank, long Seq)> _queue = new();
    readonly Dictionary<object, Instant> _lastOnChannel = new(ReferenceEqualityComparer.Instance);
    long _seq;

    internal readonly record struct Entry(int Core, string Label, Action Action);

    public int Count => _queue.Count;

    public void Add(Instant at, ulong rank, int core, string label, Action action) =>
        _queue.Enqueue(new Entry(core, label, action), (at.Ticks, rank, _seq++));

    /// <summary>Adds an arrival on an ordered channel: it arrives no earlier than the channel's
    /// previous one, and, arriving at the same instant, after it (the sequence breaks the tie)</summary>
    public void AddAfter(object channel, Instant at, int core, string label, Action action)
    {
        if (_lastOnChannel.TryGetValue(channel, out Instant last) && at < last) at = last;
        _lastOnChannel[channel] = at;
        // Rank 0 on a channel keeps FIFO among the channel's own entries at one instant.
        Add(at, 0, core, label, action);
    }

    public Instant? NextTime => _queue.TryPeek(out _, out var p) ? new Instant(p.Ticks) : null;

    public bool TryTakeDue(Instant now, out Entry entry)
    {
        if (_queue.TryPeek(out entry, out var p) && p.Ticks <= now.Ticks)
        {
            _queue.Dequeue();
            return true;
        }
        entry = default;
        return false;
    }
}
