using System.Text;
using System.Text.Json;
using Gocker.Core.Containers;
using Gocker.Core.Filesystem;
using Gocker.Core.Interop;
using Gocker.Core.Network;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Process;

/// <summary>gocker-init: PID 1 of a new container, started by the clone helper in fresh PID, mount,
/// UTS, IPC, network (and cgroup) namespaces. It builds the root filesystem, then becomes the
/// command (or, with --init, the native reaper that starts it). Until that execve every failure is
/// reported on the status pipe, so gocker can tell its own errors (125) from the command's.</summary>
public static class ContainerInit
{
    private const string SelfExe = "/proc/self/exe";

    /// <summary>Init's failure when its gate never opened: the real cause is the monitor's or gocker's.</summary>
    public const string GateClosed = "container init: the monitor could not put the container into its cgroups, or gocker could not set up its network";


    public static int Run()
    {
        using var status = new SafeFileHandle(InitFds.Status, ownsHandle: true);
        try
        {
            // dup2 into place (native/clone.c) cleared close-on-exec; the status pipe must close
            // exactly when the command's execve succeeds, which is how gocker learns it runs.
            Libc.Check(Libc.Fcntl(status, Libc.F_SETFD, Libc.FD_CLOEXEC), "fcntl status pipe");
            var config = ReadConfig();
            return Start(config, status);
        }
        catch (Exception e)
        {
            var code = e is GockerException g ? g.ExitCode : ExitCodes.GockerError;
            WriteStatus(status, new StatusRecord(code, e is SyscallException s ? s.Errno : 0, e.Message));
            return code;
        }
    }

    private static InitConfig ReadConfig()
    {
        using var stream = new FileStream(new SafeFileHandle(InitFds.Config, ownsHandle: true), FileAccess.Read, 1);
        return JsonSerializer.Deserialize(stream, InitJsonContext.Default.InitConfig)
            ?? throw new GockerException("container init: empty configuration");
    }

    private static int Start(InitConfig c, SafeFileHandle status)
    {
        new RootfsSetup(new LinuxMountSyscalls()).Build(new RootfsSetup.Layout(
            c.LowerDirs, c.UpperDir, c.WorkDir, c.Rootfs, c.HostnameFile, c.HostsFile, c.ResolvConfFile,
            c.Mounts, c.ReadOnlyRootfs, c.WorkingDir)
        {
            LowerBase = c.LowerBase,
            MaskSystemPaths = c.MaskSystemPaths,
            Privileged = c.Privileged,
            HostDevices = c.Privileged ? Confinement.ScanHostDevices() : [],
        });
        Hostname.Set(c.Hostname);
        if (!c.HostNetwork)
            Loopback.Up();

        // From here on every path is the container's: pivot_root is done.
        var user = UserResolver.Resolve(c.User, "/etc/passwd", "/etc/group");
        var env = new List<string>(c.Env);
        if (EnvironmentBuilder.Get(env, "HOME") is null)
            env.Add($"HOME={user.Home}");
        var workdir = string.IsNullOrEmpty(c.WorkingDir) ? "/" : c.WorkingDir;
        if (!Directory.Exists(workdir))
            CreateWorkdir(workdir, user);

        var resolved = CommandResolver.Resolve(c.Args[0], EnvironmentBuilder.Get(env, "PATH"), CommandResolver.Probe);
        if (resolved.Path is null)
            throw new GockerException(resolved.Error!, resolved.ExitCode);

        string path = resolved.Path;
        var argv = c.Args;
        if (c.Init)
        {
            // The reaper is this same binary run before the .NET runtime starts (native/reaper.c):
            // PID 1 stays small. The status pipe must outlive this execve: the reaper reports the
            // command's exec failure on it.
            Libc.ClearCloseOnExec(status);
            env.Add($"{Preinit.GateVariable}=reaper:{InitFds.Status}:{path}");
            argv = ["gocker-init", .. c.Args];
            path = SelfExe;
        }

        SafeFileHandle? tty = c.Tty ? Terminal.OpenForContainer(new SafeFileHandle(InitFds.Console, true)) : null;
        WaitForCgroups();
        return Exec(path, argv, env, workdir, user, tty, status, c.Security);
    }

    /// <summary>The command must not run a single instruction outside the container's limits: wait
    /// until the monitor has moved this process into the container's cgroups.</summary>
    private static void WaitForCgroups()
    {
        using var gate = new FileStream(new SafeFileHandle(InitFds.CgroupGate, ownsHandle: true), FileAccess.Read, 1);
        if (gate.ReadByte() < 0)
            throw new GockerException(GateClosed);
    }

    /// <summary>Docker creates a missing working directory, owned by the container's user.</summary>
    private static void CreateWorkdir(string workdir, ExecUser user)
    {
        if (!workdir.StartsWith('/'))
            throw new GockerException($"the working directory '{workdir}' is invalid, it needs to be an absolute path");
        Directory.CreateDirectory(workdir);
        Libc.Lchown(workdir, user.Uid, user.Gid);
    }

    private static int Exec(string path, List<string> argv, List<string> env, string workdir, ExecUser user,
        SafeFileHandle? tty, SafeFileHandle status, Security.ProcessSecurity? security)
    {
        // Only returns on failure; the native side wrote the status record already. With --init the
        // confinement applies to the reaper, and its command inherits it.
        var (code, _, _) = NativeExec.Exec(path, argv, env, workdir, user, tty, (int)status.DangerousGetHandle(), deathSignal: 9,
            security: security);
        return code;
    }

    private static void WriteStatus(SafeFileHandle status, StatusRecord record)
    {
        try
        {
            using var stream = new FileStream(new SafeFileHandle(status.DangerousGetHandle(), ownsHandle: false), FileAccess.Write, 1);
            stream.Write(Encoding.UTF8.GetBytes(record.Format()));
        }
        catch (IOException) { /* gocker is gone; nobody to tell */ }
    }
}
