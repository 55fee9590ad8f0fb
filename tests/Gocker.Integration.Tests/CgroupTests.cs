using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>Resource limits through the container's own cgroup (cgroup v1 on this host: the v2 code
/// is covered by unit tests against sample trees).</summary>
public sealed class CgroupTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private static readonly string[] Hierarchies = ["memory", "pids", "cpu", "cpuacct", "cpuset", "freezer"];

    private static List<string> CgroupDirs(string id) =>
        Hierarchies.Select(c => V1Dir(c, id)).OfType<string>().Distinct().ToList();

    private static string? V1Dir(string controller, string id)
    {
        var dir = $"/sys/fs/cgroup/{controller}/gocker/{id}";
        return Directory.Exists($"/sys/fs/cgroup/{controller}") ? dir : null;
    }

    [Fact]
    public async Task A_process_that_fills_memory_past_the_limit_is_oom_killed_and_recorded()
    {
        var name = $"oom-{Guid.NewGuid():N}"[..12];
        var r = await box.Run("run", "--name", name, "-m", "32m", "busybox", "sh", "-c",
            "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived");
        Assert.Equal(137, r.ExitCode);
        Assert.DoesNotContain("survived", r.Stdout);
        Assert.Equal("true 137", await box.Inspect(name, "{{.State.OOMKilled}} {{.State.ExitCode}}"));
        var row = await box.PsRowOf(name);
        Assert.StartsWith("Exited (137)", row!.Status);
        (await box.Run("rm", name)).ShouldSucceed();
    }

    [Fact]
    public async Task A_normal_exit_is_not_an_oom_kill()
    {
        var name = $"nooom-{Guid.NewGuid():N}"[..14];
        (await box.Run("run", "--name", name, "-m", "64m", "busybox", "true")).ShouldSucceed();
        Assert.Equal("false 0", await box.Inspect(name, "{{.State.OOMKilled}} {{.State.ExitCode}}"));
        (await box.Run("rm", name)).ShouldSucceed();
    }

    [Fact]
    public async Task Pids_limit_contains_a_fork_loop()
    {
        var r = await box.Run("run", "--rm", "--pids-limit", "20", "busybox", "sh", "-c",
            "i=0; while [ $i -lt 60 ]; do sleep 30 & i=$((i+1)); done; echo all-forked");
        Assert.NotEqual(0, r.ExitCode);
        Assert.DoesNotContain("all-forked", r.Stdout);
        Assert.Contains("can't fork", r.Stderr);
    }

    [Fact]
    public async Task Cpuset_shows_in_the_containers_allowed_cpus()
    {
        var r = (await box.Run("run", "--rm", "--cpuset-cpus", "0", "busybox", "grep", "Cpus_allowed_list", "/proc/self/status")).ShouldSucceed();
        Assert.Equal("Cpus_allowed_list:\t0", r.Stdout.Trim());
    }

    [Fact]
    public async Task Limits_are_written_and_the_cgroup_is_gone_after_rm()
    {
        var id = await box.RunDetached("-m", "48m", "--cpus", "0.5", "--pids-limit", "30", "-c", "512", "busybox", "sleep", "1000");
        if (V1Dir("memory", id) is { } mem)
            Assert.Equal((48L << 20).ToString(), File.ReadAllText($"{mem}/memory.limit_in_bytes").Trim());
        if (V1Dir("pids", id) is { } pids)
            Assert.Equal("30", File.ReadAllText($"{pids}/pids.max").Trim());
        if (V1Dir("cpu", id) is { } cpu)
        {
            Assert.Equal("50000", File.ReadAllText($"{cpu}/cpu.cfs_quota_us").Trim());
            Assert.Equal("512", File.ReadAllText($"{cpu}/cpu.shares").Trim());
        }
        int pid = await box.InitPid(id);
        Assert.Contains($"/gocker/{id}", File.ReadAllText($"/proc/{pid}/cgroup"));
        (await box.Run("rm", "-f", id)).ShouldSucceed();
        foreach (var c in new[] { "memory", "pids", "cpu", "cpuset", "freezer" })
            if (V1Dir(c, id) is { } dir)
                Assert.False(Directory.Exists(dir), $"{dir} is left after rm");
    }

    [Fact]
    public async Task Exec_joins_the_containers_cgroup()
    {
        var id = await box.RunDetached("--pids-limit", "100", "busybox", "sleep", "1000");
        // Inside its cgroup namespace the container's own cgroup is "/"; the host's root would read "/../..".
        var r = (await box.Run("exec", id, "cat", "/proc/self/cgroup")).ShouldSucceed();
        Assert.Contains(r.StdoutLines, l => l.EndsWith(":pids:/"));
        // Seen from the host: a detached exec'd process is counted in the container's pids cgroup.
        (await box.Run("exec", "-d", id, "sleep", "999")).ShouldSucceed();
        var cmdlines = File.ReadAllLines($"/sys/fs/cgroup/pids/gocker/{id}/tasks")
            .Select(pid => { try { return File.ReadAllText($"/proc/{pid}/cmdline"); } catch (IOException) { return ""; } }).ToList();
        Assert.Contains("sleep\0999\0", cmdlines);
        (await box.Run("rm", "-f", id)).ShouldSucceed();
    }

    [Theory]
    [InlineData("-m", "1x")]
    [InlineData("--cpus", "-1")]
    [InlineData("--cpuset-cpus", "0-99")]
    [InlineData("-m", "1m")]
    [InlineData("--memory-swap", "1m")]
    public async Task Bad_values_are_refused_and_nothing_is_created(string flag, string value)
    {
        var before = await box.Snapshot();
        var args = flag == "--memory-swap" ? new[] { "run", "-m", "64m", flag, value, "busybox", "true" } : new[] { "run", flag, value, "busybox", "true" };
        var line = (await box.Run(args)).ShouldBeGockerError();
        Assert.False(string.IsNullOrWhiteSpace(line));
        await box.AssertNothingNew(before);
    }

    /// <summary>The counter file as it is: it may be caught empty (the shell truncates, then writes),
    /// so it is compared as text.</summary>
    private static string ReadCount(int initPid) => File.ReadAllText($"/proc/{initPid}/root/count");

    [Fact]
    public async Task Pause_stops_a_counter_and_unpause_resumes_it()
    {
        var id = await box.RunDetached("--pids-limit", "100", "busybox", "sh", "-c",
            "i=0; while :; do i=$((i+1)); echo $i > /count; sleep 0.02; done");
        int pid = await box.InitPid(id);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(File.Exists($"/proc/{pid}/root/count") && ReadCount(pid).Length > 0) && DateTime.UtcNow < deadline)
            await Task.Delay(20); // no event for "the counter has started" but the file itself
        (await box.Run("pause", id)).ShouldSucceed();
        Assert.EndsWith("(Paused)", (await box.PsRowOf(id))!.Status);
        Assert.Contains("paused", (await box.Run("exec", id, "true")).ShouldBeGockerError());
        string frozen = ReadCount(pid);
        // The counter would have moved about ten times in this interval were it running: a freeze
        // has no event to wait for, only the absence of one.
        await Task.Delay(200);
        Assert.Equal(frozen, ReadCount(pid));
        (await box.Run("unpause", id)).ShouldSucceed();
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (ReadCount(pid) == frozen && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.NotEqual(frozen, ReadCount(pid));
        // A paused container can still be stopped: it is thawed for the signal.
        (await box.Run("pause", id)).ShouldSucceed();
        (await box.Run("stop", "-t", "1", id)).ShouldSucceed();
        Assert.StartsWith("Exited", (await box.PsRowOf(id))!.Status);
        (await box.Run("rm", id)).ShouldSucceed();
    }

    [Fact]
    public async Task Update_changes_a_live_limit()
    {
        var id = await box.RunDetached("--pids-limit", "100", "-m", "64m", "busybox", "sleep", "1000");
        (await box.Run("update", "--pids-limit", "42", "-m", "96m", id)).ShouldSucceed();
        if (V1Dir("pids", id) is { } pids)
            Assert.Equal("42", File.ReadAllText($"{pids}/pids.max").Trim());
        if (V1Dir("memory", id) is { } mem)
            Assert.Equal((96L << 20).ToString(), File.ReadAllText($"{mem}/memory.limit_in_bytes").Trim());
        Assert.Equal("42", await box.Inspect(id, "{{.HostConfig.PidsLimit}}"));
        (await box.Run("rm", "-f", id)).ShouldSucceed();
    }

    [Fact]
    public async Task A_container_without_limits_still_gets_its_own_cgroup()
    {
        var id = await box.RunDetached("busybox", "sleep", "1000");
        var dirs = CgroupDirs(id);
        Assert.NotEmpty(dirs);
        Assert.All(dirs, d => Assert.True(Directory.Exists(d), $"{d} missing"));
        var pid = await box.InitPid(id);
        foreach (var d in dirs)
            Assert.Contains(pid.ToString(), File.ReadAllLines(Path.Combine(d, "cgroup.procs")));
        // Its own cgroup namespace, made after the move: the container sees its cgroup as the root.
        var inside = (await box.Run("exec", id, "cat", "/proc/self/cgroup")).ShouldSucceed().StdoutLines;
        Assert.Contains(inside, l => l.Contains(":memory:") && l.EndsWith(":/"));
        (await box.Run("pause", id)).ShouldSucceed();
        Assert.Equal("paused", (await box.Run("inspect", "-f", "{{.State.Status}}", id)).ShouldSucceed().Stdout.Trim());
        (await box.Run("unpause", id)).ShouldSucceed();
        (await box.Run("update", "--pids-limit", "50", id)).ShouldSucceed();
        (await box.Run("rm", "-f", id)).ShouldSucceed();
        Assert.All(dirs, d => Assert.False(Directory.Exists(d), $"{d} left after rm"));
    }

    [Fact]
    public async Task Stats_shows_a_cpu_quota_near_its_limit_and_the_memory_limit()
    {
        var name = $"busy-{Guid.NewGuid():N}"[..12];
        var id = await box.RunDetached("--name", name, "-m", "64m", "--cpus", "0.5", "busybox", "sh", "-c", "while :; do :; done");
        var r = (await box.Run("stats", "--no-stream", "--format", "{{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.PIDs}}", name)).ShouldSucceed();
        var f = r.Stdout.Trim().Split(' ');
        Assert.Equal(name, f[0]);
        double cpu = double.Parse(f[1].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
        // A quota of half a CPU, read over half a second: never above it; below it only as far as a busy
        // host (parallel test classes, builds) takes the CPU away.
        Assert.InRange(cpu, 10, 70);
        Assert.Equal("64MiB", f[4]);
        Assert.Equal("1", f[5]);
        var table = (await box.Run("stats", "--no-stream")).ShouldSucceed();
        Assert.StartsWith("CONTAINER ID   NAME", table.Stdout);
        Assert.Contains(id[..12], table.Stdout);
        (await box.Run("rm", "-f", id)).ShouldSucceed();
    }
}
