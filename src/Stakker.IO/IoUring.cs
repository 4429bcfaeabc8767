using System.Runtime.InteropServices;

namespace Stakker.IO;

/// <summary>The Linux io_uring interface as the ring needs it: two system calls, mmap, and the
/// layouts of <c>io_uring_params</c>, a submission entry and a completion entry (x86-64)</summary>
/// <remarks>Written from the kernel's UAPI header (<c>linux/io_uring.h</c>); no library is
/// needed. Only what <see cref="UringLoop"/> uses is here.</remarks>
internal static unsafe partial class IoUring
{
    const long SysSetup = 425, SysEnter = 426;

    // io_uring_setup flags
    internal const uint SetupCqSize = 1u << 3, SetupSubmitAll = 1u << 7, SetupCoopTaskrun = 1u << 8,
        SetupSingleIssuer = 1u << 12, SetupDeferTaskrun = 1u << 13;

    // features reported by the kernel
    internal const uint FeatSingleMmap = 1u << 0, FeatNoDrop = 1u << 1, FeatExtArg = 1u << 8;

    // io_uring_enter flags
    internal const uint EnterGetEvents = 1u << 0, EnterExtArg = 1u << 3;

    // sq ring flags
    internal const uint SqCqOverflow = 1u << 1, SqTaskrun = 1u << 2;

    // opcodes
    internal const byte OpPollAdd = 6, OpAccept = 13, OpAsyncCancel = 14, OpRead = 22, OpSend = 26, OpRecv = 27;

    // mmap offsets
    const long OffSqRing = 0, OffCqRing = 0x8000000, OffSqes = 0x10000000;

    internal const int EINTR = 4, EAGAIN = 11, EBUSY = 16, ETIME = 62, ECANCELED = 125;

    [StructLayout(LayoutKind.Sequential)]
    internal struct SqOffsets
    {
        internal uint Head, Tail, RingMask, RingEntries, Flags, Dropped, Array, Resv1;
        internal ulong UserAddr;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CqOffsets
    {
        internal uint Head, Tail, RingMask, RingEntries, Overflow, Cqes, Flags, Resv1;
        internal ulong UserAddr;
    }

    /// <summary><c>struct io_uring_params</c>: 120 bytes</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Params
    {
        internal uint SqEntries, CqEntries, Flags, SqThreadCpu, SqThreadIdle, Features, WqFd, Resv0, Resv1, Resv2;
        internal SqOffsets SqOff;
        internal CqOffsets CqOff;
    }

    /// <summary><c>struct io_uring_sqe</c>: 64 bytes</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    internal struct Sqe
    {
        [FieldOffset(0)] internal byte Opcode;
        [FieldOffset(1)] internal byte Flags;
        [FieldOffset(2)] internal ushort IoPrio;
        [FieldOffset(4)] internal int Fd;
        [FieldOffset(8)] internal ulong Off;
        [FieldOffset(16)] internal ulong Addr;
        [FieldOffset(24)] internal uint Len;
        /// <summary>msg_flags, poll32_events, accept_flags, cancel_flags: by opcode</summary>
        [FieldOffset(28)] internal uint OpFlags;
        [FieldOffset(32)] internal ulong UserData;
        [FieldOffset(40)] internal ulong Rest0;
        [FieldOffset(48)] internal ulong Rest1;
        [FieldOffset(56)] internal ulong Rest2;
    }

    /// <summary><c>struct io_uring_cqe</c>: 16 bytes</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Cqe
    {
        internal ulong UserData;
        internal int Res;
        internal uint Flags;
    }

    /// <summary><c>struct io_uring_getevents_arg</c></summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct GetEventsArg
    {
        internal ulong SigMask;
        internal uint SigMaskSize;
        internal uint MinWaitUsec;
        internal ulong Ts;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        internal long Sec;
        internal long Nsec;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall2(long number, uint entries, Params* p);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall6(long number, int fd, uint toSubmit, uint minComplete, uint flags, void* arg, nint argSize);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    internal static partial void* Mmap(void* addr, nint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    internal static partial int Munmap(void* addr, nint length);

    internal static int Setup(uint entries, Params* p) => (int)Syscall2(SysSetup, entries, p);

    /// <summary>io_uring_enter; the result, or minus errno</summary>
    internal static int Enter(int fd, uint toSubmit, uint minComplete, uint flags, void* arg, nint argSize)
    {
        long r = Syscall6(SysEnter, fd, toSubmit, minComplete, flags, arg, argSize);
        return r >= 0 ? (int)r : -Marshal.GetLastPInvokeError();
    }

    const int ProtRead = 1, ProtWrite = 2, MapShared = 1, MapPopulate = 0x8000;

    internal static void* MapRing(int fd, nint size, long offset)
    {
        void* p = Mmap(null, size, ProtRead | ProtWrite, MapShared | MapPopulate, fd, offset);
        return p == (void*)-1 ? null : p;
    }

    internal static long SqRingOffset => OffSqRing;
    internal static long CqRingOffset => OffCqRing;
    internal static long SqesOffset => OffSqes;

    /// <summary>True where the ring may be tried: Linux on x86-64 (the layouts above are that ABI's)</summary>
    internal static bool MayBeSupported => Epoll.IsSupported;
}
