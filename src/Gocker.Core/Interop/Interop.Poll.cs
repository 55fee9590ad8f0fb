using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Interop;

internal static partial class Libc
{
    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd { public int Fd; public short Events; public short Revents; }

    private const short POLLIN = 1;

    [LibraryImport(Lib, EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int PollRaw(PollFd* fds, nuint n, int timeoutMs);

    /// <summary>Waits until <paramref name="fd"/> is readable (a pidfd: the process has ended).
    /// Returns false on timeout.</summary>
    internal static unsafe bool WaitReadable(SafeFileHandle fd, int timeoutMs)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            var p = new PollFd { Fd = (int)fd.DangerousGetHandle(), Events = POLLIN };
            int left = timeoutMs < 0 ? -1 : (int)Math.Max(0, deadline - Environment.TickCount64);
            int r = PollRaw(&p, 1, left);
            if (r > 0)
                return true;
            if (r == 0)
                return false;
            if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                Check(r, "poll");
        }
    }
}
