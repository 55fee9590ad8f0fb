using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "send", SetLastError = true)]
    private static unsafe partial nint SendRaw(SafeFileHandle fd, byte* buf, nuint len, int flags);

    /// <summary>send(2) of one whole datagram (netlink: one request), EINTR retried.</summary>
    internal static unsafe void Send(SafeFileHandle fd, ReadOnlySpan<byte> datagram, string what)
    {
        fixed (byte* p = datagram)
        {
            nint r;
            do { r = SendRaw(fd, p, (nuint)datagram.Length, 0); }
            while (r < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);
            Check((long)r, what);
        }
    }
}
