namespace Stakker.Redis;

/// <summary>A published message on its way to one subscriber</summary>
/// <param name="Pattern">The pattern that matched (PSUBSCRIBE), or null for a channel subscription.</param>
/// <param name="Channel">The channel it was published to.</param>
/// <param name="Payload">The message.</param>
internal readonly record struct PubMessage(byte[]? Pattern, byte[] Channel, byte[] Payload);

/// <summary>Channels and patterns: each subscriber is a connection actor reached through its <see cref="Fwd{T}"/></summary>
/// <remarks>Subscriptions are keyed by client id, so a client subscribing twice is counted once.
/// A Fwd to a connection that has ended drops messages silently; the connection also removes
/// itself here when it ends.</remarks>
internal sealed partial class PubSub
{
    readonly Dictionary<byte[], Dictionary<long, Fwd<PubMessage>>> _channels = new(ByteKeyComparer.Instance);
    readonly Dictionary<byte[], Dictionary<long, Fwd<PubMessage>>> _patterns = new(ByteKeyComparer.Instance);

    public PubSub(Cx<PubSub> cx) { }

    public void Subscribe(byte[] name, long client, Fwd<PubMessage> fwd, bool pattern)
    {
        var table = pattern ? _patterns : _channels;
        if (!table.TryGetValue(name, out var subs)) table[name] = subs = [];
        subs[client] = fwd;
    }

    public void Unsubscribe(byte[] name, long client, bool pattern)
    {
        var table = pattern ? _patterns : _channels;
        if (table.TryGetValue(name, out var subs) && subs.Remove(client) && subs.Count == 0) table.Remove(name);
    }

    /// <summary>Removes everything a departed client had subscribed</summary>
    public void RemoveClient(long client, byte[][] channels, byte[][] patterns)
    {
        foreach (var c in channels) Unsubscribe(c, client, pattern: false);
        foreach (var p in patterns) Unsubscribe(p, client, pattern: true);
    }

    /// <summary>Sends to every subscriber of the channel and of each matching pattern; answers how many received it</summary>
    public void Publish(byte[] channel, byte[] payload, Ret<Reply> ret)
    {
        ret.Answer(Reply.Int(Send(channel, payload)));
        ToPeers(channel, payload);
    }

    /// <summary>A keyspace notification from the keyspace actor: published as PUBLISH does, with no one to answer</summary>
    public void Notify(byte[] channel, byte[] payload)
    {
        Send(channel, payload);
        ToPeers(channel, payload);
    }

    long Send(byte[] channel, byte[] payload)
    {
        long n = 0;
        if (_channels.TryGetValue(channel, out var subs))
        {
            foreach (var fwd in subs.Values)
            {
                fwd.Send(new PubMessage(null, channel, payload));
                n++;
            }
        }
        foreach (var (pattern, psubs) in _patterns)
        {
            if (!Glob.IsMatch(pattern, channel)) continue;
            foreach (var fwd in psubs.Values)
            {
                fwd.Send(new PubMessage(pattern, channel, payload));
                n++;
            }
        }
        return n;
    }

    /// <summary>PUBSUB CHANNELS/NUMSUB/NUMPAT</summary>
    public void Query(byte[][] a, Ret<Reply> ret) => ret.Answer(PubSubQueries.Answer(_channels, _patterns.Count, a));
}

// PUBSUB CHANNELS [pattern] / NUMSUB [channel...] / NUMPAT
internal static class PubSubQueries
{
    public static Reply Answer(Dictionary<byte[], Dictionary<long, Fwd<PubMessage>>> channels, int patternCount, byte[][] a)
    {
        if (Commands.Is(a[1], "channels"))
        {
            if (a.Length > 3) return Reply.Error(Commands.WrongArity("pubsub|channels"));
            var names = channels.Keys.Where(c => a.Length < 3 || Glob.IsMatch(a[2], c)).ToArray();
            return Reply.Array(names);
        }
        if (Commands.Is(a[1], "numpat"))
            return a.Length != 2 ? Reply.Error(Commands.WrongArity("pubsub|numpat")) : Reply.Int(patternCount);
        if (Commands.Is(a[1], "numsub"))
        {
            var w = new System.Buffers.ArrayBufferWriter<byte>();
            Resp.WriteHeader(w, (byte)'*', (a.Length - 2) * 2);
            for (int i = 2; i < a.Length; i++)
            {
                Resp.WriteBulk(w, a[i]);
                Resp.WriteInteger(w, channels.TryGetValue(a[i], out var subs) ? subs.Count : 0);
            }
            return Reply.Raw(w.WrittenSpan.ToArray());
        }
        return Reply.Error("ERR unknown subcommand '" + Commands.Truncate(a[1], 128) + "'. Try PUBSUB HELP.");
    }
}
