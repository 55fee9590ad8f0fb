using System.Diagnostics;

namespace Gocker.Integration.Tests.Harness;

/// <summary>One fresh state root per test class: /tmp/gocker-it-XXXX/root is gocker's --root, and
/// /tmp/gocker-it-XXXX/scratch is for the test's own files. All of it is removed at the end.</summary>
public sealed class GockerSandbox : IDisposable
{
    public GockerSandbox()
    {
        RequireRoot();
        Base = System.IO.Directory.CreateTempSubdirectory("gocker-it-").FullName;
        Root = Path.Combine(Base, "root");
        Scratch = Path.Combine(Base, "scratch");
        System.IO.Directory.CreateDirectory(Scratch);
    }

    /// <summary>The suite runs real containers: without root it must fail, never skip.</summary>
    public static void RequireRoot()
    {
        if (Libc.GetEuid() != 0)
            throw new InvalidOperationException(
                "The gocker integration tests run real containers and require root: run them as root (sudo ./build.sh test).");
    }

    public string Base { get; }
    public string Root { get; }
    public string Scratch { get; }
    public string ContainersDir => Path.Combine(Root, "containers");

    public ProcessSpec Spec(IEnumerable<string> args, Dictionary<string, string?>? env = null, string? stdin = null,
        TimeSpan? timeout = null) => new()
    {
        FileName = GockerBinary.Path,
        Args = ["--root", Root, .. args],
        Env = env ?? new(),
        Stdin = stdin,
        Timeout = timeout ?? ProcessRunner.DefaultTimeout,
    };

    /// <summary>`gocker --root ROOT ARGS...`, to completion.</summary>
    public Task<GockerResult> Run(params string[] args) => ProcessRunner.RunAsync(Spec(args));

    public Task<GockerResult> Run(IEnumerable<string> args, Dictionary<string, string?>? env = null, string? stdin = null) =>
        ProcessRunner.RunAsync(Spec(args, env, stdin));

    /// <summary>`gocker --root ROOT run busybox COMMAND...`</summary>
    public Task<GockerResult> RunBusybox(params string[] command) => Run(["run", "busybox", .. command]);

    public BackgroundProcess Start(params string[] args) => new(Spec(args));

    /// <summary>The command line that runs gocker on this root, for tmux and script.</summary>
    public string ShellCommand(params string[] args) => Shell.Join([GockerBinary.Path, "--root", Root, .. args]);

    /// <summary>Entries left under &lt;root&gt;/containers (none once every run is over).</summary>
    public string[] LeftoverContainers() =>
        System.IO.Directory.Exists(ContainersDir)
            ? System.IO.Directory.GetFileSystemEntries(ContainersDir).Select(p => Path.GetFileName(p)).ToArray()
            : [];

    public void AssertNoLeftoverContainers() =>
        Assert.True(LeftoverContainers().Length == 0,
            $"left under {ContainersDir}: {string.Join(", ", LeftoverContainers())}");

    /// <summary>Live gocker processes of this root: the commands (matched by their `--root ROOT` argv)
    /// and the container monitors (argv "gocker-monitor ... root=ROOT ..."), so only this sandbox's own.</summary>
    public List<int> GockerProcesses()
    {
        var pids = new List<int>();
        foreach (var dir in System.IO.Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            string[] argv;
            try
            {
                argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (ProcFs.IsZombie(pid))
                    continue;   // a zombie is not running
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            int i = Array.IndexOf(argv, "--root");
            if ((i >= 0 && i + 1 < argv.Length && argv[i + 1] == Root) ||
                (argv[0] == "gocker-monitor" && argv.Contains("root=" + Root)))
                pids.Add(pid);
        }
        return pids;
    }

    /// <summary>Containers this root still holds (a failed test, a killed gocker) may have cgroups on
    /// the host, which deleting the root does not remove: rmdir them (empty now, their processes are
    /// dead), in every v1 hierarchy or the v2 tree.</summary>
    private void RemoveLeftoverCgroups()
    {
        if (!System.IO.Directory.Exists(ContainersDir))
            return;
        var parents = System.IO.Directory.Exists("/sys/fs/cgroup/gocker")
            ? ["/sys/fs/cgroup/gocker"]
            : System.IO.Directory.EnumerateDirectories("/sys/fs/cgroup").Select(d => Path.Combine(d, "gocker")).Where(System.IO.Directory.Exists).ToArray();
        foreach (var id in System.IO.Directory.EnumerateDirectories(ContainersDir).Select(Path.GetFileName))
        {
            foreach (var parent in parents)
            {
                var dir = Path.Combine(parent, id!);
                if (!System.IO.Directory.Exists(dir))
                    continue;
                try { System.IO.Directory.Delete(dir); }
                catch (IOException e) { Console.Error.WriteLine($"gocker-it: could not remove cgroup {dir}: {e.Message}"); }
            }
        }
    }

    /// <summary>The root's bridges and iptables rules live on the host, not under the root: gocker's
    /// own `network teardown` removes them (every sandbox's default network has a bridge of its own).</summary>
    private void TearDownNetworks()
    {
        if (!System.IO.Directory.Exists(Path.Combine(Root, "networks")))
            return;
        using var p = Process.Start(new ProcessStartInfo(GockerBinary.Path, ["--root", Root, "network", "teardown"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(30_000) || p.ExitCode != 0)
            Console.Error.WriteLine($"gocker-it: network teardown of {Root} failed: {err}");
    }

    public void Dispose()
    {
        // A gocker that outlived its test (a failed one, a detached container, or a gocker bug) must
        // not outlive the suite: its commands, its monitors and their children (the containers' inits;
        // they would die with their monitor anyway, by the parent-death signal).
        var pids = GockerProcesses();
        var all = pids.Concat(pids.SelectMany(ProcFs.Children)).Distinct().ToList();
        foreach (var pid in all)
        {
            try { Libc.Kill(pid, Sig.KILL); } catch (InvalidOperationException) { }
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (all.Any(ProcFs.IsLive) && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        RemoveLeftoverCgroups();
        TearDownNetworks();
        try
        {
            System.IO.Directory.Delete(Base, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Something is still mounted below (a gocker bug that the mount test reports); detach it
            // so that /tmp is not left with stale mounts, then retry.
            foreach (var mp in Mounts.MountPointsUnder(Base).OrderByDescending(m => m.Length))
                Process.Start("umount", ["-l", mp])?.WaitForExit(10_000);
            try { System.IO.Directory.Delete(Base, recursive: true); }
            catch (Exception e2) when (e2 is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"gocker-it: could not remove {Base}: {e2.Message}");
            }
        }
    }
}

/// <summary>The host mount table, as mount point and fs type pairs (ids left out: they change).</summary>
public static class Mounts
{
    public static List<(string MountPoint, string FsType)> Read(string file = "/proc/self/mountinfo")
    {
        var list = new List<(string, string)>();
        foreach (var line in File.ReadAllLines(file))
        {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            var f = line.Split(' ');
            int sep = Array.IndexOf(f, "-");
            list.Add((Unescape(f[4]), f[sep + 1]));
        }
        return list;
    }

    public static IEnumerable<string> MountPointsUnder(string dir) =>
        Read().Select(m => m.MountPoint).Where(mp => mp == dir || mp.StartsWith(dir + "/", StringComparison.Ordinal));

    private static string Unescape(string s) =>
        s.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
