using System.Runtime.CompilerServices;

namespace Stakker.Calls;

/// <summary>An intrusive FIFO of call nodes</summary>
/// <remarks>
/// The nodes carry the links, so pushing and popping never allocate and the queue never has to
/// grow. A struct held in a field of its owner (the Core, or an actor's Prep queue); never copied.
/// </remarks>
internal struct CallQueue
{
    CallNode? _head;
    CallNode? _tail;

    internal readonly bool IsEmpty => _head is null;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Push(CallNode node)
    {
        if (_tail is null) _head = node;
        else _tail.Next = node;
        _tail = node;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal CallNode? Pop()
    {
        CallNode? n = _head;
        if (n is not null)
        {
            _head = Unsafe.As<CallNode?>(n.Next);
            if (_head is null) _tail = null;
            n.Next = null;
        }
        return n;
    }

    /// <summary>Takes every node, leaving this queue empty</summary>
    internal CallQueue TakeAll()
    {
        CallQueue all = this;
        this = default;
        return all;
    }

    /// <summary>Drops every node in order (answering held Rets with "no value")</summary>
    internal void DropAll(Core core)
    {
        while (Pop() is { } n) n.Drop(core);
    }
}
