using System.Buffers;
using System.Buffers.Binary;

namespace Stakker.Remote.Wire;

/// <summary>A growable buffer of one outgoing frame; values are serialised straight into it</summary>
/// <remarks>Lengths are patched in place once a record is complete, so nothing is serialised twice.</remarks>
internal sealed class FrameWriter : IBufferWriter<byte>
{
    byte[] _buffer;
    int _count;

    public FrameWriter(int initial = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initial);
        Start();
    }

    public int Count => _count;
    public int Records { get; private set; }
    public bool IsEmpty => Records == 0;

    void Start()
    {
        _count = FrameFormat.HeaderBytes;
        Records = 0;
        _buffer[0] = FrameFormat.Magic0;
        _buffer[1] = FrameFormat.Magic1;
        _buffer[2] = FrameFormat.Version;
        _buffer[3] = 0;
    }

    /// <summary>Hands over the finished frame's buffer (rented: the taker returns it) and starts a new one</summary>
    public byte[] Take(out int length)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(4), (uint)Records);
        byte[] done = _buffer;
        length = _count;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(4096, Math.Min(length, 1 << 20)));
        Start();
        return done;
    }

    public int BeginRecord(RecordKind kind)
    {
        int at = _count;
        Span<byte> s = GetSpan(FrameFormat.RecordHeaderBytes);
        s[0] = (byte)kind;
        _count += FrameFormat.RecordHeaderBytes;
        return at;
    }

    public void EndRecord(int at)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(at + 1), (uint)(_count - at - FrameFormat.RecordHeaderBytes));
        Records++;
    }

    /// <summary>Drops everything written since <paramref name="at"/> (a record that could not be completed)</summary>
    public void Rewind(int at) => _count = at;

    public void WriteByte(byte v) { GetSpan(1)[0] = v; _count++; }
    public void WriteUInt32(uint v) { BinaryPrimitives.WriteUInt32LittleEndian(GetSpan(4), v); _count += 4; }
    public void WriteUInt64(ulong v) { BinaryPrimitives.WriteUInt64LittleEndian(GetSpan(8), v); _count += 8; }

    public int Reserve(int bytes) { int at = _count; GetSpan(bytes); _count += bytes; return at; }
    public void PatchUInt32(int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(at), v);
    public void PatchUInt64(int at, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(at), v);

    public void Advance(int count) => _count += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_count);
    }

    void Ensure(int sizeHint)
    {
        if (sizeHint < 1) sizeHint = 256;
        if (_buffer.Length - _count >= sizeHint) return;
        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _count + sizeHint));
        _buffer.AsSpan(0, _count).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
