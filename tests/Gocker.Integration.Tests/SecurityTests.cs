using System.Globalization;
using System.Runtime.InteropServices;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>The default confinement (Docker's capabilities, no_new_privs, seccomp, masked and read-only
/// /proc and /sys paths, the v1 devices cgroup), the flags that change it, and the protection of the gocker
/// binary. Nested classes run in parallel, one root each.</summary>
public static class SecurityTests
{
    private const string DockerDefaultCaps = "00000000a80425fb";

    /// <summary>"CapEff" → "00000000a80425fb" from /proc/PID/status text.</summary>
    private static Dictionary<string, string> StatusFields(string text) =>
        GockerResult.SplitLines(text).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim());

    private static string HostBoundingSet() => StatusFields(File.ReadAllText("/proc/self/status"))["CapBnd"];

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..16];

    public sealed class Defaults(GockerSandbox box) : IClassFixture<GockerSandbox>
    {
        [Fact]
        public async Task Pid_1_has_dockers_capabilities_no_new_privs_and_a_seccomp_filter()
        {
            var s = StatusFields((await box.RunBusybox("cat", "/proc/1/status")).ShouldSucceed().Stdout);
            Assert.Equal(DockerDefaultCaps, s["CapEff"]);
            Assert.Equal(DockerDefaultCaps, s["CapPrm"]);
            Assert.Equal(DockerDefaultCaps, s["CapBnd"]);
            Assert.Equal("0000000000000000", s["CapInh"]);
            Assert.Equal("0000000000000000", s["CapAmb"]);
            Assert.Equal("1", s["NoNewPrivs"]);
            Assert.Equal("2", s["Seccomp"]);
        }

        [Fact]
        public async Task A_non_root_user_has_no_capabilities_but_the_bounding_set()
        {
            var s = StatusFields((await box.Run("run", "-u", "1000", "busybox", "cat", "/proc/self/status")).ShouldSucceed().Stdout);
            Assert.Equal(("0000000000000000", "0000000000000000", "0000000000000000", "0000000000000000"),
                (s["CapInh"], s["CapPrm"], s["CapEff"], s["CapAmb"]));
            Assert.Equal(DockerDefaultCaps, s["CapBnd"]);
            Assert.Equal("2", s["Seccomp"]);
        }

        [Fact]
        public async Task Mount_fails()
        {
            var r = (await box.RunBusybox("mount", "-t", "tmpfs", "none", "/mnt")).ShouldExit(1);
            Assert.Contains("permission denied", r.Stderr);
        }

        [Fact]
        public async Task Unshare_of_a_user_namespace_is_refused_by_seccomp()
        {
            var r = (await box.RunBusybox("unshare", "-U", "true")).ShouldExit(1);
            Assert.Contains("Operation not permitted", r.Stderr);
        }

        [Fact]
        public async Task Creating_a_network_link_fails()
        {
            var r = (await box.RunBusybox("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1")).ShouldExit(2);
            Assert.Contains("Operation not permitted", r.Stderr);
        }

        [Fact]
        public async Task Reboot_fails_and_the_host_is_unaffected()
        {
            var bootId = File.ReadAllText("/proc/sys/kernel/random/boot_id");
            var r = await box.RunBusybox("sh", "-c", "reboot -f; echo rc=$?");
            r.ShouldSucceed();
            Assert.Contains("rc=1", r.Stdout);
            Assert.Contains("Operation not permitted", r.Stderr);
            Assert.Equal(bootId, File.ReadAllText("/proc/sys/kernel/random/boot_id"));
        }

        [Fact]
        public async Task Kernel_files_are_masked()
        {
            // /proc/kcore: empty, or absent on kernels without it (this VM's): never readable memory.
            var kcore = (await box.RunBusybox("sh", "-c", "cat /proc/kcore 2>/dev/null | wc -c")).ShouldSucceed();
            Assert.Equal("0", kcore.Stdout.Trim());
            // /proc/timer_list exists on the host with content: in the container it is /dev/null.
            Assert.NotEmpty(File.ReadAllText("/proc/timer_list"));
            var timerList = (await box.RunBusybox("sh", "-c", "wc -c < /proc/timer_list; ls -A /proc/acpi | wc -l; ls -A /sys/firmware | wc -l")).ShouldSucceed();
            Assert.Equal(["0", "0", "0"], timerList.StdoutLines);
            Assert.NotEmpty(Directory.GetFileSystemEntries("/sys/firmware")); // on the host it has entries
        }

        [Fact]
        public async Task Proc_sys_is_read_only_and_the_host_hostname_unchanged()
        {
            var before = File.ReadAllText("/proc/sys/kernel/hostname");
            var r = (await box.RunBusybox("sh", "-c", "echo evil > /proc/sys/kernel/hostname")).ShouldExit(1);
            Assert.Contains("Read-only file system", r.Stderr);
            (await box.RunBusybox("sh", "-c", "echo 1 > /proc/sysrq-trigger")).ShouldExit(1);
            Assert.Equal(before, File.ReadAllText("/proc/sys/kernel/hostname"));
            var mounts = (await box.RunBusybox("grep", " /proc/sys ", "/proc/self/mountinfo")).ShouldSucceed();
            Assert.Contains(" ro,", mounts.Stdout);
            Assert.Contains("nosuid,nodev,noexec", mounts.Stdout);
        }

        [Fact]
        public async Task Sys_is_read_only()
        {
            var r = (await box.RunBusybox("grep", " /sys ", "/proc/self/mountinfo")).ShouldSucceed();
            Assert.Contains(" ro,", r.Stdout);
        }

        [Fact]
        public async Task Only_the_default_device_nodes_exist()
        {
            var r = (await box.RunBusybox("ls", "/dev")).ShouldSucceed();
            var entries = r.Stdout.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Order().ToArray();
            Assert.Equal(["fd", "full", "mqueue", "null", "ptmx", "pts", "random", "shm", "stderr", "stdin", "stdout", "tty", "urandom", "zero"], entries);
        }
    }

    public sealed class Flags(GockerSandbox box) : IClassFixture<GockerSandbox>
    {
        [Fact]
        public async Task Privileged_lifts_each_restriction()
        {
            var r = (await box.Run("run", "--privileged", "busybox", "sh", "-c",
                "cat /proc/self/status; mkdir -p /mnt && mount -t tmpfs none /mnt && echo mounted; " +
                "ip link add v0 type veth peer name v1 && echo linked; unshare -U true && echo unshared; " +
                "echo 1 > /proc/sys/kernel/printk_ratelimit && echo proc-sys-writable; wc -c < /proc/timer_list; " +
                "grep ' /sys ' /proc/self/mountinfo")).ShouldSucceed();
            var s = StatusFields(r.Stdout);
            Assert.Equal(HostBoundingSet(), s["CapEff"]);
            Assert.Equal(HostBoundingSet(), s["CapBnd"]);
            Assert.Equal("0", s["Seccomp"]);
            foreach (var marker in new[] { "mounted", "linked", "unshared", "proc-sys-writable" })
                Assert.Contains(marker, r.StdoutLines);
            Assert.DoesNotContain("0", r.StdoutLines); // /proc/timer_list is not masked
            Assert.Contains(r.StdoutLines, l => l.Contains(" /sys ") && l.Contains(" rw,"));
        }

        [Fact]
        public async Task Privileged_has_the_host_devices()
        {
            var host = Directory.GetFiles("/dev").Select(Path.GetFileName).Where(n => n is "kmsg" or "loop-control" or "fuse").ToList();
            Assert.NotEmpty(host);
            var r = (await box.Run(["run", "--privileged", "busybox", "ls", "/dev"])).ShouldSucceed();
            foreach (var name in host)
                Assert.Contains(name!, r.Stdout.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        }

        [Fact]
        public async Task Cap_add_net_admin_allows_links_and_nothing_else()
        {
            var r = (await box.Run("run", "--cap-add", "net_admin", "busybox", "sh", "-c",
                "grep CapEff /proc/self/status; ip link add v0 type veth peer name v1 && echo linked; " +
                "mkdir -p /mnt; mount -t tmpfs none /mnt || echo mount-refused; unshare -U true || echo unshare-refused")).ShouldSucceed();
            Assert.Contains("CapEff:\t00000000a80435fb", r.StdoutLines);
            Assert.Contains("linked", r.StdoutLines);
            Assert.Contains("mount-refused", r.StdoutLines);
            Assert.Contains("unshare-refused", r.StdoutLines);
        }

        [Fact]
        public async Task Cap_drop_all_and_cap_add()
        {
            var r = (await box.Run("run", "--cap-drop", "ALL", "--cap-add", "CAP_CHOWN", "busybox", "grep", "CapEff", "/proc/self/status")).ShouldSucceed();
            Assert.Equal("CapEff:\t0000000000000001", r.Stdout.Trim());
            var d = (await box.Run("run", "--cap-drop", "chown", "busybox", "sh", "-c", "grep CapEff /proc/self/status; chown 1 /tmp || echo refused")).ShouldSucceed();
            Assert.Equal(["CapEff:\t00000000a80425fa", "refused"], d.StdoutLines);
        }

        [Fact]
        public async Task Ulimit_shows_in_the_container_and_in_exec()
        {
            var r = (await box.Run("run", "--ulimit", "nofile=100:200", "busybox", "sh", "-c", "ulimit -n; ulimit -Hn")).ShouldSucceed();
            Assert.Equal(["100", "200"], r.StdoutLines);
            var name = NewName("ul");
            await box.RunDetached("--name", name, "--ulimit", "nofile=300:400", "busybox", "sleep", "1000");
            try
            {
                var e = (await box.Run("exec", name, "sh", "-c", "ulimit -n; ulimit -Hn")).ShouldSucceed();
                Assert.Equal(["300", "400"], e.StdoutLines);
            }
            finally { (await box.Run("rm", "-f", name)).ShouldSucceed(); }
        }

        [Fact]
        public async Task Seccomp_unconfined_lifts_the_filter_only()
        {
            var r = (await box.Run("run", "--security-opt", "seccomp=unconfined", "busybox", "sh", "-c",
                "grep -E 'Seccomp:|CapEff' /proc/self/status; mount -t tmpfs none /mnt || echo mount-refused")).ShouldSucceed();
            Assert.Contains("Seccomp:\t0", r.StdoutLines);
            Assert.Contains($"CapEff:\t{DockerDefaultCaps}", r.StdoutLines);
            Assert.Contains("mount-refused", r.StdoutLines); // no CAP_SYS_ADMIN
        }

        [Fact]
        public async Task No_new_privileges_false_keeps_the_filter_for_root_and_other_users()
        {
            foreach (var user in new[] { "0", "1000" })
            {
                var s = StatusFields((await box.Run("run", "-u", user, "--security-opt", "no-new-privileges=false", "busybox", "cat", "/proc/self/status"))
                    .ShouldSucceed().Stdout);
                Assert.Equal("0", s["NoNewPrivs"]);
                Assert.Equal("2", s["Seccomp"]);
            }
        }

        [Fact]
        public async Task A_profile_that_denies_mkdir()
        {
            var profile = Path.Combine(box.Scratch, "no-mkdir.json");
            File.WriteAllText(profile, """
                {
                  "defaultAction": "SCMP_ACT_ALLOW",
                  "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO" } ]
                }
                """);
            var r = (await box.Run("run", "--security-opt", $"seccomp={profile}", "busybox", "sh", "-c",
                "mkdir /tmp/d || echo refused; touch /tmp/f && echo touched")).ShouldSucceed();
            Assert.Equal(["refused", "touched"], r.StdoutLines);
            Assert.Contains("Operation not permitted", r.Stderr);
        }

        [Theory]
        [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdri"], "action": "SCMP_ACT_ERRNO" } ] }""", "unknown syscall \"mkdri\"")]
        [InlineData("""{ "defaultAction": "SCMP_ACT_SOMETIMES" }""", "unknown action")]
        [InlineData("""{ "defaultAction": """, "invalid seccomp profile")]
        public async Task A_bad_profile_is_refused_and_nothing_is_left(string json, string expected)
        {
            var profile = Path.Combine(box.Scratch, $"bad-{Guid.NewGuid():N}.json");
            File.WriteAllText(profile, json);
            var before = await box.Snapshot();
            var line = (await box.Run("run", "--security-opt", $"seccomp={profile}", "busybox", "true")).ShouldBeGockerError();
            Assert.Contains(expected, line);
            await box.AssertNothingNew(before);
        }

        [Theory]
        [InlineData("--cap-add", "NET_ADMINN", "unknown capability: \"CAP_NET_ADMINN\"")]
        [InlineData("--ulimit", "nofiles=10", "invalid ulimit type: nofiles")]
        [InlineData("--ulimit", "nofile=20:10", "soft limit must be less than or equal to hard limit")]
        [InlineData("--security-opt", "foo=bar", "invalid --security-opt: \"foo=bar\"")]
        [InlineData("--security-opt", "apparmor=docker-default", "AppArmor is not supported")]
        [InlineData("--security-opt", "label=type:svirt_t", "SELinux labels are not supported")]
        [InlineData("--security-opt", "seccomp=/nonexistent.json", "opening seccomp profile (/nonexistent.json) failed")]
        public async Task Bad_values_are_one_line_125_and_nothing_is_left(string flag, string value, string expected)
        {
            var before = await box.Snapshot();
            var line = (await box.Run("run", flag, value, "busybox", "true")).ShouldBeGockerError();
            Assert.Contains(expected, line);
            await box.AssertNothingNew(before);
        }

        [Fact]
        public async Task Inspect_shows_the_security_flags()
        {
            var id = await box.Create("--cap-add", "net_admin", "--cap-drop", "chown", "--security-opt", "no-new-privileges=false", "busybox");
            try
            {
                Assert.Equal("false [CAP_NET_ADMIN] [CAP_CHOWN] [no-new-privileges=false]",
                    await box.Inspect(id, "{{.HostConfig.Privileged}} {{.HostConfig.CapAdd}} {{.HostConfig.CapDrop}} {{.HostConfig.SecurityOpt}}"));
            }
            finally { (await box.Run("rm", id)).ShouldSucceed(); }
        }
    }

    public sealed class Exec(GockerSandbox box) : IClassFixture<GockerSandbox>
    {
        [Fact]
        public async Task Exec_gets_the_same_confinement_and_privileged_gets_every_capability()
        {
            var name = NewName("sx");
            await box.RunDetached("--name", name, "busybox", "sleep", "1000");
            try
            {
                var s = StatusFields((await box.Run("exec", name, "cat", "/proc/self/status")).ShouldSucceed().Stdout);
                Assert.Equal((DockerDefaultCaps, DockerDefaultCaps, "1", "2"), (s["CapEff"], s["CapBnd"], s["NoNewPrivs"], s["Seccomp"]));
                (await box.Run("exec", name, "mount", "-t", "tmpfs", "none", "/tmp")).ShouldExit(1);
                (await box.Run("exec", name, "unshare", "-U", "true")).ShouldExit(1);

                var u = StatusFields((await box.Run("exec", "-u", "1000", name, "cat", "/proc/self/status")).ShouldSucceed().Stdout);
                Assert.Equal(("0000000000000000", DockerDefaultCaps), (u["CapEff"], u["CapBnd"]));

                // Docker's exec --privileged: every capability; the container's seccomp filter stays.
                var p = StatusFields((await box.Run("exec", "--privileged", name, "cat", "/proc/self/status")).ShouldSucceed().Stdout);
                Assert.Equal((HostBoundingSet(), HostBoundingSet(), "2"), (p["CapEff"], p["CapBnd"], p["Seccomp"]));
            }
            finally { (await box.Run("rm", "-f", name)).ShouldSucceed(); }
        }
    }

    /// <summary>The v1 devices controller of a container's cgroup (a cgroup exists when limits are asked for).</summary>
    public sealed class Devices(GockerSandbox box) : IClassFixture<GockerSandbox>
    {
        private static string? DevicesDir(string id) =>
            Directory.Exists("/sys/fs/cgroup/devices") ? $"/sys/fs/cgroup/devices/gocker/{id}" : null;

        [Fact]
        public async Task The_cgroup_allows_only_the_default_nodes()
        {
            var name = NewName("dv");
            var id = await box.RunDetached("--name", name, "--pids-limit", "1000", "busybox", "sleep", "1000");
            try
            {
                var dir = DevicesDir(id);
                Assert.NotNull(dir); // this host is cgroup v1
                var list = File.ReadAllLines(Path.Combine(dir!, "devices.list"));
                Assert.Contains("c 1:3 rwm", list);
                Assert.Contains("c 136:* rwm", list);
                Assert.DoesNotContain("a *:* rwm", list);
                // A node the container may make but not open (loop-control, 10:237).
                var r = (await box.Run("exec", name, "sh", "-c", "mknod /dev/lc c 10 237 && exec 3</dev/lc")).ShouldExit(1);
                Assert.Contains("Operation not permitted", r.Stderr);
                (await box.Run("exec", name, "sh", "-c", "echo ok > /dev/null && head -c 1 /dev/urandom >/dev/null")).ShouldSucceed();
            }
            finally { (await box.Run("rm", "-f", name)).ShouldSucceed(); }
        }

        [Fact]
        public async Task Privileged_allows_every_device()
        {
            var name = NewName("dp");
            var id = await box.RunDetached("--name", name, "--privileged", "--pids-limit", "1000", "busybox", "sleep", "1000");
            try
            {
                Assert.Contains("a *:* rwm", File.ReadAllLines(Path.Combine(DevicesDir(id)!, "devices.list")));
                (await box.Run("exec", name, "sh", "-c", "exec 3</dev/loop-control")).ShouldSucceed();
            }
            finally { (await box.Run("rm", "-f", name)).ShouldSucceed(); }
        }
    }

    /// <summary>CVE-2019-5736: a container must never get the host's gocker binary open for writing. The
    /// tests run private copies of the binary (a broken protection damages only a copy): A runs the
    /// container (its monitor keeps executing A for the container's life), B is used for one exec, so that
    /// once that exec is over nothing executes B and only the read-only mount stands between the
    /// container and B.</summary>
    public sealed class BinaryProtection(GockerSandbox box) : IClassFixture<GockerSandbox>
    {
        private const ulong ST_RDONLY = 1;

        [DllImport("libc", EntryPoint = "statvfs", SetLastError = true)]
        private static extern int StatVfs(string path, byte[] buf);

        /// <summary>The mount flags of the file system a path is on (struct statvfs f_flag, x86-64).</summary>
        private static ulong MountFlags(string path)
        {
            var buf = new byte[112];
            Assert.True(StatVfs(path, buf) == 0, $"statvfs {path}: errno {Marshal.GetLastPInvokeError()}");
            return BitConverter.ToUInt64(buf, 72);
        }

        /// <summary>A private copy of gocker (with the images beside it, where it looks for them).</summary>
        private string Copy(string name)
        {
            var dir = Path.Combine(box.Scratch, name);
            Directory.CreateDirectory(dir);
            var exe = Path.Combine(dir, "gocker");
            File.Copy(GockerBinary.Path, exe, overwrite: true);
            File.SetUnixFileMode(exe, (UnixFileMode)0b111_101_101);
            var images = Path.Combine(dir, "images");
            if (!Directory.Exists(images))
                Directory.CreateSymbolicLink(images, Path.Combine(GockerBinary.Directory, "images"));
            return exe;
        }

        private ProcessSpec With(string exe, params string[] args) =>
            new() { FileName = exe, Args = ["--root", box.Root, .. args] };

        private Task<GockerResult> Run(string exe, params string[] args) => ProcessRunner.RunAsync(With(exe, args));

        [Fact]
        public async Task Pid_1_with_init_runs_gocker_from_a_read_only_mount()
        {
            var a = Copy("a-init");
            var original = File.ReadAllBytes(a);
            var name = NewName("bi");
            (await Run(a, "run", "-d", "--init", "--name", name, "busybox", "sleep", "1000")).ShouldSucceed();
            try
            {
                int pid = await box.InitPid(name);
                Assert.Equal("gocker-init", ProcFs.Argv(pid)![0]);
                Assert.Equal(ST_RDONLY, MountFlags($"/proc/{pid}/exe") & ST_RDONLY);
                Assert.Equal(0UL, MountFlags(a) & ST_RDONLY); // the copy itself is on a writable file system
                var r = (await Run(a, "exec", name, "sh", "-c",
                    "echo x >> /proc/1/exe; exec 3</proc/1/exe && echo opened; echo x >> /proc/self/fd/3")).ShouldExit(1);
                Assert.Contains("opened", r.StdoutLines);
                Assert.DoesNotContain(r.StderrLines, l => !l.Contains("Text file busy") && !l.Contains("Read-only file system"));
                Assert.Equal(2, r.StderrLines.Length);
            }
            finally { (await Run(a, "rm", "-f", name)).ShouldSucceed(); }
            Assert.Equal(original, File.ReadAllBytes(a));
        }

        [Fact]
        public async Task A_proc_self_exe_script_run_by_exec_cannot_give_the_container_a_writable_binary()
        {
            var a = Copy("a-trick");
            var b = Copy("b-trick");
            var original = File.ReadAllBytes(b);
            var name = NewName("bt");
            (await Run(a, "run", "-d", "--name", name, "busybox", "sleep", "1000")).ShouldSucceed();
            try
            {
                // The container replaces a program with a script whose interpreter is /proc/self/exe: the
                // kernel then runs the image of whoever executes it, here gocker's exec child. Made to stay
                // up (as the --init reaper of a shell) so that the container can find it.
                (await Run(a, "exec", name, "sh", "-c", "printf '#!/proc/self/exe\\n' > /tmp/sh && chmod +x /tmp/sh && mkfifo /tmp/go")).ShouldSucceed();
                using var trick = new BackgroundProcess(With(b, "exec", "-e", "_GOCKER_PREINIT=reaper:9:/bin/busybox", name,
                    "/tmp/sh", "-c", "echo \"gocker $PPID\"; exec sleep 1000"));
                var line = await trick.WaitForLineAsync(l => l.StartsWith("gocker ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
                var inContainer = line["gocker ".Length..];
                var hostPid = trick.ChildPids().Single();
                Assert.Equal("/proc/self/exe", ProcFs.Argv(hostPid)![0]);
                Assert.Equal(ST_RDONLY, MountFlags($"/proc/{hostPid}/exe") & ST_RDONLY);

                // The attacker holds the executable open while gocker runs, and writes once it is over.
                using var attacker = new BackgroundProcess(With(a, "exec", name, "sh", "-c",
                    $"exec 3</proc/{inContainer}/exe || exit 3; echo x >>/proc/{inContainer}/exe; echo held; " +
                    "read go < /tmp/go; echo pwned >>/proc/self/fd/3; echo rc=$?"));
                await attacker.WaitForLineAsync("held", TimeSpan.FromSeconds(30));
                trick.Signal(Sig.TERM);
                await trick.WaitForProcessExitAsync(TimeSpan.FromSeconds(30));
                Assert.False(ProcFs.IsLive(hostPid));
                (await Run(a, "exec", name, "sh", "-c", "echo go > /tmp/go")).ShouldSucceed();
                var result = await attacker.WaitForExitAsync(TimeSpan.FromSeconds(30));
                Assert.Contains("rc=1", result.StdoutLines);
                Assert.Contains("Read-only file system", result.Stderr);
            }
            finally { (await Run(a, "rm", "-f", name)).ShouldSucceed(); }
            Assert.Equal(original, File.ReadAllBytes(b));
        }
    }
}
