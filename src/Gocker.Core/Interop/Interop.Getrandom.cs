using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "getrandom", SetLastError = true)]
    private static unsafe partial nint GetrandomRaw(byte* buf, nuint len, uint flags);

    /// <summary>Kernel CSPRNG bytes. System.Security.Cryptography is not usable here: on Linux it
    /// dlopens OpenSSL, which in a static binary loads a second libc (see native/nodlopen.c).</summary>
    internal static unsafe byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        fixed (byte* p = bytes)
        {
            int done = 0;
            while (done < count)
            {
                nint r = GetrandomRaw(p + done, (nuint)(count - done), 0);
                if (r < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                    continue;
                Check((long)r, "getrandom");
                done += (int)r;
            }
        }
        return bytes;
    }
}
