using System.Runtime.InteropServices;

namespace Stakker.IO;

/// <summary>The few Linux calls the reactor needs: epoll and an eventfd</summary>
internal static unsafe partial class Epoll
{
    internal const uint In = 0x001, Out = 0x004, Err = 0x008, Hup = 0x010, RdHup = 0x2000, EdgeTriggered = 1u << 31;
    internal const int CtlAdd = 1, CtlDel = 2;
    internal const int CloseOnExec = 0x80000, NonBlock = 0x800;
    internal const int EINTR = 4;

    /// <summary><c>struct epoll_event</c> as x86-64 lays it out: packed, 12 bytes</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal struct Event
    {
        internal uint Events;
        internal ulong Data;
    }

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int Create(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    internal static partial int Control(int epfd, int op, int fd, Event* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    internal static partial int Wait(int epfd, Event* events, int maxEvents, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, void* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, void* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    internal static partial int Close(int fd);

    /// <summary>True where the reactor can run: Linux on x86-64 (the layout above is that ABI's)</summary>
    internal static bool IsSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;
}
