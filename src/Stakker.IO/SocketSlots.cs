namespace Stakker.IO;

/// <summary>The registered sockets of one epoll set or io_uring, by slot: the number the kernel hands
/// back with each event or completion finds its socket here</summary>
/// <remarks>A freed slot is reused for the next socket, so the table stays as large as the most
/// sockets open at once; each user checks that an event's slot still holds the socket it was meant
/// for (epoll by a generation in its token, io_uring by freeing a slot only after its last completion).</remarks>
internal sealed class SocketSlots<T> where T : class
{
    readonly List<T?> _slots = [];
    readonly Stack<int> _free = new();

    /// <summary>A free slot, to be filled with <see cref="Set"/></summary>
    internal int Take()
    {
        if (_free.Count > 0) return _free.Pop();
        _slots.Add(null);
        return _slots.Count - 1;
    }

    internal void Set(int slot, T item) => _slots[slot] = item;

    /// <summary>Frees <paramref name="slot"/> if it still holds <paramref name="item"/></summary>
    internal void Release(int slot, T item)
    {
        if (!ReferenceEquals(_slots[slot], item)) return;
        _slots[slot] = null;
        _free.Push(slot);
    }

    /// <summary>The socket in <paramref name="slot"/>, or null for a free or unknown slot</summary>
    internal T? Find(int slot) => (uint)slot < (uint)_slots.Count ? _slots[slot] : null;

    /// <summary>Slots holding a socket (or taken and not yet filled)</summary>
    internal int Count => _slots.Count - _free.Count;
}
