using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    internal const int ENODATA = 61, EOPNOTSUPP = 95;

    [LibraryImport(Lib, EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint LgetxattrRaw(string path, string name, Span<byte> value, nuint size);

    /// <summary>The value of an extended attribute of the path itself, or null when it has none.</summary>
    internal static byte[]? Lgetxattr(string path, string name)
    {
        Span<byte> buffer = stackalloc byte[256];
        nint n = LgetxattrRaw(path, name, buffer, (nuint)buffer.Length);
        if (n >= 0)
            return buffer[..(int)n].ToArray();
        int errno = Marshal.GetLastPInvokeError();
        if (errno is ENODATA or EOPNOTSUPP)
            return null;
        throw new SyscallException($"getxattr {name} {path}", errno);
    }
}
