using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint LgetxattrRaw(string path, string name, byte* value, nuint size);

    /// <summary>A small extended attribute of the path itself (a final symlink not followed); null
    /// when it is not set. Other failures throw.</summary>
    internal static unsafe string? Lgetxattr(string path, string name)
    {
        const int ENODATA = 61, ENOTSUP = 95;
        byte* buf = stackalloc byte[256];
        nint n = LgetxattrRaw(path, name, buf, 256);
        if (n < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ENODATA or ENOTSUP)
                return null;
            throw new SyscallException($"getxattr {name} {path}", errno);
        }
        return System.Text.Encoding.UTF8.GetString(buf, (int)n);
    }
}
