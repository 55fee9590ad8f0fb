using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "recv", SetLastError = true)]
    private static unsafe partial nint RecvRaw(SafeFileHandle fd, byte* buf, nuint len, int flags);

    /// <summary>recv(2) of one datagram into <paramref name="buffer"/>, EINTR retried; its length.</summary>
    internal static unsafe int Recv(SafeFileHandle fd, Span<byte> buffer, string what)
    {
        fixed (byte* p = buffer)
        {
            nint r;
            do { r = RecvRaw(fd, p, (nuint)buffer.Length, 0); }
            while (r < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);
            return (int)Check((long)r, what);
        }
    }
}
