using Stakker.Returns;

namespace Stakker.CrossCore;

/// <summary>A Core's side of cross-Core calls: its gate, its links to other Cores, the Rets it sent
/// across, and the stand-ins it made for other Cores' Rets</summary>
/// <remarks>Made on first use, on the Core's thread, and touched only there (the gate and the links'
/// counters are the parts other threads see).</remarks>
internal sealed class CoreLinks(Core core)
{
    internal readonly Core Core = core;
    internal readonly CrossGate Gate = new(core);

    /// <summary>Holds this Core's Rets while they are on another Core: answered "no value" if this
    /// Core closes before their answers come back</summary>
    internal readonly RetHolder Outgoing = new OutgoingRets();

    readonly Dictionary<CrossGate, CrossLink> _links = [];
    CrossGate? _lastGate;
    CrossLink? _lastLink;
    readonly List<CrossLink> _dirty = [];
    /// <summary>Stand-ins made here for other Cores' Rets and not yet answered (a list through the nodes)</summary>
    internal IRetAcross? LiveAcross;

    /// <summary>The link from this Core to the Core behind <paramref name="gate"/></summary>
    internal CrossLink To(CrossGate gate)
    {
        if (ReferenceEquals(gate, _lastGate)) return _lastLink!;
        if (!_links.TryGetValue(gate, out CrossLink? link))
        {
            link = new CrossLink(this, gate);
            _links.Add(gate, link);
        }
        _lastGate = gate;
        _lastLink = link;
        return link;
    }

    internal bool HasDirty => _dirty.Count != 0;

    bool _handedOver;

    /// <summary>True, once, if this Core handed batches to other Cores since it was last asked: its
    /// wait then polls briefly before sleeping, since an answer is likely on its way (decision 054)</summary>
    internal bool TakeHandedOver
    {
        get
        {
            bool was = _handedOver;
            _handedOver = false;
            return was;
        }
    }


    internal void MarkDirty(CrossLink link)
    {
        link.Dirty = true;
        _dirty.Add(link);
    }

    /// <summary>Hands over every batch being filled: at the end of each Run, and when sending outside one</summary>
    /// <remarks>A refused batch answers its Rets "no value" here; callbacks that throw do not stop the
    /// other links' hand-over, and the first error is rethrown at the end.</remarks>
    internal void Flush()
    {
        _handedOver = true;
        Exception? error = null;
        // By index: answering a refused batch's Rets may send more (and list more links).
        for (int i = 0; i < _dirty.Count; i++)
        {
            try { _dirty[i].Flush(); }
            catch (Exception ex) { error ??= ex; }
        }
        _dirty.Clear();
        if (error is not null) Internal.ThrowHelper.Rethrow(error);
    }

    /// <summary>The Core is being disposed: close the gate, answer everything that can no longer be
    /// answered, and hand over what is left for other Cores</summary>
    internal void Close()
    {
        Gate.Close();
        Exception? error = null;
        // Batches posted before the gate closed: their calls are returned to their senders' Cores.
        try { Core.CollectPosted(); }
        catch (Exception ex) { error ??= ex; }
        // Rets of this Core's that are still out: nobody is left here to hear their answers.
        if (RetHolding.AbandonAllHeldBy(Outgoing) is { } e1) error ??= e1;
        // Stand-ins for other Cores' Rets still pending here (held by actors left alive, or by
        // nothing): their origins hear "no value" now.
        while (LiveAcross is { } live)
        {
            try { live.AbandonForClose(); }
            catch (Exception ex) { error ??= ex; }
        }
        try { Flush(); }
        catch (Exception ex) { error ??= ex; }
        if (error is not null) Internal.ThrowHelper.Rethrow(error);
    }

    /// <summary>Gives back the links' spare batches when the Core is quiet (from the Core's trim)</summary>
    internal void Trim(bool quiet)
    {
        if (!quiet) return;
        foreach (CrossLink link in _links.Values) link.DropSpares();
    }

    /// <summary>Slots this Core has sent and the receivers have not yet collected, over all its links</summary>
    internal long InFlight
    {
        get
        {
            long n = 0;
            foreach (CrossLink link in _links.Values) n += link.InFlight;
            return n;
        }
    }

    /// <summary>Slots this Core has sent, over all its links</summary>
    internal long Sent
    {
        get
        {
            long n = 0;
            foreach (CrossLink link in _links.Values) n += link.Sent;
            return n;
        }
    }

    sealed class OutgoingRets : RetHolder;
}
