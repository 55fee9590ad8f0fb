using Gocker.Core.Images;
using Gocker.Core.Interop;
using Gocker.Core.Process;

namespace Gocker.Core.Containers;

/// <summary>The operations the CLI calls: one call per command.</summary>
public sealed class ContainerService(GockerRoot root, string imagesDir, Func<string, string?> hostEnv)
{
    /// <summary>`gocker run` in the foreground: returns the exit code that `docker run` would.
    /// Everything the run created (container directory, name) is gone when it returns.</summary>
    public int RunForeground(RunOptions o)
    {
        var id = ContainerId.New();
        var hostname = o.Hostname ?? ContainerId.Short(id);
        ContainerId.ValidateHostname(hostname);
        if (o.Name is not null)
            ContainerId.ValidateName(o.Name);
        if (o.WorkingDir is { Length: > 0 } wd && !wd.StartsWith('/'))
            throw new GockerException($"the working directory '{wd}' is invalid, it needs to be an absolute path");
        if (o.Tty && o.Interactive && !Terminal.IsTerminal(0))
            throw new GockerException("the input device is not a TTY");
        var userEnv = o.EnvFiles.SelectMany(EnvironmentBuilder.ReadEnvFile).Concat(o.Env).ToList();
        var env = EnvironmentBuilder.Build(hostname, o.Tty, [], userEnv, hostEnv);
        var command = o.Command.Count > 0 ? o.Command : ["/bin/sh"];

        root.EnsureCreated();
        var lower = new BundledImages(root, imagesDir).Resolve(o.Image);
        var names = new NameRegistry(root);
        if (o.Name is not null)
            names.Reserve(o.Name, id);
        var files = new ContainerFiles(root.ContainerDir(id));
        try
        {
            files.Create(hostname);
            var config = new InitConfig
            {
                Id = id,
                Hostname = hostname,
                Args = command.ToList(),
                Env = env,
                User = o.User,
                WorkingDir = o.WorkingDir,
                Tty = o.Tty,
                Init = o.Init,
                LowerDirs = lower,
                UpperDir = files.Upper,
                WorkDir = files.Work,
                Rootfs = files.Rootfs,
                HostnameFile = files.HostnameFile,
                HostsFile = files.HostsFile,
                ResolvConfFile = files.ResolvConfFile,
            };
            return Supervise(config, o);
        }
        finally
        {
            files.Remove();
            if (o.Name is not null)
                names.Release(o.Name, id);
        }
    }

    private static int Supervise(InitConfig config, RunOptions o)
    {
        using var signals = new SignalForwarder();
        RawMode? raw = null;
        try
        {
            using var container = ContainerLauncher.Start(config, new StdioPlan(o.Interactive, o.Tty),
                onStarted: signals.Target,
                onWindowReady: master =>
                {
                    Terminal.CopyWindowSize(new Microsoft.Win32.SafeHandles.SafeFileHandle(0, false), master);
                    if (o.Interactive)
                        raw = RawMode.Enter(0);
                });
            using var relay = container.PtyMaster is { } m ? new TerminalRelay(m, o.Interactive) : null;
            int status = Libc.WaitForExit(container.Pid);
            signals.Stop();
            relay?.WaitForOutput(TimeSpan.FromSeconds(2));
            return WaitStatus.ToExitCode(status);
        }
        finally
        {
            raw?.Dispose();
        }
    }
}
