using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    /// <summary>glibc's struct termios (60 bytes on x86-64), treated as opaque bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    internal struct Termios { private long _pad0; }

    internal const int TCSANOW = 0;

    [LibraryImport(Lib, EntryPoint = "tcgetattr", SetLastError = true)]
    internal static partial int Tcgetattr(SafeFileHandle fd, out Termios t);

    [LibraryImport(Lib, EntryPoint = "tcsetattr", SetLastError = true)]
    internal static partial int Tcsetattr(SafeFileHandle fd, int actions, in Termios t);

    [LibraryImport(Lib, EntryPoint = "cfmakeraw")]
    internal static partial void Cfmakeraw(ref Termios t);

    [LibraryImport(Lib, EntryPoint = "isatty")]
    internal static partial int Isatty(int fd);
}
