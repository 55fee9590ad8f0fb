using System.Text.Json;
using Gocker.Core.Interop;
using Gocker.Core.Process;
using Gocker.Core.State;

namespace Gocker.Core.Containers;

/// <summary>`gocker exec`: checks the container, pins its init with a pidfd, and re-executes this
/// binary with the pidfd and the exec configuration; the native constructor of the new image joins
/// the namespaces before its runtime starts (native/nsexec.c). This process becomes the supervisor
/// of the exec'd command, so signals sent to `gocker exec` reach it and its exit code is ours.</summary>
public sealed class ContainerExec(GockerRoot root, Func<string, string?> hostEnv)
{
    private const int FlagTty = 1, FlagDetach = 2;

    /// <summary>Does not return on success.</summary>
    public int Exec(ExecOptions o)
    {
        if (o.Command.Count == 0 || o.Command[0].Length == 0)
            throw new GockerException("exec: no command given");
        if (o.Detach && (o.Tty || o.Interactive))
            throw new GockerException("Conflicting options: -d cannot be used with -t or -i");
        if (o.Tty && o.Interactive && !Terminal.IsTerminal(0))
            throw new GockerException("the input device is not a TTY");
        if (o.WorkingDir is { Length: > 0 } wd && !wd.StartsWith('/'))
            throw new GockerException($"the working directory '{wd}' is invalid, it needs to be an absolute path");

        ContainerRecord record;
        try
        {
            using var store = new StateStore(root.StateDb);
            record = ContainerQueries.Observed(store, StateStore.Resolve(store.ReadAll().Records, o.Container));
        }
        catch (GockerException e) when (e.ExitCode != ExitCodes.GockerError)
        {
            throw new GockerException(e.Message); // exec's own errors are 125
        }
        var config = ContainerConfig.Load(new ContainerFiles(root.ContainerDir(record.Id)).ConfigFile);
        if (record.Status == ContainerStatus.Paused)
            throw new GockerException($"container {record.Id} is paused, unpause the container before exec");
        var identity = new ProcessIdentity(record.Pid, record.PidStartTime);
        if (record.Status != ContainerStatus.Running || record.Pid <= 0 || !identity.IsAlive())
            throw new GockerException($"container {record.Id} is not running");
        using var pidfd = Libc.PidfdOpen(record.Pid);
        // Checked again with the pidfd held: from here on it pins this very process.
        if (!identity.IsAlive())
            throw new GockerException($"container {record.Id} is not running");

        var userEnv = o.EnvFiles.SelectMany(EnvironmentBuilder.ReadEnvFile).Concat(o.Env);
        var env = EnvironmentBuilder.Merge(config.Env, userEnv, hostEnv);
        if (o.Tty && EnvironmentBuilder.Get(env, "TERM") is null)
            env.Add("TERM=xterm");
        var exec = new ExecConfig
        {
            Args = o.Command.ToList(),
            Env = env,
            User = o.User ?? config.User,
            WorkingDir = string.IsNullOrEmpty(o.WorkingDir) ? config.WorkingDir : o.WorkingDir,
            Tty = o.Tty,
            Security = Security.ContainerSecurity.ForProcess(config.Security, o.Privileged, Security.Seccomp.SeccompCache.For(root.CacheDir)),
        };
        using var memfd = Libc.MemfdCreate("gocker-exec");
        // FileStream writes a seekable file with pwrite: the fd's own offset stays at 0, where the
        // child starts reading.
        using (var w = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(memfd.DangerousGetHandle(), false), FileAccess.Write, 1))
            JsonSerializer.Serialize(w, exec, ExecJsonContext.Default.ExecConfig);

        if (!o.Interactive)
        {
            using var devNull = Libc.Open("/dev/null", Libc.O_RDONLY);
            Libc.Check(Libc.Dup2(devNull, 0), "dup2 /dev/null");
        }
        // The container's limits bind what exec runs: the native side joins its cgroups before it
        // enters the namespaces (inside, the host's cgroupfs is out of reach) and the command inherits them.
        var cgroups = ContainerCgroups.For(record.Id) is { Exists: true } cgroup ? cgroup.JoinFiles : [];
        Libc.ClearCloseOnExec(pidfd);
        Libc.ClearCloseOnExec(memfd);
        int flags = (o.Tty ? FlagTty : 0) | (o.Detach ? FlagDetach : 0);
        var gate = $"{Preinit.GateVariable}=exec:{(int)pidfd.DangerousGetHandle()}:{(int)memfd.DangerousGetHandle()}:{flags}";
        List<string> env2 = cgroups.Count > 0 ? [gate, $"_GOCKER_CGROUPS={string.Join('\n', cgroups)}"] : [gate];
        // Read-only: the child runs inside the container, and so may a "#!/proc/self/exe" interpreter it
        // starts (native/selfexe.c).
        var (_, errno, _) = NativeExec.Exec("/proc/self/exe", ["gocker-exec"], env2, null, null, null, -1, 0, readonlyExe: true);
        throw new SyscallException("re-execute gocker for exec", errno);
    }
}
