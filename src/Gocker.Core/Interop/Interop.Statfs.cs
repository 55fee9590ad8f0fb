using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    /// <summary>glibc 64-bit struct statfs (120 bytes); only f_type and f_flags are read.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 120)]
    internal struct StatFs
    {
        [FieldOffset(0)] public long Type;
        [FieldOffset(80)] public long Flags;
    }

    [LibraryImport(Lib, EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatfsRaw(string path, out StatFs buf);

    /// <summary>The filesystem magic (f_type) of the filesystem holding a path.</summary>
    internal static long FilesystemType(string path)
    {
        Check(StatfsRaw(path, out var buf), $"statfs {path}");
        return buf.Type;
    }

    /// <summary>The mount flags (f_flags: ST_RDONLY, ST_NOSUID...) of the mount holding a path.</summary>
    internal static long MountFlagsOf(string path)
    {
        Check(StatfsRaw(path, out var buf), $"statfs {path}");
        return buf.Flags;
    }
}
