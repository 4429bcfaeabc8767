using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Stakker.Remote.Wire;

namespace Stakker.Remote;

// A frame that arrives while MaxIncomingBytes already wait for the Core is dropped (decision 086).
// What it carried must not wait out the loss timer, nor leave a gap in a stream nobody sees: its Rets
// and streams are answered as lost at once. Only their ids are kept, read here on the client's thread,
// so a flood costs eight bytes per Ret, not its frame.
public sealed partial class RemoteNode
{
    /// <summary>Frames dropped because the Core was behind (read on the Core's thread)</summary>
    internal long FramesDropped { get; private set; }

    void ReportDropped(byte[] data, string? replyTo, RemotePublication? target)
    {
        var ids = new List<ulong>();
        try
        {
            FrameReader r = FrameReader.Open(data, Options);
            while (r.Next(out RecordKind kind, out ReadOnlySpan<byte> payload))
            {
                if (target is not null)
                {
                    // Calls that never reached the actor: their callers' Rets and streams.
                    if (kind != RecordKind.Call || payload.Length < 6) continue;
                    int ends = payload[5];
                    if (ends > FrameFormat.MaxArgs || payload.Length < 6 + 8 * ends) continue;
                    for (int i = 0; i < ends; i++) ids.Add(BinaryPrimitives.ReadUInt64LittleEndian(payload.Slice(6 + 8 * i)));
                }
                else if (kind is RecordKind.RetValue or RecordKind.RetNone or RecordKind.Gone or RecordKind.FwdItem or RecordKind.FwdEnd or RecordKind.FwdFail
                         && payload.Length >= 8)
                    ids.Add(FrameReader.Id(payload));
            }
        }
        catch (RemoteFrameException) { }
        _in.Enqueue(new Incoming(null, replyTo, target, data.Length, ids.ToArray()));
        _waker.Wake();
    }

    void HandleDropped(Incoming frame)
    {
        FramesDropped++;
        int lost = 0;
        foreach (ulong id in frame.LostIds!)
        {
            if (frame.Target is not null)
            {
                if (frame.ReplyTo is null) continue;
                AnswerGone(frame.ReplyTo, id);
                lost++;
            }
            else if (_pending.Remove(id, out Pending? p))
            {
                p.Lost("a frame for it was dropped: the Core was behind by MaxIncomingBytes");
                lost++;
            }
        }
        _log.LogError("Stakker.Remote node {Node}: a frame of {Bytes} bytes for {Subject} was dropped, {Waiting} bytes already waiting for the Core (MaxIncomingBytes {Max}); {Lost} Rets and streams in it answered as lost",
            NodeId, frame.Length, frame.Target?.Subject ?? Inbox, Interlocked.Read(ref _incomingBytes), Options.MaxIncomingBytes, lost);
    }
}
