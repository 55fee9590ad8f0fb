using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkdiratRaw(int dirfd, string name, uint mode);

    /// <summary>mkdir of one name inside an open directory (no path walk that a symlink could redirect).</summary>
    internal static int Mkdirat(SafeHandle dirfd, string name, uint mode)
    {
        bool added = false;
        try
        {
            dirfd.DangerousAddRef(ref added);
            return MkdiratRaw((int)dirfd.DangerousGetHandle(), name, mode);
        }
        finally
        {
            if (added)
                dirfd.DangerousRelease();
        }
    }
}
