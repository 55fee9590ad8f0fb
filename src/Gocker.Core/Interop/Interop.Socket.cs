using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    internal const int AF_INET = 2, AF_NETLINK = 16, SOCK_DGRAM = 2, SOCK_RAW = 3;

    [LibraryImport(Lib, EntryPoint = "socket", SetLastError = true)]
    private static partial int SocketRaw(int domain, int type, int protocol);

    internal static SafeFileHandle Socket(int domain, int type, int protocol = 0) =>
        new(Check(SocketRaw(domain, type | O_CLOEXEC, protocol), "socket"), true);
}
