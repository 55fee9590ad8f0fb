using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    /// <summary>glibc 64-bit struct statfs (120 bytes); only f_type is read.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 120)]
    internal struct StatFs
    {
        [FieldOffset(0)] public long Type;
    }

    [LibraryImport(Lib, EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatfsRaw(string path, out StatFs buf);

    /// <summary>The filesystem magic (f_type) of the filesystem holding a path.</summary>
    internal static long FilesystemType(string path)
    {
        Check(StatfsRaw(path, out var buf), $"statfs {path}");
        return buf.Type;
    }
}
