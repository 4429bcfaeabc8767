using System.Buffers.Text;

namespace Stakker.Redis;

// Keyspace notifications (notify-keyspace-events): every change publishes through the pub/sub actor on
// __keyspace@<db>__:<key> and __keyevent@<db>__:<event>, in the order Redis 7.0 emits them (decision 076).
internal sealed partial class Keyspace
{
    KeyspaceEventSettings _events = new();
    CrossCoreActor<PubSub>? _pubsub;
    /// <summary>The command being run, whose own event <see cref="Notify(byte[])"/> emits</summary>
    Cmd _running;
    /// <summary>The running command only reads: a missing key is a <c>keymiss</c> event</summary>
    bool _reading;

    /// <summary>Where events go: the server's setting and its pub/sub actor</summary>
    public void UseEvents(KeyspaceEventSettings events, CrossCoreActor<PubSub> pubsub)
    {
        _events = events;
        _pubsub = pubsub;
    }

    /// <summary>The running command's own event on <paramref name="key"/> (see <see cref="KeyspaceEventTable"/>)</summary>
    void Notify(byte[] key)
    {
        if (_events.Classes != NotifyClass.None) Emit(KeyspaceEventTable.Of(_running), key);
    }

    /// <summary>A named event on <paramref name="key"/> of the current database</summary>
    void Notify(KeyEvent ev, byte[] key)
    {
        if (_events.Classes != NotifyClass.None) Emit(ev, key);
    }

    /// <summary>A named event on <paramref name="e"/>'s key (its array made only when an event is sent)</summary>
    void Notify(KeyEvent ev, Entry e)
    {
        if (_events.Classes != NotifyClass.None) Emit(ev, e.Key);
    }

    void Emit(KeyEvent ev, byte[] key)
    {
        NotifyClass on = _events.Classes;
        if ((on & ev.Class) == 0 || _pubsub is not { } pubsub) return;
        if ((on & NotifyClass.Keyspace) != 0)
            pubsub.Call(static (p, cx, m) => p.Notify(m.Channel, m.Payload), (Channel: Channel("__keyspace@"u8, key), Payload: ev.NameBytes));
        if ((on & NotifyClass.Keyevent) != 0)
            pubsub.Call(static (p, cx, m) => p.Notify(m.Channel, m.Payload), (Channel: Channel("__keyevent@"u8, ev.NameBytes), Payload: key));
    }

    /// <summary><c>prefix db __: suffix</c></summary>
    byte[] Channel(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> suffix)
    {
        Span<byte> db = stackalloc byte[4];
        Utf8Formatter.TryFormat(_dbIndex, db, out int dbLen);
        var channel = new byte[prefix.Length + dbLen + 3 + suffix.Length];
        prefix.CopyTo(channel);
        db[..dbLen].CopyTo(channel.AsSpan(prefix.Length));
        "__:"u8.CopyTo(channel.AsSpan(prefix.Length + dbLen));
        suffix.CopyTo(channel.AsSpan(prefix.Length + dbLen + 3));
        return channel;
    }

    /// <summary>Deletes a collection left empty by the running command, with Redis's <c>del</c> event</summary>
    /// <summary><see cref="Find"/> for a source that a write command reads as Redis's read commands do (a miss is a keymiss event)</summary>
    Entry? FindSource(Cx<Keyspace> cx, byte[] key)
    {
        bool was = _reading;
        _reading = true;
        Entry? e = Find(cx, key);
        _reading = was;
        return e;
    }

    void RemoveEmptied(Cx<Keyspace> cx, Entry e)
    {
        Remove(cx, e);
        Notify(KeyspaceEventTable.Del, e);
    }
}
