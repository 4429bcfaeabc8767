using System.Buffers.Binary;

namespace Stakker.Remote.Wire;

/// <summary>Walks the records of one incoming frame, checking the header and every length against the frame</summary>
internal ref struct FrameReader
{
    ReadOnlySpan<byte> _rest;
    int _left;

    FrameReader(ReadOnlySpan<byte> rest, int records)
    {
        _rest = rest;
        _left = records;
    }

    public static FrameReader Open(ReadOnlySpan<byte> frame, RemoteOptions options)
    {
        if (frame.Length > options.MaxFrameBytes)
            throw new RemoteFrameException($"frame of {frame.Length} bytes is over MaxFrameBytes ({options.MaxFrameBytes})");
        if (frame.Length < FrameFormat.HeaderBytes || frame[0] != FrameFormat.Magic0 || frame[1] != FrameFormat.Magic1)
            throw new RemoteFrameException("not a Stakker.Remote frame (bad magic)");
        if (frame[2] != FrameFormat.Version)
            throw new RemoteFrameException($"unknown frame version {frame[2]} (this node speaks {FrameFormat.Version})");
        uint records = BinaryPrimitives.ReadUInt32LittleEndian(frame.Slice(4));
        if (records > (uint)options.MaxRecordsPerFrame)
            throw new RemoteFrameException($"frame declares {records} records, over MaxRecordsPerFrame ({options.MaxRecordsPerFrame})");
        return new FrameReader(frame.Slice(FrameFormat.HeaderBytes), (int)records);
    }

    /// <summary>The next record; false at the end. Throws if the frame is cut short or has bytes left over.</summary>
    public bool Next(out RecordKind kind, out ReadOnlySpan<byte> payload)
    {
        if (_left == 0)
        {
            if (!_rest.IsEmpty) throw new RemoteFrameException($"{_rest.Length} bytes after the last record");
            kind = default;
            payload = default;
            return false;
        }
        if (_rest.Length < FrameFormat.RecordHeaderBytes) throw new RemoteFrameException("frame cut short in a record header");
        kind = (RecordKind)_rest[0];
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(_rest.Slice(1));
        if (length > (uint)(_rest.Length - FrameFormat.RecordHeaderBytes)) throw new RemoteFrameException("record longer than its frame");
        payload = _rest.Slice(FrameFormat.RecordHeaderBytes, (int)length);
        _rest = _rest.Slice(FrameFormat.RecordHeaderBytes + (int)length);
        _left--;
        return true;
    }

    public static ulong Id(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 8) throw new RemoteFrameException("record too short for its id");
        return BinaryPrimitives.ReadUInt64LittleEndian(payload);
    }
}
