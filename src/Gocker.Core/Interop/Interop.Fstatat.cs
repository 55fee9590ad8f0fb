using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    internal const int AT_EMPTY_PATH = 0x1000;

    [LibraryImport(Lib, EntryPoint = "fstatat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FstatatRaw(int dirfd, string path, out Stat st, int flags);

    /// <summary>lstat(2): the path itself, a final symlink not followed. -1 with errno set on failure.</summary>
    internal static int Lstat(string path, out Stat st) => FstatatRaw(AT_FDCWD, path, out st, AT_SYMLINK_NOFOLLOW);

    /// <summary>fstat(2) of an open fd (O_PATH fds included).</summary>
    internal static Stat Fstat(SafeHandle fd, string what)
    {
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            Check(FstatatRaw((int)fd.DangerousGetHandle(), "", out var st, AT_EMPTY_PATH), $"stat {what}");
            return st;
        }
        finally
        {
            if (added)
                fd.DangerousRelease();
        }
    }

    internal static uint Major(ulong dev) => (uint)(((dev >> 32) & 0xfffff000) | ((dev >> 8) & 0xfff));

    internal static uint Minor(ulong dev) => (uint)(((dev >> 12) & 0xffffff00) | (dev & 0xff));
}
