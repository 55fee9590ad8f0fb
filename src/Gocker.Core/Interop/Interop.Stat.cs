using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    /// <summary>glibc x86-64 struct stat (144 bytes).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 144)]
    internal struct Stat
    {
        [FieldOffset(0)] public ulong Dev;
        [FieldOffset(8)] public ulong Ino;
        [FieldOffset(16)] public ulong Nlink;
        [FieldOffset(24)] public uint Mode;
        [FieldOffset(28)] public uint Uid;
        [FieldOffset(32)] public uint Gid;
        [FieldOffset(40)] public ulong Rdev;
        [FieldOffset(48)] public long Size;
        [FieldOffset(88)] public long MtimeSec;
        [FieldOffset(96)] public long MtimeNsec;
    }

    internal const uint S_IFMT = 0xf000, S_IFSOCK = 0xc000, S_IFLNK = 0xa000, S_IFREG = 0x8000, S_IFBLK = 0x6000,
        S_IFDIR = 0x4000, S_IFIFO = 0x1000;

    [LibraryImport(Lib, EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatRaw(string path, out Stat st);

    /// <summary>The inode number of a path, or -1 if it does not exist.</summary>
    internal static long Inode(string path) => StatRaw(path, out var st) == 0 ? (long)st.Ino : -1;

    /// <summary>Device, inode, size and modification time: which file, and which version of it.</summary>
    internal static string? Identity(string path) =>
        StatRaw(path, out var st) == 0 ? $"{st.Dev}:{st.Ino}:{st.Size}:{st.MtimeSec}.{st.MtimeNsec}" : null;
}
