using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    private const long SYS_pivot_root = 155; // x86-64; glibc has no wrapper

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long Syscall2(long number, string a, string b);

    internal static int PivotRoot(string newRoot, string putOld) => (int)Syscall2(SYS_pivot_root, newRoot, putOld);
}
