using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Stakker.IO;

/// <summary>Readiness-based socket I/O on the Core's own thread (Linux): the Core blocks in epoll</summary>
/// <remarks>
/// <para>The default backend (<see cref="SocketArgsBackend"/>) lets .NET's socket engine
/// thread wait in epoll and do the <c>recv</c>, then hands each completion to the Core's thread: two
/// threads and a wake per request. Here the Core's thread is the one that waits
/// (<see cref="ICoreWaitSource"/>): every stream's socket is registered, edge-triggered, in one epoll
/// set; receives and sends are non-blocking calls made on the Core's thread; readiness reported by
/// epoll resumes the operation that was waiting for it. That is how a single-threaded server such as
/// redis-server works (decision 011).</para>
/// <para>Edge-triggered readiness is tracked per socket: a flag is set by an epoll event and cleared
/// by a call that would block. A receive that returned fewer bytes than asked for has emptied the
/// kernel's buffer, so it clears the flag too: the next receive waits for the next edge instead of
/// making a call that would only say "would block".</para>
/// <para>A listening socket is registered the same way and accepts are non-blocking calls too;
/// accepted sockets join the reactor when a stream opens them. Wakes from other threads write to an
/// eventfd in the same epoll set.</para>
/// </remarks>
internal sealed unsafe class Reactor : ICoreWaitSource
{
    const int MaxEvents = 256;
    const ulong WakeToken = ulong.MaxValue;

    readonly Core _core;

    /// <summary>The Core whose thread waits here and runs every resumed operation</summary>
    internal Core Core => _core;
    readonly int _epoll;
    readonly int _wakeFd;
    readonly Epoll.Event* _events;
    /// <summary>Registered sockets by slot; the epoll token is slot and generation</summary>
    readonly SocketSlots<ReactorRegistration> _slots = new();
    /// <summary>Registrations with an operation ready to resume, run by <see cref="_runReady"/></summary>
    readonly List<ReactorRegistration> _ready = [];
    readonly Action _runReady;
    bool _runQueued;

    internal Reactor(Core core)
    {
        _core = core;
        _epoll = Epoll.Create(Epoll.CloseOnExec);
        if (_epoll < 0) throw new SocketException(Marshal.GetLastPInvokeError());
        _wakeFd = Epoll.EventFd(0, Epoll.CloseOnExec | Epoll.NonBlock);
        if (_wakeFd < 0) throw new SocketException(Marshal.GetLastPInvokeError());
        var ev = new Epoll.Event { Events = Epoll.In, Data = WakeToken };
        if (Epoll.Control(_epoll, Epoll.CtlAdd, _wakeFd, &ev) != 0) throw new SocketException(Marshal.GetLastPInvokeError());
        _events = (Epoll.Event*)NativeMemory.Alloc(MaxEvents, (nuint)sizeof(Epoll.Event));
        _runReady = RunReady;
    }

    /// <summary>Closes the epoll set and the eventfd once the Core (and every waker that could still
    /// write to the eventfd) is gone</summary>
    ~Reactor()
    {
        Epoll.Close(_wakeFd);
        Epoll.Close(_epoll);
        NativeMemory.Free(_events);
    }

    /// <summary>Adds a connected socket (or a listening one): its receives and sends (or accepts) then
    /// go through the <see cref="ReactorRegistration"/></summary>
    internal ReactorRegistration Register(Socket socket, IIoOwner owner, bool listener = false)
    {
        socket.Blocking = false;
        int slot = _slots.Take();
        var reg = new ReactorRegistration(this, socket, owner, slot, listener);
        _slots.Set(slot, reg);
        var ev = new Epoll.Event { Events = Epoll.In | Epoll.Out | Epoll.RdHup | Epoll.EdgeTriggered, Data = reg.Token };
        if (Epoll.Control(_epoll, Epoll.CtlAdd, (int)socket.Handle, &ev) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Release(reg);
            throw new SocketException(errno);
        }
        return reg;
    }

    internal void Release(ReactorRegistration reg)
    {
        _slots.Release(reg.Slot, reg);
    }

    /// <summary>Blocks in epoll; readiness found becomes a queued call that resumes the waiting operations</summary>
    public bool Wait(TimeSpan timeout)
    {
        int ms = timeout <= TimeSpan.Zero ? 0 : timeout >= TimeSpan.FromMilliseconds(int.MaxValue) ? -1 : (int)Math.Ceiling(timeout.TotalMilliseconds);
        int n = Epoll.Wait(_epoll, _events, MaxEvents, ms);
        if (n <= 0) return false;   // timeout, or EINTR: the driver's loop just goes round again
        for (int i = 0; i < n; i++)
        {
            Epoll.Event ev = _events[i];
            if (ev.Data == WakeToken)
            {
                ulong drained;
                Epoll.Read(_wakeFd, &drained, sizeof(ulong));
                continue;
            }
            int slot = (int)(uint)ev.Data;
            if (_slots.Find(slot) is not { } reg || reg.Token != ev.Data) continue;   // closed since
            if ((ev.Events & (Epoll.In | Epoll.RdHup | Epoll.Hup | Epoll.Err)) != 0) reg.Readable = true;
            if ((ev.Events & (Epoll.RdHup | Epoll.Hup | Epoll.Err)) != 0) reg.PeerClosed = true;
            if ((ev.Events & (Epoll.Out | Epoll.Hup | Epoll.Err)) != 0) reg.Writable = true;
            if ((reg.RecvWaiting is not null && reg.Readable) || (reg.SendWaiting is not null && reg.Writable) || (reg.WatchPeer && reg.PeerClosed)) MarkReady(reg);
        }
        return true;
    }

    /// <summary>Interrupts <see cref="Wait"/> from any thread</summary>
    public void Wake()
    {
        ulong one = 1;
        Epoll.Write(_wakeFd, &one, sizeof(ulong));
    }

    void MarkReady(ReactorRegistration reg)
    {
        if (reg.Queued) return;
        reg.Queued = true;
        _ready.Add(reg);
        if (!_runQueued)
        {
            _runQueued = true;
            _core.Defer(_runReady);
        }
    }

    /// <summary>Resumes every operation whose socket became ready (Core thread, inside Run)</summary>
    void RunReady()
    {
        _runQueued = false;
        for (int i = 0; i < _ready.Count; i++)
        {
            ReactorRegistration reg = _ready[i];
            reg.Queued = false;
            // A failure in the owner's bookkeeping is that socket's failure, not the runtime's.
            try { reg.Resume(); }
            catch (Exception ex) { reg.Owner.Fault(ex); }
        }
        _ready.Clear();
    }
}
