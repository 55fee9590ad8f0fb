using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    private const long SYS_openat2 = 437;

    /// <summary>openat2(2) resolve flags (linux/openat2.h).</summary>
    internal const ulong RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04,
        RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long SyscallOpenat2(long number, int dirfd, string path, ref OpenHow how, nuint size);

    /// <summary>openat2(2), always O_CLOEXEC: the kernel resolves <paramref name="path"/> relative to
    /// <paramref name="dirfd"/> under the <paramref name="resolve"/> rules (no glibc wrapper).</summary>
    internal static int Openat2Raw(SafeHandle dirfd, string path, int flags, uint mode, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)(uint)(flags | O_CLOEXEC), Mode = mode, Resolve = resolve };
        bool added = false;
        try
        {
            dirfd.DangerousAddRef(ref added);
            return (int)SyscallOpenat2(SYS_openat2, (int)dirfd.DangerousGetHandle(), path, ref how, (nuint)Marshal.SizeOf<OpenHow>());
        }
        finally
        {
            if (added)
                dirfd.DangerousRelease();
        }
    }

    internal static SafeFileHandle Openat2(SafeHandle dirfd, string path, int flags, uint mode, ulong resolve, string what) =>
        new(Check(Openat2Raw(dirfd, path, flags, mode, resolve), what), ownsHandle: true);
}
