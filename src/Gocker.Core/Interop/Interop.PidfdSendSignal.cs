using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    private const long SYS_pidfd_send_signal = 424;

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    private static partial long SyscallPidfdSendSignal(long number, SafeFileHandle pidfd, int sig, nint info, uint flags);

    internal static int PidfdSendSignal(SafeFileHandle pidfd, int signal) =>
        (int)SyscallPidfdSendSignal(SYS_pidfd_send_signal, pidfd, signal, 0, 0);
}
