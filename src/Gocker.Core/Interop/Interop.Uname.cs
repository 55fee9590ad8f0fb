using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    /// <summary>struct utsname: six fields of 65 bytes (sysname, nodename, release, version, machine, domainname).</summary>
    [LibraryImport(Lib, EntryPoint = "uname", SetLastError = true)]
    private static unsafe partial int UnameRaw(byte* buf);

    /// <summary>The kernel release ("6.18.44-fc-v857"), one syscall.</summary>
    internal static unsafe string KernelRelease()
    {
        var buf = stackalloc byte[6 * 65];
        Check(UnameRaw(buf), "uname");
        return Marshal.PtrToStringUTF8((nint)(buf + 2 * 65)) ?? "";
    }
}
