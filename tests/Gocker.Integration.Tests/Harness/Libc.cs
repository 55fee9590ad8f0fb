using System.Runtime.InteropServices;

namespace Gocker.Integration.Tests.Harness;

/// <summary>The few libc calls the harness needs: signals, the effective uid, a fifo, a lock.</summary>
internal static class Libc
{
    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    public static extern int Mkfifo(string path, uint mode);

    public const int O_DIRECTORY = 0x10000, LOCK_EX = 2, LOCK_NB = 4;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    public static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static extern int Flock(int fd, int operation);

    [DllImport("libc", EntryPoint = "close")]
    public static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int KillRaw(int pid, int sig);

    [DllImport("libc", EntryPoint = "geteuid")]
    public static extern uint GetEuid();

    public static void Kill(int pid, int sig)
    {
        if (KillRaw(pid, sig) != 0)
            throw new InvalidOperationException($"kill({pid}, {sig}) failed: errno {Marshal.GetLastPInvokeError()}");
    }
}

/// <summary>Linux x86-64/arm64 signal numbers.</summary>
public static class Sig
{
    public const int HUP = 1, INT = 2, QUIT = 3, KILL = 9, USR1 = 10, USR2 = 12, TERM = 15;

    public static string Name(int sig) => sig switch
    {
        HUP => "HUP", INT => "INT", QUIT => "QUIT", KILL => "KILL", USR1 => "USR1", USR2 => "USR2", TERM => "TERM",
        _ => sig.ToString(),
    };
}
