using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LstatRaw(string path, out Stat st);

    /// <summary>lstat(2): the link itself, never what it points to.</summary>
    internal static Stat Lstat(string path)
    {
        Check(LstatRaw(path, out var st), $"lstat {path}");
        return st;
    }

    /// <summary>Whether <paramref name="path"/> exists (a dangling symlink does).</summary>
    internal static bool LstatExists(string path) => LstatRaw(path, out _) == 0;

    /// <summary>Whether <paramref name="path"/> certainly does not exist (ENOENT, ENOTDIR); any other
    /// failure to look (EACCES, EIO) is not taken as its absence.</summary>
    internal static bool LstatMissing(string path) =>
        LstatRaw(path, out _) < 0 && Marshal.GetLastPInvokeError() is Errno.ENOENT or Errno.ENOTDIR;
}
