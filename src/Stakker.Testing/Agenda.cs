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
/// Cross-Core batches travel on channels (<see cref="AddOnChannel"/>, one per sending link): an
/// arrival never overtakes the previous one on its channel, but channels interleave with each other
/// and with outside events as the seed chooses (decision 064).
/// </remarks>
internal sealed class Agenda
{
    readonly PriorityQueue<Entry, (long Ticks, ulong Rank, long Seq)> _queue = new();
    readonly Dictionary<object, (Instant At, ulong Rank)> _lastOnChannel = new(ReferenceEqualityComparer.Instance);
    long _seq;

    /// <summary>One arrival. <paramref name="Direct"/>: run by the simulation itself, outside any
    /// Core's run (a cross-Core batch put in its receiver's inbox); otherwise queued on the Core</summary>
    internal readonly record struct Entry(int Core, string Label, Action Action, bool Direct);

    public int Count => _queue.Count;

    public void Add(Instant at, ulong rank, int core, string label, Action action) =>
        _queue.Enqueue(new Entry(core, label, action, Direct: false), (at.Ticks, rank, _seq++));

    /// <summary>Adds an arrival on an ordered channel: it arrives no earlier than the channel's
    /// previous one and, at the same instant, after it; among other entries at that instant its
    /// place is still drawn from <paramref name="rank"/></summary>
    public void AddOnChannel(object channel, Instant at, ulong rank, int core, string label, Action action)
    {
        if (_lastOnChannel.TryGetValue(channel, out var last))
        {
            if (at < last.At) at = last.At;
            // At one instant, a rank at least the previous one's keeps the channel's order (the
            // sequence breaks a tie).
            if (at == last.At && rank < last.Rank) rank = last.Rank;
        }
        _lastOnChannel[channel] = (at, rank);
        _queue.Enqueue(new Entry(core, label, action, Direct: true), (at.Ticks, rank, _seq++));
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

    /// <summary>Takes the next entry whatever its time (when the simulation ends)</summary>
    public bool TryTakeAny(out Entry entry) => _queue.TryDequeue(out entry, out _);
}
