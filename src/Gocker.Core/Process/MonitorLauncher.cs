using System.Globalization;
using System.Text;
using Gocker.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Process;

/// <summary>What the monitor needs to know (native/monitor.c reads these as key=value arguments).</summary>
public sealed record MonitorSpec(
    string Id, string Root, string LogPath, long LogMaxSize, int LogMaxFiles,
    string StateDb, long LockOffset, long LockLength, bool Tty, bool OpenStdin, bool Attached,
    IReadOnlyList<string> CgroupJoinFiles, bool HostNetwork = false);

/// <summary>A container that has started: its init exec'd the command.</summary>
public sealed class StartedContainer(int monitorPid, ProcessIdentity init, SafeFileHandle? control) : IDisposable
{
    public int MonitorPid { get; } = monitorPid;
    public ProcessIdentity Init { get; } = init;

    /// <summary>Attached only: the control socket to the monitor. Closing it (or dying) detaches.</summary>
    public SafeFileHandle? Control { get; } = control;

    /// <summary>Tells the monitor the user's window size (it owns the only pty master).</summary>
    public void Resize(int rows, int cols)
    {
        if (Control is null)
            return;
        var line = System.Text.Encoding.ASCII.GetBytes($"w {rows} {cols}\n");
        using var s = new FileStream(new SafeFileHandle(Control.DangerousGetHandle(), false), FileAccess.Write, 1);
        try { s.Write(line); } catch (IOException) { /* the monitor is ending */ }
    }

    /// <summary>Attached: blocks until the monitor reports the init's raw wait status ("x STATUS"),
    /// or returns null if the monitor ended without (then it records the exit itself).</summary>
    public int? WaitForExitReport()
    {
        if (Control is null)
            return null;
        string text;
        try { text = MonitorLauncher.ReadControlLine(Control); }
        catch (IOException) { return null; }
        return text.StartsWith("x ", StringComparison.Ordinal) && int.TryParse(text.AsSpan(2), out var status) ? status : null;
    }

    /// <summary>The exit is recorded: the monitor may end (and drop its liveness lock).</summary>
    public void AcknowledgeExit()
    {
        if (Control is null)
            return;
        using var s = new FileStream(new SafeFileHandle(Control.DangerousGetHandle(), false), FileAccess.Write, 1);
        try { s.WriteByte((byte)'k'); } catch (IOException) { }
    }

    public void Dispose() => Control?.Dispose();
}

/// <summary>Starts the monitor (a child of this process, in its own session) which clones the
/// container's init, and waits until the command runs or reports why it cannot.</summary>
public static class MonitorLauncher
{
    private const int MonitorFds = 6;

    /// <param name="onSpawned">Called with the monitor's pid as soon as it exists (signal forwarding).</param>
    /// <param name="beforeCommand">Called with init (and the monitor's pid) while init sets up; init's
    /// command starts only after it returns (the monitor holds its gate until our "go"): the container's
    /// network is made and its record says Running here. If it throws, the container never runs.</param>
    /// <param name="initPlan">Builds the init's plan: called once the monitor is on its way, so that the
    /// build overlaps the monitor's exec and its clone of init.</param>
    public static unsafe StartedContainer Start(MonitorSpec spec, Func<byte[]> initPlan, Func<(int Rows, int Cols)?> windowSize,
        Action<int>? onSpawned, Action<ProcessIdentity, int> beforeCommand)
    {
        var (configRead, configWrite) = Libc.Pipe();
        var (statusRead, statusWrite) = Libc.Pipe();
        var (control, monitorControl) = Libc.UnixSocketPair();
        using var devNull = Libc.Open("/dev/null", Libc.O_RDWR);
        int monitorPid;
        using (configRead)
        using (statusWrite)
        using (monitorControl)
        using (var strings = new NativeStrings())
        {
            int* fds = stackalloc int[MonitorFds];
            fds[0] = spec.Attached && spec.OpenStdin ? 0 : Fd(devNull);
            fds[1] = spec.Attached ? 1 : Fd(devNull);
            fds[2] = spec.Attached ? 2 : Fd(devNull);
            fds[InitFds.Config] = Fd(configRead);
            fds[InitFds.Status] = Fd(statusWrite);
            fds[5] = Fd(monitorControl);
            var size = spec.Tty ? windowSize() : null;
            var args = new List<string>
            {
                "gocker-monitor", $"id={spec.Id}", $"root={spec.Root}", $"log={spec.LogPath}",
                $"log_max={spec.LogMaxSize}", $"log_files={spec.LogMaxFiles}", $"db={spec.StateDb}",
                $"lock_off={spec.LockOffset}", $"lock_len={spec.LockLength}",
                $"flags={Namespaces.CloneFlags(newNetwork: !spec.HostNetwork)}", $"tty={(spec.Tty ? 1 : 0)}",
                $"stdin={(spec.OpenStdin && spec.Attached ? 1 : 0)}",
                $"rows={size?.Rows ?? 0}", $"cols={size?.Cols ?? 0}",
            };
            args.AddRange(spec.CgroupJoinFiles.Select(f => $"cgroup={f}"));
            var p = new Native.CloneParams
            {
                Flags = 0,
                Path = strings.String("/proc/self/exe"),
                Argv = strings.Vector(args),
                Envp = strings.Vector([$"{Preinit.GateVariable}=monitor"]),
                Fds = fds,
                NFds = MonitorFds,
                StatusFd = InitFds.Status,
                DeathSignal = 0,
                NewSession = 1,
                ExeFd = -1,
            };
            monitorPid = Native.CloneExec(&p);
            if (monitorPid < 0)
            {
                configWrite.Dispose();
                statusRead.Dispose();
                control.Dispose();
                throw new SyscallException("start the container monitor", -monitorPid);
            }
        }
        onSpawned?.Invoke(monitorPid);

        // The plan goes into the pipe before init exists (init joins its cgroups in the clone child,
        // before it reads anything): init reads it the moment it is cloned. A plan past the pipe's
        // 64 KiB waits for that read; a monitor that fails before the clone closes the read end.
        Exception? setupFailed = null;
        byte[]? plan = null;
        try { plan = initPlan(); }
        catch (GockerException e) { setupFailed = e; } // init then fails for want of a plan
        using (var w = new FileStream(configWrite, FileAccess.Write, 1))
        {
            // Only the write's failure means the monitor failed (the status pipe says why); a failure
            // to build the plan is never mistaken for it.
            try { if (plan is not null) w.Write(plan); }
            catch (IOException) { }
        }
        var init = ReadInitLine(control) ?? default;
        bool planFailed = setupFailed is not null;
        if (planFailed)
            control.Dispose(); // no "go": the monitor sees EOF, keeps the gate shut and records the exit

        if (init.Pid > 0 && !planFailed)
        {
            try
            {
                beforeCommand(init, monitorPid);
                SendLine(control, "go\n");
            }
            catch (Exception e) when (e is GockerException or IOException)
            {
                // The monitor keeps the gate shut: init fails before its command (and the monitor
                // records that exit, which releases what the container held).
                setupFailed = e;
                control.Dispose();
            }
        }

        StatusRecord? failure;
        using (var stream = new FileStream(statusRead, FileAccess.Read, 1))
        using (var reader = new StreamReader(stream, Encoding.UTF8))
            failure = StatusRecord.Parse(reader.ReadToEnd());
        // init's own failure before its gate (a bad rootfs, a command not found) may have come first
        // and be the real cause (our setup then failed for want of its namespace); otherwise init
        // only reports the gate that we kept shut.
        if (setupFailed is not null && (planFailed || failure is null or { Message: InitPlan.GateClosed }))
            failure = new StatusRecord(ExitCodes.GockerError, (setupFailed as SyscallException)?.Errno ?? 0, setupFailed.Message);
        if (failure is not null || init.Pid <= 0)
        {
            control.Dispose();
            throw new ContainerStartException(monitorPid, failure ?? new StatusRecord(ExitCodes.GockerError, 0, "the container monitor failed to start"));
        }
        if (!spec.Attached)
        {
            control.Dispose();
            return new StartedContainer(monitorPid, init, null);
        }
        return new StartedContainer(monitorPid, init, control);
    }

    private static void SendLine(SafeFileHandle control, string line)
    {
        using var s = new FileStream(new SafeFileHandle(control.DangerousGetHandle(), false), FileAccess.Write, 1);
        s.Write(Encoding.ASCII.GetBytes(line));
    }

    /// <summary>"pid PID STARTTIME\n", written by the monitor right after the clone.</summary>
    private static ProcessIdentity? ReadInitLine(SafeFileHandle control)
    {
        var parts = ReadControlLine(control).Split(' ');
        if (parts.Length == 3 && parts[0] == "pid" && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid)
            && ulong.TryParse(parts[2], CultureInfo.InvariantCulture, out var start))
            return new ProcessIdentity(pid, start);
        return null;
    }

    /// <summary>One line from the control socket, a byte at a time: nothing after the newline is
    /// consumed (the monitor's next line is for a later reader).</summary>
    internal static string ReadControlLine(SafeFileHandle control)
    {
        var line = new StringBuilder();
        using var stream = new FileStream(new SafeFileHandle(control.DangerousGetHandle(), false), FileAccess.Read, 1);
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n')
            line.Append((char)b);
        return line.ToString();
    }

    private static int Fd(SafeFileHandle h) => (int)h.DangerousGetHandle();
}

/// <summary>The command never ran. The monitor is still ending (it records the exit): wait for
/// <see cref="MonitorPid"/> before relying on the state.</summary>
public sealed class ContainerStartException(int monitorPid, StatusRecord record)
    : GockerException(record.Message, record.ExitCode)
{
    public int MonitorPid { get; } = monitorPid;
}
