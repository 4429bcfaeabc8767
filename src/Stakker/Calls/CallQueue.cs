using System.Runtime.CompilerServices;

namespace Stakker.Calls;

/// <summary>An intrusive FIFO of call nodes: an actor's Prep queue</summary>
/// <remarks>
/// The nodes carry the links, so an actor that never gets a call before it is Ready pays two empty
/// fields and no array. (The Core's hot queues are rings: <see cref="CallRing"/>.) A struct field of
/// its actor cell; never copied except by <see cref="TakeAll"/>.
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
}
