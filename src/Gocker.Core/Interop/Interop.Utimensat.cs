using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    internal const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100;

    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec { public long Sec; public long Nsec; }

    [LibraryImport(Lib, EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int UtimensatRaw(int dirfd, string path, Timespec* times, int flags);

    /// <summary>Sets atime and mtime of a path without following a final symlink.</summary>
    internal static unsafe int SetTimesNoFollow(string path, long unixSeconds)
    {
        Timespec* t = stackalloc Timespec[2];
        t[0] = new Timespec { Sec = unixSeconds };
        t[1] = t[0];
        return UtimensatRaw(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW);
    }
}
