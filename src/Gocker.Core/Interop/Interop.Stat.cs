using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    /// <summary>glibc x86-64 struct stat (144 bytes); only st_dev and st_ino are read.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 144)]
    internal struct Stat
    {
        [FieldOffset(0)] public ulong Dev;
        [FieldOffset(8)] public ulong Ino;
        [FieldOffset(48)] public long Size;
        [FieldOffset(88)] public long MtimeSec;
        [FieldOffset(96)] public long MtimeNsec;
    }

    [LibraryImport(Lib, EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatRaw(string path, out Stat st);

    /// <summary>The inode number of a path, or -1 if it does not exist.</summary>
    internal static long Inode(string path) => StatRaw(path, out var st) == 0 ? (long)st.Ino : -1;

    /// <summary>Device, inode, size and modification time: which file, and which version of it.</summary>
    internal static string? Identity(string path) =>
        StatRaw(path, out var st) == 0 ? $"{st.Dev}:{st.Ino}:{st.Size}:{st.MtimeSec}.{st.MtimeNsec}" : null;
}
