using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    internal const int SOL_SOCKET = 1, SO_REUSEADDR = 2;

    [LibraryImport(Lib, EntryPoint = "setsockopt", SetLastError = true)]
    private static unsafe partial int SetsockoptRaw(SafeFileHandle fd, int level, int name, int* value, uint len);

    internal static unsafe void SetSocketOption(SafeFileHandle fd, int level, int name, int value)
    {
        Check(SetsockoptRaw(fd, level, name, &value, sizeof(int)), $"setsockopt {level}/{name}");
    }
}
