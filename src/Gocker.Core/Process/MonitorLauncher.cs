using System.Globalization;
using System.Text;
using Gocker.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Process;

/// <summary>What the monitor is started with, known before the container exists (native/monitor.c
/// reads these as key=value arguments).</summary>
/// <param name="AutoRemove">--rm: the monitor holds the container's mount namespace past init's exit, so
/// that an attached client learns of the exit before the mounts are torn down (native/monitor.c).</param>
public sealed record MonitorSpec(
    string Id, string Root, string LogPath, string StateDb, bool Tty, bool OpenStdin, bool Attached, bool HostNetwork = false,
    bool AutoRemove = false);

/// <summary>What the monitor learns once the container exists: its state record's slot (the liveness
/// lock), its log's limits, and the cgroup files init joins (the header of the config pipe).</summary>
public sealed record MonitorRecord(long LockOffset, long LockLength, long LogMaxSize, int LogMaxFiles, IReadOnlyList<string> CgroupJoinFiles);

/// <summary>A monitor on its way: exec'd, and waiting for its <see cref="MonitorRecord"/>. Disposed
/// without <see cref="MonitorLauncher.Start"/> (the container could not be made), it ends at once.</summary>
public sealed class MonitorSpawn : IDisposable
{
    internal MonitorSpawn(MonitorSpec spec, int pid, SafeFileHandle configWrite, SafeFileHandle statusRead, SafeFileHandle control)
    {
        Spec = spec;
        Pid = pid;
        ConfigWrite = configWrite;
        StatusRead = statusRead;
        Control = control;
    }

    public MonitorSpec Spec { get; }
    public int Pid { get; }
    internal SafeFileHandle ConfigWrite { get; }
    internal SafeFileHandle StatusRead { get; }
    internal SafeFileHandle Control { get; }
    internal bool Started { get; set; }

    public void Dispose()
    {
        if (Started)
            return;
        Started = true;
        // EOF on the config pipe before its header: the monitor has made nothing, and ends.
        ConfigWrite.Dispose();
        StatusRead.Dispose();
        Control.Dispose();
        Libc.WaitForExit(Pid);
    }
}

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
    private const int HeaderMax = 4096; // native/monitor.c's buffer

    /// <summary>Spawns the monitor, before the container exists: its exec (and its start-up) overlaps
    /// whatever the caller does until <see cref="Start"/>.</summary>
    /// <param name="onSpawned">Called with the monitor's pid as soon as it exists (signal forwarding).</param>
    public static unsafe MonitorSpawn Spawn(MonitorSpec spec, Func<(int Rows, int Cols)?> windowSize, Action<int>? onSpawned)
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
            string[] args =
            [
                "gocker-monitor", $"id={spec.Id}", $"root={spec.Root}", $"log={spec.LogPath}", $"db={spec.StateDb}",
                $"flags={Namespaces.CloneFlags(newNetwork: !spec.HostNetwork)}", $"tty={(spec.Tty ? 1 : 0)}",
                $"stdin={(spec.OpenStdin && spec.Attached ? 1 : 0)}",
                $"rows={size?.Rows ?? 0}", $"cols={size?.Cols ?? 0}", $"rm={(spec.AutoRemove ? 1 : 0)}",
            ];
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
        return new MonitorSpawn(spec, monitorPid, configWrite, statusRead, control);
    }

    /// <summary>The header of the config pipe (native/monitor.c): a 4-byte length, then NUL-terminated
    /// key=value strings.</summary>
    public static byte[] Header(MonitorRecord r)
    {
        var text = new StringBuilder();
        text.Append("lock_off=").Append(r.LockOffset).Append('\0')
            .Append("lock_len=").Append(r.LockLength).Append('\0')
            .Append("log_max=").Append(r.LogMaxSize).Append('\0')
            .Append("log_files=").Append(r.LogMaxFiles).Append('\0');
        foreach (var f in r.CgroupJoinFiles)
            text.Append("cgroup=").Append(f).Append('\0');
        var body = Encoding.UTF8.GetBytes(text.ToString());
        if (body.Length >= HeaderMax)
            throw new GockerException($"the container's cgroup paths are too long for its monitor ({body.Length} bytes)");
        var header = new byte[4 + body.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)body.Length);
        body.CopyTo(header, 4);
        return header;
    }

    /// <param name="beforeCommand">Called with init (and the monitor's pid) while init sets up; init's
    /// command starts only after it returns (the monitor holds its gate until our "go"): the container's
    /// network is made and its record says Running here. If it throws, the container never runs.</param>
    /// <param name="initPlan">Builds the init's plan: called once the monitor has its header, so that
    /// the build overlaps the monitor's clone of init.</param>
    public static StartedContainer Start(MonitorSpawn monitor, MonitorRecord record, Func<byte[]> initPlan,
        Action<ProcessIdentity, int> beforeCommand)
    {
        if (monitor.Started)
            throw new InvalidOperationException("the monitor was started or abandoned already");
        var header = Header(record); // before the hand-over: if it throws, disposing the spawn ends the monitor
        monitor.Started = true;
        var spec = monitor.Spec;
        var configWrite = monitor.ConfigWrite;
        var statusRead = monitor.StatusRead;
        var control = monitor.Control;
        int monitorPid = monitor.Pid;

        // The header first, on its own: the monitor reads it, then clones init while the plan is built.
        // The plan follows in the same pipe, before init exists (init joins its cgroups in the clone
        // child, before it reads anything): init reads it the moment it is cloned. A plan past the
        // pipe's 64 KiB waits for that read; a monitor that fails before the clone closes the read end.
        Exception? setupFailed = null;
        using (var w = new FileStream(configWrite, FileAccess.Write, 1))
        {
            // Only a write's failure means the monitor failed (the status pipe says why); a failure to
            // build the plan is never mistaken for it.
            bool headerWritten = TryWrite(w, header);
            byte[]? plan = null;
            try { plan = initPlan(); }
            catch (GockerException e) { setupFailed = e; } // init then fails for want of a plan
            if (headerWritten && plan is not null)
                TryWrite(w, plan);
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

    private static bool TryWrite(FileStream w, byte[] bytes)
    {
        try { w.Write(bytes); return true; }
        catch (IOException) { return false; }
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
