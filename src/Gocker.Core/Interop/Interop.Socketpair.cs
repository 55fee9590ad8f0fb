using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    internal const int SOCK_STREAM = 1;
    private const int AF_UNIX = 1, SOCK_CLOEXEC = 0x80000;

    [LibraryImport(Lib, EntryPoint = "socketpair", SetLastError = true)]
    private static unsafe partial int SocketpairRaw(int domain, int type, int protocol, int* fds);

    internal static unsafe (SafeFileHandle A, SafeFileHandle B) UnixSocketPair()
    {
        int* fds = stackalloc int[2];
        Check(SocketpairRaw(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), "socketpair");
        return (new SafeFileHandle(fds[0], true), new SafeFileHandle(fds[1], true));
    }
}
