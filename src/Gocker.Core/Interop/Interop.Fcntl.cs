using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    internal const int F_GETFD = 1, F_SETFD = 2, FD_CLOEXEC = 1;

    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(SafeFileHandle fd, int cmd, int arg);

    /// <summary>Lets an fd survive execve (a pipe handed to the command that exec's child becomes).</summary>
    internal static void ClearCloseOnExec(SafeFileHandle fd) =>
        Check(Fcntl(fd, F_SETFD, 0), "fcntl F_SETFD");
}
