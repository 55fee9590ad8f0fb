using System.Text.Json;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>-v, --mount, --tmpfs, --read-only and the volume commands, against real containers. Each
/// test removes the containers and volumes it makes.</summary>
public sealed class VolumeTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private string VolumesDir => Path.Combine(box.Root, "volumes");

    private string HostDir(string name)
    {
        var dir = Path.Combine(box.Scratch, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    private async Task<string[]> VolumeNames() => (await box.Run("volume", "ls", "-q")).ShouldSucceed().StdoutLines;

    private async Task Cleanup()
    {
        await box.RemoveAll();
        var names = await VolumeNames();
        if (names.Length > 0)
            (await box.Run(["volume", "rm", .. names])).ShouldSucceed();
        Assert.Empty(await VolumeNames());
        Assert.Empty(Mounts.MountPointsUnder(box.Base));
    }

    [Fact]
    public async Task Bind_writes_reach_the_host_and_a_missing_host_path_is_created()
    {
        var dir = HostDir("bind");
        File.WriteAllText(Path.Combine(dir, "in"), "from host\n");
        var missing = Path.Combine(dir, "new", "deep");
        var r = (await box.Run("run", "--rm", "-v", $"{dir}:/data", "-v", $"{missing}:/made", "busybox", "sh", "-c",
            "cat /data/in; echo from container > /data/out; ls -d /made")).ShouldSucceed();
        Assert.Equal(["from host", "/made"], r.StdoutLines);
        Assert.Equal("from container\n", File.ReadAllText(Path.Combine(dir, "out")));
        Assert.True(System.IO.Directory.Exists(missing), "-v creates a missing host path as a directory");
        await Cleanup();
    }

    [Fact]
    public async Task Read_only_bind_refuses_writes_with_EROFS()
    {
        var dir = HostDir("ro");
        File.WriteAllText(Path.Combine(dir, "f"), "x\n");
        foreach (var flag in new[] { new[] { "-v", $"{dir}:/data:ro" }, new[] { "--mount", $"type=bind,src={dir},dst=/data,readonly" } })
        {
            var r = await box.Run(["run", "--rm", .. flag, "busybox", "sh", "-c", "cat /data/f; grep ' /data ' /proc/mounts; touch /data/new"]);
            r.ShouldExit(1);
            Assert.Contains("Read-only file system", r.Stderr);
            Assert.Equal("x", r.StdoutLines[0]);
            Assert.Contains(" ro,", r.StdoutLines[1]);
            Assert.False(File.Exists(Path.Combine(dir, "new")));
        }
        await Cleanup();
    }

    [Fact]
    public async Task A_file_can_be_bound_onto_a_path_that_does_not_exist()
    {
        var dir = HostDir("file");
        var file = Path.Combine(dir, "app.conf");
        File.WriteAllText(file, "setting=1\n");
        var r = (await box.Run("run", "--rm", "-v", $"{file}:/etc/app/app.conf:ro", "busybox", "cat", "/etc/app/app.conf")).ShouldSucceed();
        Assert.Equal("setting=1\n", r.Stdout);
        await Cleanup();
    }

    [Fact]
    public async Task Named_volume_gets_the_images_content_once_and_persists()
    {
        var first = (await box.Run("run", "--rm", "-v", "etcvol:/etc", "busybox", "sh", "-c",
            "cat /etc/passwd > /dev/null && ls /etc && echo mine > /etc/mine && rm /etc/group")).ShouldSucceed();
        Assert.Contains("passwd", first.StdoutLines);
        Assert.Contains("group", first.StdoutLines);
        Assert.Equal(["etcvol"], await VolumeNames());
        var data = Path.Combine(VolumesDir, "etcvol", "_data");
        Assert.Equal("mine\n", File.ReadAllText(Path.Combine(data, "mine")));

        // Not empty any more: nothing is copied again, the deletion stays.
        var second = (await box.Run("run", "--rm", "-v", "etcvol:/etc", "busybox", "sh", "-c", "cat /etc/mine; test ! -e /etc/group && echo gone")).ShouldSucceed();
        Assert.Equal(["mine", "gone"], second.StdoutLines);
        // Elsewhere in another container, the same data.
        (await box.Run("run", "--rm", "-v", "etcvol:/elsewhere", "busybox", "test", "-f", "/elsewhere/passwd")).ShouldSucceed();
        await Cleanup();
    }

    [Fact]
    public async Task Copy_up_keeps_owners_modes_and_symlinks()
    {
        var r = (await box.Run("run", "--rm", "-v", "homevol:/home", "-v", "tmpvol:/tmp", "-v", "binvol:/bin", "busybox", "sh", "-c",
            "stat -c '%u %a' /home/user /tmp; readlink /bin/ls; stat -c %a /bin/busybox")).ShouldSucceed();
        Assert.Equal(["1000 755", "0 1777", "/bin/busybox", "755"], r.StdoutLines);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite |
            UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit,
            File.GetUnixFileMode(Path.Combine(VolumesDir, "tmpvol", "_data")));
        // nocopy: an empty volume.
        (await box.Run("run", "--rm", "-v", "emptyvol:/etc:nocopy", "busybox", "sh", "-c", "test -z \"$(ls /etc | grep -v -e hostname -e hosts -e resolv.conf)\"")).ShouldSucceed();
        await Cleanup();
    }

    [Fact]
    public async Task Anonymous_volumes_go_with_rm_v_and_run_rm_named_ones_never()
    {
        (await box.Run("run", "--rm", "-v", "/anon", "-v", "keep:/keep", "busybox", "sh", "-c", "echo x > /anon/f")).ShouldSucceed();
        Assert.Equal(["keep"], await VolumeNames());

        var kept = await box.Create("-v", "/anon", "busybox", "true");
        var names = await VolumeNames();
        Assert.Equal(2, names.Length);
        var anon = names.Single(n => n != "keep");
        Assert.Matches("^[0-9a-f]{64}$", anon);
        (await box.Run("rm", kept)).ShouldSucceed();
        Assert.Contains(anon, await VolumeNames()); // without -v it stays, dangling, as in Docker

        var removed = await box.Create("-v", "/anon", "-v", "keep:/keep", "busybox", "true");
        var second = (await VolumeNames()).Except([anon, "keep"]).Single();
        (await box.Run("rm", "-v", removed)).ShouldSucceed();
        Assert.DoesNotContain(second, await VolumeNames());
        Assert.Contains("keep", await VolumeNames());
        await Cleanup();
    }

    [Fact]
    public async Task Volume_rm_is_refused_while_a_container_of_any_state_uses_it()
    {
        var id = await box.Create("-v", "busy:/data", "busybox", "true");
        var r = await box.Run("volume", "rm", "busy");
        r.ShouldExit(1);
        Assert.Equal([$"gocker: remove busy: volume is in use - [{id}]"], r.StderrLines);
        Assert.Equal(["busy"], await VolumeNames());
        (await box.Run("start", "-a", id)).ShouldSucceed();
        (await box.Run("volume", "rm", "busy")).ShouldExit(1);

        (await box.Run("rm", id)).ShouldSucceed();
        Assert.Equal(["busy"], (await box.Run("volume", "rm", "busy")).ShouldSucceed().StdoutLines);
        var again = await box.Run("volume", "rm", "busy");
        again.ShouldExit(1);
        Assert.Equal(["gocker: get busy: no such volume"], again.StderrLines);
        (await box.Run("volume", "rm", "-f", "busy")).ShouldSucceed();
        Assert.False(System.IO.Directory.Exists(Path.Combine(VolumesDir, "busy")));
        await Cleanup();
    }

    [Fact]
    public async Task Volume_create_ls_inspect_and_prune()
    {
        Assert.Equal(["labelled"], (await box.Run("volume", "create", "--label", "k=v", "--label", "flag", "labelled")).ShouldSucceed().StdoutLines);
        (await box.Run("volume", "create", "labelled")).ShouldSucceed(); // idempotent, as Docker
        var generated = (await box.Run("volume", "create")).ShouldSucceed().StdoutLines.Single();
        Assert.Matches("^[0-9a-f]{64}$", generated);
        (await box.Run("run", "--rm", "-v", "used:/u", "busybox", "true")).ShouldSucceed();
        var holder = await box.Create("-v", "used:/u", "busybox", "true");
        (await box.Run("run", "-v", "/anon", "--name", "anonholder", "busybox", "true")).ShouldSucceed();
        (await box.Run("rm", "anonholder")).ShouldSucceed();

        var table = (await box.Run("volume", "ls")).ShouldSucceed().StdoutLines;
        Assert.Equal("DRIVER    VOLUME NAME", table[0]);
        Assert.Contains("local     labelled", table);
        var formatted = (await box.Run("volume", "ls", "--format", "{{.Name}} {{.Driver}} {{.Label \"k\"}} {{.Mountpoint}}")).ShouldSucceed().StdoutLines;
        Assert.Contains($"labelled local v {VolumesDir}/labelled/_data", formatted);

        var json = (await box.Run("volume", "inspect", "labelled")).ShouldSucceed().Stdout;
        var v = JsonDocument.Parse(json).RootElement[0];
        Assert.Equal(["CreatedAt", "Driver", "Labels", "Mountpoint", "Name", "Options", "Scope"], v.EnumerateObject().Select(p => p.Name));
        Assert.Equal("local", v.GetProperty("Driver").GetString());
        Assert.Equal("local", v.GetProperty("Scope").GetString());
        Assert.Equal($"{VolumesDir}/labelled/_data", v.GetProperty("Mountpoint").GetString());
        Assert.Equal("v", v.GetProperty("Labels").GetProperty("k").GetString());
        Assert.Equal("", v.GetProperty("Labels").GetProperty("flag").GetString());
        Assert.True(DateTimeOffset.TryParse(v.GetProperty("CreatedAt").GetString(), out _));
        Assert.Equal("labelled", (await box.Run("volume", "inspect", "-f", "{{.Name}}", "labelled")).ShouldSucceed().Stdout.Trim());
        var missing = await box.Run("volume", "inspect", "nosuchvol");
        missing.ShouldExit(1);

        // prune: the unused anonymous volume only; -a: every unused one; never one in use.
        var pruned = (await box.Run("volume", "prune", "-f")).ShouldSucceed().StdoutLines;
        Assert.Equal("Deleted Volumes:", pruned[0]);
        Assert.Matches("^[0-9a-f]{64}$", pruned[1]);
        Assert.Equal(new[] { "labelled", generated, "used" }.Order(StringComparer.Ordinal), (await VolumeNames()).Order(StringComparer.Ordinal));
        (await box.Run("volume", "prune", "-a", "-f")).ShouldSucceed();
        Assert.Equal(["used"], await VolumeNames());
        (await box.Run("rm", holder)).ShouldSucceed();
        await Cleanup();
    }

    [Fact]
    public async Task Tmpfs_has_the_size_and_mode_given()
    {
        var r = (await box.Run("run", "--rm", "--tmpfs", "/scratch:size=1m,mode=1770", "busybox", "sh", "-c",
            "grep ' /scratch ' /proc/mounts; stat -c %a /scratch; dd if=/dev/zero of=/scratch/big bs=1k count=2048 2>/dev/null || echo full")).ShouldSucceed();
        Assert.StartsWith("tmpfs /scratch tmpfs rw,nosuid,nodev,noexec,", r.StdoutLines[0]);
        Assert.Contains("size=1024k", r.StdoutLines[0]);
        Assert.Equal(["1770", "full"], r.StdoutLines[1..]);
        var mount = (await box.Run("run", "--rm", "--mount", "type=tmpfs,dst=/m,tmpfs-size=2m", "busybox", "grep", " /m ", "/proc/mounts")).ShouldSucceed();
        Assert.Contains("size=2048k", mount.Stdout);
        await Cleanup();
    }

    [Fact]
    public async Task Read_only_rootfs_refuses_writes_but_tmpfs_volumes_and_dev_stay_writable()
    {
        var dir = HostDir("rw");
        var r = await box.Run("run", "--rm", "--read-only", "--tmpfs", "/tmp", "-v", "rovol:/vol", "-v", $"{dir}:/bind", "busybox", "sh", "-c",
            "touch /x 2>&1; echo rc=$?; touch /tmp/t /vol/v /bind/b /dev/shm/s && echo writable; { echo h >> /etc/hosts; } 2>&1; grep ' / ' /proc/mounts");
        r.ShouldSucceed();
        Assert.Contains("touch: /x: Read-only file system", r.StdoutLines);
        Assert.Contains("rc=1", r.StdoutLines);
        Assert.Contains("writable", r.StdoutLines);
        Assert.Contains(r.StdoutLines, l => l.Contains("/etc/hosts") && l.Contains("Read-only file system"));
        Assert.StartsWith("overlay / overlay ro,", r.StdoutLines[^1]);
        Assert.True(File.Exists(Path.Combine(dir, "b")));
        Assert.Equal("true", await InspectOf("--read-only", "{{.HostConfig.ReadonlyRootfs}}"));
        // A missing working directory is made before the root turns read-only, as Docker makes it at create.
        Assert.Equal(["/new/work"], (await box.Run("run", "--rm", "--read-only", "-w", "/new/work", "busybox", "pwd")).ShouldSucceed().StdoutLines);
        await Cleanup();
    }

    [Fact]
    public async Task A_symlink_in_a_mounted_directory_cannot_lead_a_mount_onto_the_host()
    {
        // D/link -> /tmp/<hostdir> (an absolute host path) and D/up -> ../../../.. (out of any root).
        var target = HostDir("escape-target");
        var d = HostDir("escape-src");
        var other = HostDir("escape-other");
        File.WriteAllText(Path.Combine(other, "marker"), "other\n");
        File.CreateSymbolicLink(Path.Combine(d, "link"), target);
        File.CreateSymbolicLink(Path.Combine(d, "up"), "../../../../../../..");
        var evil = $"gocker-evil-{Guid.NewGuid():N}";
        var r = (await box.Run("run", "--rm", "-v", $"{d}:/data", "-v", $"{other}:/data/link/x", "-v", $"{other}:/data/up/tmp/{evil}",
            "busybox", "sh", "-c", $"cat {target}/x/marker; cat /tmp/{evil}/marker")).ShouldSucceed();
        Assert.Equal(["other", "other"], r.StdoutLines);
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(target));
        Assert.False(Path.Exists($"/tmp/{evil}"), "the mount target escaped to the host's /tmp");
        Assert.Empty(Mounts.MountPointsUnder(target));
        await Cleanup();
    }

    [Fact]
    public async Task A_symlink_loop_is_a_clean_error()
    {
        var d = HostDir("loop");
        File.CreateSymbolicLink(Path.Combine(d, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(d, "b"), "/data/a");
        var r = await box.Run("run", "--rm", "-v", $"{d}:/data", "-v", $"{d}:/data/a/x", "busybox", "true");
        var line = r.ShouldBeGockerError();
        Assert.Contains("too many levels of symbolic links", line);
        await box.WaitUntilGone((await box.PsAll()).FirstOrDefault()?.Id ?? "none");
        await Cleanup();
    }

    [Theory]
    [InlineData("-v", "relative/path:/x", "includes invalid characters for a local volume name")]
    [InlineData("-v", "/h:/x:bogus", "invalid mode: bogus")]
    [InlineData("-v", "/h:/", "destination can't be '/'")]
    [InlineData("-v", "/host/dir:/x:rshared", "propagation mode rshared is not supported")]
    [InlineData("--tmpfs", "/t:size=lots", "Invalid tmpfs option")]
    [InlineData("--tmpfs", "/t:foo", "Invalid tmpfs option")]
    [InlineData("--mount", "type=bind,src=/nonexistent-gocker-src,dst=/x", "bind source path does not exist")]
    [InlineData("--mount", "type=bind,dst=/x,bogus=1", "unexpected key 'bogus'")]
    [InlineData("-v", "newvol:/etc/passwd/x", "is not a directory")]
    public async Task Bad_mount_flags_leave_nothing_behind(string flag, string value, string message)
    {
        var before = await box.Snapshot();
        var line = (await box.Run("run", "--rm", "-v", "newvol:/data", flag, value, "busybox", "true")).ShouldBeGockerError();
        Assert.Contains(message, line);
        await box.AssertNothingNew(before);
        Assert.Empty(await VolumeNames());
        Assert.Empty(System.IO.Directory.Exists(VolumesDir)
            ? System.IO.Directory.GetFileSystemEntries(VolumesDir).Where(e => Path.GetFileName(e) != ".lock") : []);
    }

    [Fact]
    public async Task A_create_that_fails_after_making_a_volume_removes_it()
    {
        var id = await box.Create("--name", "taken", "busybox", "true");
        var line = (await box.Run("create", "--name", "taken", "-v", "rolledback:/data", "-v", "/anon", "busybox", "true")).ShouldBeGockerError();
        Assert.Contains("Conflict", line);
        Assert.Empty(await VolumeNames());
        (await box.Run("rm", id)).ShouldSucceed();
        await Cleanup();
    }

    [Fact]
    public async Task Inspect_shows_mounts_as_docker()
    {
        var dir = HostDir("insp");
        var id = await box.Create("-v", $"{dir}:/b:ro", "-v", "named:/n", "-v", "/anon", "--tmpfs", "/t:size=1m",
            "--mount", "type=tmpfs,dst=/mt", "--mount", $"type=bind,src={dir},dst=/mb", "busybox", "true");
        var mounts = JsonDocument.Parse(await box.Inspect(id, "{{json .Mounts}}")).RootElement.EnumerateArray().ToList();
        Assert.Equal(["/b", "/n", "/anon", "/mt", "/mb"], mounts.Select(m => m.GetProperty("Destination").GetString()));
        var bind = mounts[0];
        Assert.Equal(("bind", dir, "ro", false, "rprivate"), (bind.GetProperty("Type").GetString(), bind.GetProperty("Source").GetString(),
            bind.GetProperty("Mode").GetString(), bind.GetProperty("RW").GetBoolean(), bind.GetProperty("Propagation").GetString()));
        Assert.False(bind.TryGetProperty("Name", out _));
        var named = mounts[1];
        Assert.Equal(("volume", "named", $"{VolumesDir}/named/_data", "local", true), (named.GetProperty("Type").GetString(),
            named.GetProperty("Name").GetString(), named.GetProperty("Source").GetString(), named.GetProperty("Driver").GetString(), named.GetProperty("RW").GetBoolean()));
        Assert.Matches("^[0-9a-f]{64}$", mounts[2].GetProperty("Name").GetString()!);
        Assert.Equal("tmpfs", mounts[3].GetProperty("Type").GetString());

        Assert.Equal($"[\"{dir}:/b:ro\",\"named:/n\"]", await box.Inspect(id, "{{json .HostConfig.Binds}}"));
        Assert.Equal("{\"/anon\":{}}", await box.Inspect(id, "{{json .Config.Volumes}}"));
        Assert.Equal("{\"/t\":\"size=1m\"}", await box.Inspect(id, "{{json .HostConfig.Tmpfs}}"));
        Assert.Equal($"[{{\"Type\":\"tmpfs\",\"Target\":\"/mt\"}},{{\"Type\":\"bind\",\"Source\":\"{dir}\",\"Target\":\"/mb\"}}]",
            await box.Inspect(id, "{{json .HostConfig.Mounts}}"));
        Assert.Equal("false", await box.Inspect(id, "{{.HostConfig.ReadonlyRootfs}}"));
        var ps = (await box.Run("ps", "-a", "--no-trunc", "--format", "{{.Mounts}}")).ShouldSucceed();
        Assert.StartsWith($"{dir},named,", ps.Stdout);
        (await box.Run("rm", "-v", id)).ShouldSucceed();
        await Cleanup();
    }

    private async Task<string> InspectOf(string flag, string template)
    {
        var id = await box.Create(flag, "busybox", "true");
        var value = await box.Inspect(id, template);
        (await box.Run("rm", id)).ShouldSucceed();
        return value;
    }
}
