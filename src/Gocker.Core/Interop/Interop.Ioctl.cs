using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    internal const ulong TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TIOCSPTLCK = 0x40045431,
        TIOCGPTPEER = 0x5441, SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    internal static unsafe partial int Ioctl(SafeFileHandle fd, ulong request, void* arg);

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(SafeFileHandle fd, ulong request, nint arg);

    [StructLayout(LayoutKind.Sequential)]
    internal struct WinSize
    {
        public ushort Rows, Cols, XPixel, YPixel;
    }
}
