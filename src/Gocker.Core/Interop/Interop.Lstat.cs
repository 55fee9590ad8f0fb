using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    internal const uint S_IFMT = 0xF000, S_IFBLK = 0x6000, S_IFDIR = 0x4000, S_IFLNK = 0xA000;

    /// <summary>glibc x86-64 struct stat, the fields a device node needs.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 144)]
    internal struct FileStatus
    {
        [FieldOffset(24)] public uint Mode;
        [FieldOffset(28)] public uint Uid;
        [FieldOffset(32)] public uint Gid;
        [FieldOffset(40)] public ulong Rdev;
    }

    [LibraryImport(Lib, EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Lstat(string path, out FileStatus st);

    internal static uint Major(ulong dev) => (uint)(((dev >> 8) & 0xfff) | ((dev >> 32) & 0xfffff000));

    internal static uint Minor(ulong dev) => (uint)((dev & 0xff) | ((dev >> 12) & 0xffffff00));
}
