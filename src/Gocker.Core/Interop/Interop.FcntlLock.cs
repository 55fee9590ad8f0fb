using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    /// <summary>Open file description locks (Linux 3.15+): owned by the open file description, not the
    /// process, so two open()s in one process conflict, and closing another fd of the file does not drop
    /// them. They are independent of flock(2).</summary>
    internal const int F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
    internal const short F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
    internal const short SEEK_SET = 0;

    /// <summary>struct flock of glibc on x86-64 and aarch64 (LP64): l_type and l_whence (short), 4 bytes
    /// of padding, l_start and l_len (off_t, 64 bits), l_pid (int), 4 bytes of tail padding: 32 bytes.
    /// l_pid must be 0 for the OFD commands; F_OFD_GETLK returns -1 there for a conflicting OFD lock.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 32)]
    internal struct FlockRange
    {
        [FieldOffset(0)] public short Type;
        [FieldOffset(2)] public short Whence;
        [FieldOffset(8)] public long Start;
        [FieldOffset(16)] public long Length;
        [FieldOffset(24)] public int Pid;
    }

    /// <summary>fcntl(2) with a struct flock argument (F_OFD_GETLK / F_OFD_SETLK / F_OFD_SETLKW).</summary>
    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int FcntlLock(SafeFileHandle fd, int cmd, ref FlockRange lck);
}
