using System.Text;
using Stakker.Remote.Wire;

namespace Stakker.Remote;

public sealed partial class RemoteNode
{
    // Caller side: Rets and streams sent out, by id, each with when it was last heard of.
    readonly Dictionary<ulong, Pending> _pending = new();
    ulong _nextId;
    // Callee side: for each caller's inbox, the ids this node still owes it an answer or an end for,
    // each with the publication whose actor holds it.
    readonly Dictionary<string, Dictionary<ulong, RemotePublication>> _owed = new(StringComparer.Ordinal);
    readonly List<ulong> _gone = new();
    readonly Action _tick;
    readonly List<ulong> _expired = new();

    internal int PendingCount => _pending.Count;
    internal int OwedCount { get { int n = 0; foreach (var ids in _owed.Values) n += ids.Count; return n; } }

    internal ulong Register(Pending p)
    {
        ulong id = ++_nextId;
        p.LastHeard = _core.Now;
        _pending.Add(id, p);
        return id;
    }

    void Tick()
    {
        if (_disposed) return;
        SendKeepAlives();
        GiveUpSilent();
        _core.After(Options.KeepAliveInterval, _tick);
    }

    void SendKeepAlives()
    {
        foreach ((string inbox, Dictionary<ulong, RemotePublication> ids) in _owed)
        {
            // A stream (or a Ret kept where the runtime cannot see it) whose actor has ended will
            // never be ended by it: it is answered as gone rather than kept alive for ever.
            foreach ((ulong id, RemotePublication target) in ids)
                if (target.IsGone) _gone.Add(id);
            foreach (ulong id in _gone)
            {
                ids.Remove(id);
                WriteIdRecord(WriterFor(inbox), RecordKind.Gone, id);
            }
            _gone.Clear();
            const int PerRecord = 4096;
            int left = ids.Count;
            using Dictionary<ulong, RemotePublication>.KeyCollection.Enumerator e = ids.Keys.GetEnumerator();
            while (left > 0)
            {
                int n = Math.Min(left, PerRecord);
                FrameWriter w = WriterFor(inbox);
                int at = w.BeginRecord(RecordKind.KeepAlive);
                w.WriteUInt32((uint)n);
                for (int i = 0; i < n && e.MoveNext(); i++) w.WriteUInt64(e.Current);
                w.EndRecord(at);
                left -= n;
            }
            Touched(inbox);
        }
        foreach ((string inbox, Dictionary<ulong, RemotePublication> ids) in _owed)
            if (ids.Count == 0) _emptyInboxes.Add(inbox);
        foreach (string inbox in _emptyInboxes) _owed.Remove(inbox);
        _emptyInboxes.Clear();
        _gone.Clear();
    }

    readonly List<string> _emptyInboxes = new();

    void GiveUpSilent()
    {
        Instant now = _core.Now;
        foreach ((ulong id, Pending p) in _pending)
            if (now - p.LastHeard > Options.LostAfter) _expired.Add(id);
        foreach (ulong id in _expired)
            if (_pending.Remove(id, out Pending? p))
                p.Lost($"no word from the remote end for {Options.LostAfter.TotalSeconds:0.###} s");
        _expired.Clear();
    }

    void GiveUpAll(string why)
    {
        var all = _pending.Values.ToArray();
        _pending.Clear();
        foreach (Pending p in all) p.Lost(why);
    }

    void HandleKeepAlive(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 4) throw new RemoteFrameException("keep-alive cut short");
        uint n = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(payload);
        if (n > (uint)((payload.Length - 4) / 8) || payload.Length != 4 + 8 * (int)n)
            throw new RemoteFrameException("keep-alive count does not match its record");
        Instant now = _core.Now;
        for (int i = 0; i < (int)n; i++)
            if (_pending.TryGetValue(FrameReader.Id(payload.Slice(4 + 8 * i)), out Pending? p))
                p.LastHeard = now;
    }

    void Owe(string inbox, ulong id, RemotePublication target)
    {
        if (!_owed.TryGetValue(inbox, out Dictionary<ulong, RemotePublication>? ids)) _owed.Add(inbox, ids = new Dictionary<ulong, RemotePublication>());
        ids[id] = target;
    }

    bool Release(string inbox, ulong id)
    {
        if (!_owed.TryGetValue(inbox, out Dictionary<ulong, RemotePublication>? ids) || !ids.Remove(id)) return false;
        if (ids.Count == 0) _owed.Remove(inbox);
        return true;
    }

    /// <summary>A Ret on this Core whose answer goes back to <paramref name="inbox"/> as record <paramref name="id"/></summary>
    internal Ret<T> RetFor<T>(string inbox, ulong id, RemotePublication target)
    {
        Owe(inbox, id, target);
        return Ret.From<T>(_core, answer => Answered(inbox, id, target, answer));
    }

    void Answered<T>(string inbox, ulong id, RemotePublication target, Answer<T> answer)
    {
        if (!Release(inbox, id) || _disposed) return;
        FrameWriter w = WriterFor(inbox);
        if (answer.TryGetValue(out T? value))
        {
            int at = w.BeginRecord(RecordKind.RetValue);
            w.WriteUInt64(id);
            try
            {
                WriteValue(w, value);
                if (w.Count - at > MaxRecordBytes) throw new RemoteFrameException($"answer of {w.Count - at} bytes is over the record bound ({MaxRecordBytes})");
                w.EndRecord(at);
                Touched(inbox);
                return;
            }
            catch (Exception e) when (e is RemoteFrameException or MemoryPack.MemoryPackSerializationException)
            {
                w.Rewind(at);
                Microsoft.Extensions.Logging.LoggerExtensions.LogError(_log, "Stakker.Remote node {Node}: answer to {Inbox} not sent, the caller gets no value: {Reason}", NodeId, inbox, e.Message);
            }
        }
        WriteIdRecord(w, target.IsGone ? RecordKind.Gone : RecordKind.RetNone, id);
        Touched(inbox);
    }

    /// <summary>A stream on this Core whose items go back to <paramref name="inbox"/> as record <paramref name="id"/></summary>
    internal Fwd<T> FwdFor<T>(string inbox, ulong id, RemotePublication target)
    {
        Owe(inbox, id, target);
        return Fwd.From<T>(_core, item => StreamItem(inbox, id, item), end => StreamEnded(inbox, id, end));
    }

    void StreamItem<T>(string inbox, ulong id, T item)
    {
        if (_disposed || !_owed.TryGetValue(inbox, out Dictionary<ulong, RemotePublication>? ids) || !ids.ContainsKey(id)) return;
        FrameWriter w = WriterFor(inbox);
        int at = w.BeginRecord(RecordKind.FwdItem);
        w.WriteUInt64(id);
        try
        {
            WriteValue(w, item);
            if (w.Count - at > MaxRecordBytes) throw new RemoteFrameException($"item of {w.Count - at} bytes is over the record bound ({MaxRecordBytes})");
        }
        catch
        {
            w.Rewind(at);
            throw;
        }
        w.EndRecord(at);
        Touched(inbox);
    }

    void StreamEnded(string inbox, ulong id, StreamEnd end)
    {
        if (!Release(inbox, id) || _disposed) return;
        FrameWriter w = WriterFor(inbox);
        if (end.IsFailure)
        {
            int at = w.BeginRecord(RecordKind.FwdFail);
            w.WriteUInt64(id);
            string message = end.Error?.Message ?? "failed";
            if (message.Length > 1024) message = message.Substring(0, 1024);
            int n = Encoding.UTF8.GetByteCount(message);
            Encoding.UTF8.GetBytes(message, w.GetSpan(n));
            w.Advance(n);
            w.EndRecord(at);
        }
        else
            WriteIdRecord(w, RecordKind.FwdEnd, id);
        Touched(inbox);
    }

    internal void AnswerGone(string inbox, ulong id)
    {
        if (_disposed) return;
        WriteIdRecord(WriterFor(inbox), RecordKind.Gone, id);
        Touched(inbox);
    }

    static void WriteIdRecord(FrameWriter w, RecordKind kind, ulong id)
    {
        int at = w.BeginRecord(kind);
        w.WriteUInt64(id);
        w.EndRecord(at);
    }
}
