using System.Runtime.InteropServices;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [LibraryImport(Lib, EntryPoint = "waitpid", SetLastError = true)]
    internal static unsafe partial int Waitpid(int pid, int* status, int options);

    /// <summary>Blocks until <paramref name="pid"/> ends; returns its raw wait status.</summary>
    internal static unsafe int WaitForExit(int pid)
    {
        int status = 0;
        int r;
        do { r = Waitpid(pid, &status, 0); } while (r < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);
        Check(r, $"waitpid {pid}");
        return status;
    }
}
