using System.Text.RegularExpressions;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>The namespaces: UTS, PID, network; and what the container's filesystem looks like.</summary>
public sealed class IsolationTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private static string HostHostname() => File.ReadAllText("/proc/sys/kernel/hostname").Trim();

    [Fact]
    public async Task Only_an_rm_containers_writable_layer_is_volatile()
    {
        // Field 5 of mountinfo is the mount point; the overlay's own options follow the " - " separator.
        const string root = "awk '$5 == \"/\" { sub(/.* - /, \"\"); print }' /proc/self/mountinfo";
        var disposable = (await box.Run("run", "--rm", "busybox", "sh", "-c", root)).ShouldSucceed().Stdout;
        Assert.StartsWith("overlay ", disposable);
        Assert.Contains("volatile", disposable); // shown as ",volatile", or ",fsync=volatile" on newer kernels
        var kept = (await box.Run("run", "--name", "kept-layer", "busybox", "sh", "-c", root)).ShouldSucceed().Stdout;
        (await box.Run("rm", "kept-layer")).ShouldSucceed();
        Assert.StartsWith("overlay ", kept);
        Assert.DoesNotContain("volatile", kept);
    }

    [Fact]
    public async Task Default_hostname_is_a_12_hex_short_id_and_the_host_keeps_its_own()
    {
        var before = HostHostname();
        var r = (await box.RunBusybox("sh", "-c", "hostname; echo \"$HOSTNAME\"; cat /etc/hostname")).ShouldSucceed();
        var lines = r.StdoutLines;
        Assert.Equal(3, lines.Length);
        Assert.Matches("^[0-9a-f]{12}$", lines[0]);
        Assert.NotEqual(before, lines[0]);
        Assert.Equal(lines[0], lines[1]);   // $HOSTNAME
        Assert.Equal(lines[0], lines[2]);   // /etc/hostname
        Assert.Equal(before, HostHostname());

        var other = (await box.RunBusybox("hostname")).ShouldSucceed();
        Assert.NotEqual(lines[0], other.Stdout.Trim());   // every container has its own id
    }

    [Fact]
    public async Task Hostname_option_sets_the_hostname_env_and_etc_hostname()
    {
        var before = HostHostname();
        var r = (await box.Run("run", "-h", "myhost", "busybox", "sh", "-c", "hostname; echo \"$HOSTNAME\"; cat /etc/hostname")).ShouldSucceed();
        Assert.Equal(["myhost", "myhost", "myhost"], r.StdoutLines);
        Assert.Equal(before, HostHostname());
    }

    [Fact]
    public async Task Etc_hosts_maps_localhost()
    {
        var r = (await box.RunBusybox("cat", "/etc/hosts")).ShouldSucceed();
        Assert.Matches(new Regex(@"^127\.0\.0\.1\s+localhost\b", RegexOptions.Multiline), r.Stdout);
    }

    [Fact]
    public async Task The_command_is_pid_1()
    {
        var r = (await box.RunBusybox("sh", "-c", "echo $$")).ShouldSucceed();
        Assert.Equal("1", r.Stdout.Trim());
    }

    [Fact]
    public async Task With_init_pid_1_is_gocker_init_and_the_command_is_its_child()
    {
        var cmdline = (await box.Run("run", "--init", "busybox", "cat", "/proc/1/cmdline")).ShouldSucceed();
        Assert.StartsWith("gocker-init", cmdline.Stdout);

        var pid = (await box.Run("run", "--init", "busybox", "sh", "-c", "echo $$; cat /proc/$$/status")).ShouldSucceed();
        var lines = pid.StdoutLines;
        Assert.NotEqual("1", lines[0]);
        Assert.Contains("PPid:\t1", lines);
    }

    [Fact]
    public async Task Host_processes_are_invisible()
    {
        var r = (await box.RunBusybox("ls", "/proc")).ShouldSucceed();
        var pids = r.StdoutLines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(e => e.All(char.IsAsciiDigit)).Select(int.Parse).ToList();
        Assert.True(pids.Count is > 0 and < 5, $"numeric /proc entries inside: {string.Join(' ', pids)}");
        Assert.Contains(1, pids);

        var ps = (await box.RunBusybox("ps", "-o", "pid,comm")).ShouldSucceed();
        Assert.True(ps.StdoutLines.Length <= 3, $"ps inside shows too much:\n{ps.Stdout}");

        // The test process's own pid (a host pid) does not exist in the container's /proc.
        int self = Environment.ProcessId;
        if (self > 10)
            (await box.RunBusybox("test", "-e", $"/proc/{self}")).ShouldExit(1);
    }

    [Fact]
    public async Task Only_loopback_in_the_network_namespace_with_network_none()
    {
        var r = (await box.Run("run", "--network", "none", "busybox", "cat", "/proc/net/dev")).ShouldSucceed();
        var ifaces = r.StdoutLines.Skip(2).Select(l => l.Split(':')[0].Trim()).ToList();
        Assert.Equal(["lo"], ifaces);
    }

    [Fact]
    public async Task Dev_has_the_standard_devices_devpts_and_shm()
    {
        string[] devices = ["null", "zero", "full", "random", "urandom", "tty", "ptmx"];
        var script = string.Join("; ", devices.Select(d => $"test -c /dev/{d} && echo ok {d}"));
        var r = (await box.RunBusybox("sh", "-c", script)).ShouldSucceed();
        Assert.Equal(devices.Select(d => $"ok {d}").ToArray(), r.StdoutLines);

        var mounts = await ContainerMounts();
        Assert.Equal("devpts", mounts["/dev/pts"].FsType);
        Assert.Equal("tmpfs", mounts["/dev"].FsType);
        Assert.Equal("tmpfs", mounts["/dev/shm"].FsType);
        Assert.Equal("proc", mounts["/proc"].FsType);

        var rw = (await box.RunBusybox("sh", "-c", "echo x > /dev/null && echo null-ok; head -c 4 /dev/zero | wc -c; echo x > /dev/full || echo full-refused")).ShouldSucceed();
        Assert.Equal(["null-ok", "4", "full-refused"], rw.StdoutLines);
        Assert.Contains("No space left on device", rw.Stderr);
    }

    [Fact]
    public async Task Sys_is_read_only()
    {
        var mounts = await ContainerMounts();
        Assert.Equal("sysfs", mounts["/sys"].FsType);
        Assert.Contains("ro", mounts["/sys"].Options.Split(','));

        var r = await box.RunBusybox("touch", "/sys/gocker-it");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Read-only file system", r.Stderr);
    }

    [Fact]
    public async Task Rootfs_is_writable_and_private_to_one_run()
    {
        var marker = $"gocker-it-marker-{Guid.NewGuid():N}";
        var before = await box.Snapshot();
        var first = (await box.Run("run", "--rm", "busybox", "sh", "-c", $"echo hello > /{marker} && cat /{marker} && echo more > /etc/{marker}")).ShouldSucceed();
        Assert.Equal("hello\n", first.Stdout);

        var second = await box.Run("run", "--rm", "busybox", "sh", "-c", $"test -e /{marker} || test -e /etc/{marker}");
        second.ShouldExit(1);

        // With --rm nothing of it survives anywhere under the root: not in the image, not in a
        // container dir, not in the trash once the monitors have deleted what they moved there.
        await box.WaitForDeferredRemovals();
        var leaked = System.IO.Directory.EnumerateFileSystemEntries(box.Root, "*" + marker + "*",
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }).ToList();
        Assert.Empty(leaked);
        await box.AssertNothingNew(before);
    }

    /// <summary>The container's own mount table, last mount per mount point.</summary>
    private async Task<Dictionary<string, (string FsType, string Options)>> ContainerMounts()
    {
        var r = (await box.RunBusybox("cat", "/proc/mounts")).ShouldSucceed();
        var d = new Dictionary<string, (string, string)>();
        foreach (var line in r.StdoutLines)
        {
            var f = line.Split(' ');
            d[f[1]] = (f[2], f[3]);
        }
        return d;
    }
}
