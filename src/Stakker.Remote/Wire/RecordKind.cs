namespace Stakker.Remote.Wire;

/// <summary>What a record in a frame carries (docs/decisions/081-remote-wire-format.md)</summary>
internal enum RecordKind : byte
{
    /// <summary>u32 method, u8 argument count, u8 end count, end ids (u64 each), arguments (u32 length + bytes each)</summary>
    Call = 1,
    /// <summary>u64 id, the value</summary>
    RetValue = 2,
    /// <summary>u64 id: the Ret was dropped unanswered by a live actor</summary>
    RetNone = 3,
    /// <summary>u64 id: the actor is gone or the call was rejected; a Ret gets "no value", a stream fails, both as lost</summary>
    Gone = 4,
    /// <summary>u64 id, the item</summary>
    FwdItem = 5,
    /// <summary>u64 id: the stream ended normally</summary>
    FwdEnd = 6,
    /// <summary>u64 id, UTF-8 message: the stream failed</summary>
    FwdFail = 7,
    /// <summary>u32 count, ids (u64 each): the Rets and streams the sender still holds for the receiver</summary>
    KeepAlive = 8,
}

/// <summary>The frame header: magic, version, flags, record count</summary>
internal static class FrameFormat
{
    public const byte Magic0 = (byte)'S';
    public const byte Magic1 = (byte)'K';
    public const byte Version = 1;
    public const int HeaderBytes = 8;
    public const int RecordHeaderBytes = 5;
    /// <summary>Wire bound on arguments and ends per call (the generator allows four parameters)</summary>
    public const int MaxArgs = 16;
}
