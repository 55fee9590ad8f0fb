using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

/// <summary>libc and libgocker calls, one per file. Results are checked in one place:
/// <see cref="Check(int, string)"/> throws a <see cref="SyscallException"/> with errno and what was attempted.</summary>
internal static partial class Libc
{
    internal const string Lib = "libc";

    internal static int Check(int result, string what)
    {
        if (result < 0)
            throw new SyscallException(what, Marshal.GetLastPInvokeError());
        return result;
    }

    internal static long Check(long result, string what)
    {
        if (result < 0)
            throw new SyscallException(what, Marshal.GetLastPInvokeError());
        return result;
    }

    /// <summary>Retries a call that failed with EINTR.</summary>
    internal static int Retry(Func<int> call)
    {
        int r;
        do { r = call(); } while (r < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);
        return r;
    }
}

internal static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EBADF = 9, ECHILD = 10, EAGAIN = 11,
        EACCES = 13, EBUSY = 16, EEXIST = 17, ENOTDIR = 20, EINVAL = 22, ENOTTY = 25, EPIPE = 32, ENOSYS = 38;
}

/// <summary>A failed system call: errno and the object it was about ("mount proc on /x/proc").</summary>
public sealed class SyscallException(string what, int errno)
    : IOException($"{what}: {Marshal.GetPInvokeErrorMessage(errno)}", errno)
{
    public int Errno { get; } = errno;
}
