using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "pipe2", SetLastError = true)]
    private static unsafe partial int Pipe2Raw(int* fds, int flags);

    /// <summary>A close-on-exec pipe: (read end, write end).</summary>
    internal static unsafe (SafeFileHandle Read, SafeFileHandle Write) Pipe()
    {
        int* fds = stackalloc int[2];
        Check(Pipe2Raw(fds, O_CLOEXEC), "pipe2");
        return (new SafeFileHandle(fds[0], true), new SafeFileHandle(fds[1], true));
    }
}
