using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using Stakker.Remote.Wire;

namespace Stakker.Remote;

// The NATS client drops a message when a subscription's pending queue is full (a slow consumer) and
// says so only through an event. A dropped frame's Rets and streams would otherwise wait out the loss
// timer, or, for a stream item, leave a gap no one sees: here each is answered as lost at once.
public sealed partial class RemoteNode
{
    // This node's subscriptions (the connection may be shared), each with its publication (null: the inbox).
    readonly ConcurrentDictionary<INatsSub<byte[]>, RemotePublication?> _subscriptions = new();

    /// <summary>Frames the NATS client dropped for this node's subscriptions (read on the Core's thread)</summary>
    internal long FramesDropped { get; private set; }

    ValueTask OnMessageDropped(object? sender, NatsMessageDroppedEventArgs e)
    {
        // Raised on the client's reading thread: the frame goes to the Core like any other.
        if (e.Subscription is INatsSub<byte[]> sub && _subscriptions.TryGetValue(sub, out RemotePublication? target) && e.Data is byte[] { Length: > 0 } data)
        {
            _in.Enqueue(new Incoming(data, e.ReplyTo, target, Dropped: true));
            _waker.Wake();
        }
        return ValueTask.CompletedTask;
    }

    void HandleDropped(Incoming frame)
    {
        FramesDropped++;
        int lost = 0;
        FrameReader r = FrameReader.Open(frame.Data, Options);
        while (r.Next(out RecordKind kind, out ReadOnlySpan<byte> payload))
        {
            if (frame.Target is not null)
            {
                // Calls that never reached the actor: their callers' Rets and streams are answered as gone.
                if (kind != RecordKind.Call || frame.ReplyTo is null || payload.Length < 6) continue;
                int ends = payload[5];
                if (ends > FrameFormat.MaxArgs || payload.Length < 6 + 8 * ends) continue;
                for (int i = 0; i < ends; i++)
                {
                    AnswerGone(frame.ReplyTo, BinaryPrimitives.ReadUInt64LittleEndian(payload.Slice(6 + 8 * i)));
                    lost++;
                }
            }
            else if (kind is RecordKind.RetValue or RecordKind.RetNone or RecordKind.Gone or RecordKind.FwdItem or RecordKind.FwdEnd or RecordKind.FwdFail
                     && payload.Length >= 8 && _pending.Remove(FrameReader.Id(payload), out Pending? p))
            {
                // An answer or item that never arrived: the Ret or stream is lost.
                p.Lost("the NATS client dropped a frame for it (slow consumer)");
                lost++;
            }
        }
        _log.LogError("Stakker.Remote node {Node}: the NATS client dropped a frame of {Bytes} bytes for {Subject} (slow consumer: raise SubPendingChannelCapacity); {Lost} Rets and streams in it answered as lost",
            NodeId, frame.Data.Length, frame.Target?.Subject ?? Inbox, lost);
    }
}
