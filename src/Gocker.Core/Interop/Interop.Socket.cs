using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    internal const int AF_INET = 2, SOCK_DGRAM = 2;

    [LibraryImport(Lib, EntryPoint = "socket", SetLastError = true)]
    private static partial int SocketRaw(int domain, int type, int protocol);

    internal static SafeFileHandle Socket(int domain, int type) =>
        new(Check(SocketRaw(domain, type | O_CLOEXEC, 0), "socket"), true);
}
