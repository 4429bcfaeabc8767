using System.Buffers.Binary;
using System.ComponentModel;
using Stakker.Remote.Wire;

namespace Stakker.Remote;

/// <summary>One received call's arguments, checked against the record's bounds (used by generated dispatchers)</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct CallReader
{
    readonly RemoteNode _node;
    readonly RemotePublication _target;
    readonly string? _replyTo;
    readonly ReadOnlySpan<byte> _ends;
    readonly ReadOnlySpan<byte> _args;
    uint _taken;
    uint _checked;

    internal CallReader(RemoteNode node, RemotePublication target, string? replyTo, ReadOnlySpan<byte> payload)
    {
        _node = node;
        _target = target;
        _replyTo = replyTo;
        if (payload.Length < 6) throw new RemoteFrameException("call record cut short");
        Method = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        ArgCount = payload[4];
        EndCount = payload[5];
        if (ArgCount > FrameFormat.MaxArgs) throw new RemoteFrameException($"call has {ArgCount} arguments, over the bound of {FrameFormat.MaxArgs}");
        if (EndCount > ArgCount) throw new RemoteFrameException("call declares more Rets and streams than arguments");
        int endBytes = 8 * EndCount;
        if (payload.Length < 6 + endBytes) throw new RemoteFrameException("call record cut short in its ids");
        _ends = payload.Slice(6, endBytes);
        _args = payload.Slice(6 + endBytes);
        ReadOnlySpan<byte> rest = _args;
        for (int i = 0; i < ArgCount; i++)
        {
            if (rest.Length < 4) throw new RemoteFrameException($"argument {i} cut short");
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(rest);
            if (length > (uint)(rest.Length - 4)) throw new RemoteFrameException($"argument {i} longer than its record");
            rest = rest.Slice(4 + (int)length);
        }
        if (!rest.IsEmpty) throw new RemoteFrameException($"{rest.Length} bytes after the last argument");
    }

    /// <summary>The method's wire id</summary>
    public uint Method { get; }

    /// <summary>How many arguments the sender wrote (a sender built from an older interface may write fewer)</summary>
    public int ArgCount { get; }

    internal int EndCount { get; }

    /// <summary>True if the sender wrote argument <paramref name="index"/></summary>
    public readonly bool Has(int index) => index < ArgCount;

    readonly ReadOnlySpan<byte> Arg(int index)
    {
        if (index >= ArgCount) throw Missing(index);
        ReadOnlySpan<byte> rest = _args;
        for (int i = 0; ; i++)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(rest);
            if (i == index) return rest.Slice(4, length);
            rest = rest.Slice(4 + length);
        }
    }

    /// <summary>Reads a serialised argument</summary>
    public readonly T Value<T>(int index) => RemoteNode.ReadValue<T>(Arg(index));

    /// <summary>A Ret whose answer goes back to the caller</summary>
    public Ret<T> Ret<T>(int index)
    {
        ulong id = TakeEnd(index);
        return _node.RetFor<T>(_replyTo!, id, _target);
    }

    /// <summary>A stream whose items go back to the caller</summary>
    public Fwd<T> Fwd<T>(int index)
    {
        ulong id = TakeEnd(index);
        return _node.FwdFor<T>(_replyTo!, id, _target);
    }

    /// <summary>Checks that argument <paramref name="index"/> names a Ret or stream of this call that
    /// no other argument names; all are checked before any is made</summary>
    public void CheckEnd(int index)
    {
        ReadOnlySpan<byte> a = Arg(index);
        if (a.Length != 1 || a[0] >= EndCount) throw new RemoteFrameException($"argument {index} is not a Ret or stream");
        if (_replyTo is null) throw new RemoteFrameException("a call with a Ret or stream but no reply subject");
        uint bit = 1u << a[0];
        if ((_checked & bit) != 0) throw new RemoteFrameException($"argument {index} names a Ret or stream another argument names");
        _checked |= bit;
    }

    ulong TakeEnd(int index)
    {
        ReadOnlySpan<byte> a = Arg(index);
        if (a.Length != 1 || a[0] >= EndCount) throw new RemoteFrameException($"argument {index} is not a Ret or stream");
        if (_replyTo is null) throw new RemoteFrameException("a call with a Ret or stream but no reply subject");
        uint bit = 1u << a[0];
        if ((_taken & bit) != 0) throw new RemoteFrameException($"argument {index} names a Ret or stream already taken");
        _taken |= bit;
        return BinaryPrimitives.ReadUInt64LittleEndian(_ends.Slice(8 * a[0]));
    }

    /// <summary>The error for an argument the method needs and the sender did not write</summary>
    public readonly Exception Missing(int index) =>
        new RemoteFrameException($"method 0x{Method:x8} needs argument {index} and the call has {ArgCount}");

    /// <summary>The error for a method this interface does not have</summary>
    public readonly Exception UnknownMethod() =>
        new RemoteFrameException($"no method with id 0x{Method:x8} in this interface");

    internal readonly void AnswerUntaken()
    {
        if (_replyTo is null) return;
        for (int j = 0; j < EndCount; j++)
            if ((_taken & (1u << j)) == 0)
                _node.AnswerGone(_replyTo, BinaryPrimitives.ReadUInt64LittleEndian(_ends.Slice(8 * j)));
    }
}
