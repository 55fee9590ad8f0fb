using System.Text;
using System.Text.Json;
using Gocker.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Process;

/// <summary>How the container's standard streams are wired.</summary>
public sealed record StdioPlan(bool Interactive, bool Tty);

/// <summary>A container whose init has exec'd the command (or failed, see <see cref="ContainerLauncher"/>).</summary>
public sealed class LaunchedContainer(int pid, SafeFileHandle? ptyMaster) : IDisposable
{
    public int Pid { get; } = pid;
    public SafeFileHandle? PtyMaster { get; } = ptyMaster;
    public void Dispose() => PtyMaster?.Dispose();
}

/// <summary>Starts gocker-init in new namespaces through the native clone helper and waits until the
/// command is running: the status pipe closes on its execve, or carries the reason it never ran.</summary>
public static class ContainerLauncher
{
    private const int CLONE_NEWNS = 0x00020000, CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000,
        CLONE_NEWIPC = 0x08000000, CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;
    private const int SIGKILL = 9;

    public static int NamespaceFlags() =>
        CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET |
        (File.Exists("/proc/self/ns/cgroup") ? CLONE_NEWCGROUP : 0);

    /// <param name="onWindowReady">With -t: called with the pty master before the command starts.</param>
    public static unsafe LaunchedContainer Start(InitConfig config, StdioPlan stdio, Action<int>? onStarted = null,
        Action<SafeFileHandle>? onWindowReady = null)
    {
        var (configRead, configWrite) = Libc.Pipe();
        var (statusRead, statusWrite) = Libc.Pipe();
        (SafeFileHandle A, SafeFileHandle B)? console = stdio.Tty ? Libc.UnixSocketPair() : null;
        using var devNull = Libc.Open("/dev/null", Libc.O_RDWR);
        int pid;
        using (configRead)
        using (statusWrite)
        using (console?.B)
        using (var strings = new NativeStrings())
        {
            int* fds = stackalloc int[InitFds.Count];
            fds[InitFds.Stdin] = stdio.Interactive && !stdio.Tty ? 0 : Fd(devNull);
            fds[InitFds.Stdout] = 1;
            fds[InitFds.Stderr] = 2;
            fds[InitFds.Config] = Fd(configRead);
            fds[InitFds.Status] = Fd(statusWrite);
            fds[InitFds.Console] = console is { } c ? Fd(c.B) : -1;
            var p = new Native.CloneParams
            {
                Flags = NamespaceFlags(),
                Path = strings.String("/proc/self/exe"),
                Argv = strings.Vector(["gocker-init"]),
                // Nothing of the host's environment reaches the container, not even through init.
                Envp = strings.Vector([]),
                Fds = fds,
                NFds = InitFds.Count,
                StatusFd = InitFds.Status,
                // The container must not outlive a gocker killed with SIGKILL. Tied to this thread,
                // which is the one that waits for the container.
                DeathSignal = SIGKILL,
            };
            pid = Native.CloneExec(&p);
            if (pid < 0)
                throw new SyscallException("clone into new namespaces", -pid);
        }
        onStarted?.Invoke(pid);

        SafeFileHandle? master = null;
        bool reaped = false;
        try
        {
            using (var w = new FileStream(configWrite, FileAccess.Write, 1))
                JsonSerializer.Serialize(w, config, InitJsonContext.Default.InitConfig);

            if (console is { } cons)
            {
                using (cons.A)
                {
                    // EOF instead of a master means init failed first; the status pipe says why.
                    try { master = Terminal.ReceiveMaster(cons.A); }
                    catch (SyscallException) { master = null; }
                    if (master is not null)
                    {
                        onWindowReady?.Invoke(master);
                        using var go = new FileStream(new SafeFileHandle(cons.A.DangerousGetHandle(), false), FileAccess.Write, 1);
                        go.WriteByte(1);
                    }
                }
            }

            var failure = ReadStatus(statusRead);
            if (failure is not null)
            {
                Libc.WaitForExit(pid);
                reaped = true;
                throw new GockerException(failure.Message, failure.ExitCode);
            }
            if (stdio.Tty && master is null)
                throw new GockerException("container init ended before its terminal was ready");
            return new LaunchedContainer(pid, master);
        }
        catch
        {
            master?.Dispose();
            if (!reaped)
            {
                // Never leave it behind, and never signal a pid that may already be someone else's.
                Libc.Kill(pid, SIGKILL);
                Libc.WaitForExit(pid);
            }
            throw;
        }
    }

    private static StatusRecord? ReadStatus(SafeFileHandle statusRead)
    {
        using var stream = new FileStream(statusRead, FileAccess.Read, 1);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return StatusRecord.Parse(reader.ReadToEnd());
    }

    private static int Fd(SafeFileHandle h) => (int)h.DangerousGetHandle();
}
