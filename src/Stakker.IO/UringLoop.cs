using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Stakker.IO;

/// <summary>Completion-based socket I/O on the Core's own thread (Linux io_uring): the Core blocks in
/// <c>io_uring_enter</c>, which also submits every operation queued since the last turn</summary>
/// <remarks>
/// <para>With the epoll reactor a request costs three system calls: the wait, the <c>recv</c> and the
/// <c>send</c>. Here operations are written into the submission ring as the Core's handlers start
/// them, and one <c>io_uring_enter</c> per turn of the driver submits them all and waits for
/// completions: with fifty clients each sending a request, one call instead of about a hundred
/// (decision 047). The kernel runs a receive at once if data is there and otherwise arms its own
/// readiness wait, so nothing here polls.</para>
/// <para>The ring is made with <c>SINGLE_ISSUER | DEFER_TASKRUN</c> where the kernel has them
/// (6.1+): only this thread submits, and completion work runs when it enters, never as an
/// interrupt of the Core's handlers. Older kernels get a plainer ring; without the kernel's
/// extended wait argument (5.11+) the ring is not used and the epoll reactor is chosen instead.</para>
/// <para>Wakes from other threads write to an eventfd that always has a read pending in the ring.</para>
/// <para>Every completion is queued and handed to its owner inside <see cref="Core.Run"/>, as the
/// reactor does; the owner never hears of an operation inside the call that started it.</para>
/// </remarks>
internal sealed unsafe class UringLoop : ICoreWaitSource
{
    /// <summary>Submission entries of a Core's ring (completions: four times as many; the kernel keeps
    /// any overflow rather than drop it)</summary>
    internal const uint DefaultEntries = 4096;

    internal const ulong WakeData = ulong.MaxValue;
    /// <summary>user_data of cancel requests, whose own completions are ignored</summary>
    internal const ulong IgnoreData = ulong.MaxValue - 1;

    readonly Core _core;
    internal Core Core => _core;
    readonly int _fd;
    readonly bool _deferTaskrun;

    // The submission ring
    readonly byte* _sqRing;
    readonly nint _sqRingSize;
    readonly uint* _sqHead, _sqTail, _sqFlags, _sqArray;
    readonly uint _sqMask, _sqEntries;
    readonly IoUring.Sqe* _sqes;
    readonly nint _sqesSize;
    uint _sqLocalTail;
    uint _toSubmit;

    // The completion ring (the same mapping as the submission ring where the kernel allows it)
    readonly byte* _cqRing;
    readonly nint _cqRingSize;
    readonly uint* _cqHead, _cqTail;
    readonly uint _cqMask;
    readonly IoUring.Cqe* _cqes;

    readonly int _wakeFd;
    readonly ulong* _wakeBuffer;
    readonly IoUring.Timespec* _timeout;
    readonly IoUring.GetEventsArg* _waitArg;

    /// <summary>Registered sockets by slot; a completion's user_data names the slot and the operation</summary>
    readonly SocketSlots<UringRegistration> _slots = new();
    /// <summary>Completions waiting to be handed to their owners by <see cref="_runReady"/></summary>
    readonly List<(UringRegistration Reg, UringOp Op, int Res)> _ready = [];
    readonly Action _runReady;
    bool _runQueued;

    UringLoop(Core core, int fd, in IoUring.Params p, bool deferTaskrun)
    {
        _core = core;
        _fd = fd;
        _deferTaskrun = deferTaskrun;
        bool single = (p.Features & IoUring.FeatSingleMmap) != 0;
        _sqRingSize = (nint)(p.SqOff.Array + p.SqEntries * sizeof(uint));
        _cqRingSize = (nint)(p.CqOff.Cqes + p.CqEntries * (uint)sizeof(IoUring.Cqe));
        if (single) _sqRingSize = _cqRingSize = Math.Max(_sqRingSize, _cqRingSize);
        _sqRing = (byte*)IoUring.MapRing(fd, _sqRingSize, IoUring.SqRingOffset);
        if (_sqRing == null) throw Failed("mmap of the submission ring");
        _cqRing = single ? _sqRing : (byte*)IoUring.MapRing(fd, _cqRingSize, IoUring.CqRingOffset);
        if (_cqRing == null) throw Failed("mmap of the completion ring");
        _sqesSize = (nint)(p.SqEntries * (uint)sizeof(IoUring.Sqe));
        _sqes = (IoUring.Sqe*)IoUring.MapRing(fd, _sqesSize, IoUring.SqesOffset);
        if (_sqes == null) throw Failed("mmap of the submission entries");

        _sqHead = (uint*)(_sqRing + p.SqOff.Head);
        _sqTail = (uint*)(_sqRing + p.SqOff.Tail);
        _sqFlags = (uint*)(_sqRing + p.SqOff.Flags);
        _sqArray = (uint*)(_sqRing + p.SqOff.Array);
        _sqMask = *(uint*)(_sqRing + p.SqOff.RingMask);
        _sqEntries = *(uint*)(_sqRing + p.SqOff.RingEntries);
        _sqLocalTail = *_sqTail;
        // The ring's index array maps each ring position to an entry: here always the same one.
        for (uint i = 0; i < _sqEntries; i++) _sqArray[i] = i;

        _cqHead = (uint*)(_cqRing + p.CqOff.Head);
        _cqTail = (uint*)(_cqRing + p.CqOff.Tail);
        _cqMask = *(uint*)(_cqRing + p.CqOff.RingMask);
        _cqes = (IoUring.Cqe*)(_cqRing + p.CqOff.Cqes);

        _wakeFd = Epoll.EventFd(0, Epoll.CloseOnExec);
        if (_wakeFd < 0) throw Failed("eventfd");
        _wakeBuffer = (ulong*)NativeMemory.AllocZeroed((nuint)sizeof(ulong));
        _timeout = (IoUring.Timespec*)NativeMemory.AllocZeroed((nuint)sizeof(IoUring.Timespec));
        _waitArg = (IoUring.GetEventsArg*)NativeMemory.AllocZeroed((nuint)sizeof(IoUring.GetEventsArg));
        _waitArg->Ts = (ulong)_timeout;
        _runReady = RunReady;
        ArmWake();
    }

    /// <summary>A ring for <paramref name="core"/>, or null where the kernel refuses one (or lacks what it needs)</summary>
    internal static UringLoop? TryCreate(Core core, uint entries)
    {
        if (!IoUring.MayBeSupported) return null;
        // Best first; each step back drops what an older kernel refuses with EINVAL.
        uint[] attempts =
        [
            IoUring.SetupSingleIssuer | IoUring.SetupDeferTaskrun | IoUring.SetupSubmitAll | IoUring.SetupCqSize,
            IoUring.SetupCoopTaskrun | IoUring.SetupSubmitAll | IoUring.SetupCqSize,
            IoUring.SetupCqSize,
        ];
        foreach (uint flags in attempts)
        {
            IoUring.Params p = default;
            p.Flags = flags;
            p.CqEntries = entries * 4;
            int fd;
            try { fd = IoUring.Setup(entries, &p); }
            catch (EntryPointNotFoundException) { return null; }
            if (fd < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == 22) continue;   // EINVAL: a flag this kernel does not know
                return null;                 // ENOSYS, EPERM (disabled or filtered), ENOMEM: no ring here
            }
            if ((p.Features & IoUring.FeatExtArg) == 0 || (p.Features & IoUring.FeatNoDrop) == 0)
            {
                Epoll.Close(fd);
                return null;
            }
            return new UringLoop(core, fd, p, (flags & IoUring.SetupDeferTaskrun) != 0);
        }
        return null;
    }

    static SocketException Failed(string what) => new(Marshal.GetLastPInvokeError(), "io_uring set-up failed: " + what);

    ~UringLoop()
    {
        // Only once the Core and every waker that could write the eventfd are gone.
        if (_sqes != null) IoUring.Munmap(_sqes, _sqesSize);
        if (_cqRing != null && _cqRing != _sqRing) IoUring.Munmap(_cqRing, _cqRingSize);
        if (_sqRing != null) IoUring.Munmap(_sqRing, _sqRingSize);
        Epoll.Close(_wakeFd);
        Epoll.Close(_fd);
        NativeMemory.Free(_wakeBuffer);
        NativeMemory.Free(_timeout);
        NativeMemory.Free(_waitArg);
    }

    /// <summary>Adds a socket; its operations then go through the returned registration</summary>
    internal UringRegistration Register(Socket socket, IIoOwner owner, bool listener)
    {
        // The ring tries each operation without blocking and waits for readiness itself, whatever the
        // file's mode; a blocking socket keeps a send that the kernel could finish from returning short.
        socket.Blocking = true;
        int slot = _slots.Take();
        var reg = new UringRegistration(this, socket, owner, slot, listener);
        _slots.Set(slot, reg);
        return reg;
    }

    /// <summary>Sockets registered and not yet released (tests: none may be left behind)</summary>
    internal int Registered => _slots.Count;

    /// <summary>The slot is free again once its socket left and every operation on it completed</summary>
    internal void Release(UringRegistration reg)
    {
        _slots.Release(reg.Slot, reg);
    }

    internal static ulong UserData(int slot, UringOp op) => ((ulong)(uint)slot << 8) | (byte)op;

    /// <summary>The next free submission entry, zeroed; submits what is queued if the ring is full</summary>
    internal IoUring.Sqe* NextSqe()
    {
        if (_sqLocalTail - Volatile.Read(ref *_sqHead) >= _sqEntries) SubmitNow();
        IoUring.Sqe* sqe = &_sqes[_sqLocalTail & _sqMask];
        *sqe = default;
        _sqLocalTail++;
        _toSubmit++;
        // The kernel reads the entry only after it sees the new tail (a release store).
        Volatile.Write(ref *_sqTail, _sqLocalTail);
        return sqe;
    }

    /// <summary>Submits what is queued now, without waiting (a socket leaving must not leave entries
    /// naming its file descriptor for after the descriptor is closed and reused)</summary>
    internal void SubmitNow()
    {
        while (_toSubmit > 0)
        {
            int r = IoUring.Enter(_fd, _toSubmit, 0, _deferTaskrun ? IoUring.EnterGetEvents : 0, null, 0);
            if (r >= 0) { _toSubmit -= (uint)r; continue; }
            if (r == -IoUring.EINTR) continue;
            if (r == -IoUring.EAGAIN || r == -IoUring.EBUSY)
            {
                // The completion ring is full: take what is there, then try again.
                Harvest();
                continue;
            }
            throw new SocketException(-r, "io_uring_enter failed");
        }
    }

    void ArmWake()
    {
        IoUring.Sqe* sqe = NextSqe();
        sqe->Opcode = IoUring.OpRead;
        sqe->Fd = _wakeFd;
        sqe->Addr = (ulong)_wakeBuffer;
        sqe->Len = sizeof(ulong);
        sqe->UserData = WakeData;
    }

    /// <summary>Submits what is queued and waits for a completion or the timeout; true if some came</summary>
    public bool Wait(TimeSpan timeout)
    {
        bool any = CompletionsWaiting;
        if (!any && timeout > TimeSpan.Zero)
        {
            long ticks = timeout >= TimeSpan.FromDays(1) ? TimeSpan.TicksPerDay : timeout.Ticks;
            _timeout->Sec = ticks / TimeSpan.TicksPerSecond;
            _timeout->Nsec = ticks % TimeSpan.TicksPerSecond * 100;
            int r = IoUring.Enter(_fd, _toSubmit, 1, IoUring.EnterGetEvents | IoUring.EnterExtArg, _waitArg, sizeof(IoUring.GetEventsArg));
            if (r >= 0) _toSubmit -= (uint)Math.Min(r, (int)_toSubmit);
            else if (r != -IoUring.ETIME && r != -IoUring.EINTR && r != -IoUring.EAGAIN && r != -IoUring.EBUSY) throw new SocketException(-r, "io_uring_enter failed");
        }
        else if (_toSubmit > 0 || _deferTaskrun || (Volatile.Read(ref *_sqFlags) & (IoUring.SqCqOverflow | IoUring.SqTaskrun)) != 0)
        {
            // A poll: submit, and let deferred completion work run, without blocking.
            int r = IoUring.Enter(_fd, _toSubmit, 0, IoUring.EnterGetEvents, null, 0);
            if (r >= 0) _toSubmit -= (uint)Math.Min(r, (int)_toSubmit);
            else if (r != -IoUring.EINTR && r != -IoUring.EAGAIN && r != -IoUring.EBUSY) throw new SocketException(-r, "io_uring_enter failed");
        }
        return Harvest() > 0 || any;
    }

    bool CompletionsWaiting => Volatile.Read(ref *_cqTail) != *_cqHead;

    /// <summary>Takes every completion in the ring; each becomes a queued hand-over to its owner</summary>
    int Harvest()
    {
        int n = 0;
        uint head = *_cqHead;
        uint tail = Volatile.Read(ref *_cqTail);
        while (head != tail)
        {
            IoUring.Cqe cqe = _cqes[head & _cqMask];
            head++;
            n++;
            Take(cqe);
            if (head == tail) tail = Volatile.Read(ref *_cqTail);
        }
        // The kernel may reuse the entries once it sees the new head (a release store).
        Volatile.Write(ref *_cqHead, head);
        return n;
    }

    void Take(in IoUring.Cqe cqe)
    {
        if (cqe.UserData == WakeData)
        {
            ArmWake();
            return;
        }
        if (cqe.UserData == IgnoreData) return;
        int slot = (int)(cqe.UserData >> 8);
        var op = (UringOp)(byte)cqe.UserData;
        if (_slots.Find(slot) is not { } reg) return;
        _ready.Add((reg, op, cqe.Res));
        if (!_runQueued)
        {
            _runQueued = true;
            _core.Defer(_runReady);
        }
    }

    /// <summary>Interrupts <see cref="Wait"/> from any thread</summary>
    public void Wake()
    {
        ulong one = 1;
        Epoll.Write(_wakeFd, &one, sizeof(ulong));
    }

    /// <summary>Hands every completion taken to its owner (Core thread, inside Run)</summary>
    void RunReady()
    {
        _runQueued = false;
        for (int i = 0; i < _ready.Count; i++)
        {
            (UringRegistration reg, UringOp op, int res) = _ready[i];
            // A failure in the owner's bookkeeping is that socket's failure, not the runtime's.
            try { reg.Complete(op, res); }
            catch (Exception ex) { reg.Owner.Fault(ex); }
        }
        _ready.Clear();
    }
}
