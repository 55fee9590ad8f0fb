using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    private const long SYS_pidfd_open = 434;

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    private static partial long SyscallPidfdOpen(long number, int pid, uint flags);

    /// <summary>A pidfd pins the process itself: a signal through it can never reach a later process
    /// that reuses the pid.</summary>
    internal static SafeFileHandle PidfdOpen(int pid) =>
        new((nint)Check(SyscallPidfdOpen(SYS_pidfd_open, pid, 0), $"pidfd_open {pid}"), true);
}
