using Gocker.Core.Cgroups;

namespace Gocker.Core.Tests.Cgroups;

public class V1DevicesTests
{
    /// <summary>The sample v1 tree plus a devices hierarchy whose files record each rule written, as the
    /// kernel keeps a list (devices.list) from the writes.</summary>
    private static (FakeCgroupFs Fs, Dictionary<string, string> Mounts) WithDevices()
    {
        var (fs, mounts) = SampleTrees.V1();
        mounts["devices"] = "/cg/devices";
        var inner = fs.OnMkdir;
        fs.OnMkdir = (f, dir) =>
        {
            inner?.Invoke(f, dir);
            if (dir.StartsWith("/cg/devices", StringComparison.Ordinal))
            {
                f.AddFile(dir + "/devices.allow", "");
                f.AddFile(dir + "/devices.deny", "");
                f.AddFile(dir + "/devices.list", "a *:* rwm");
            }
        };
        fs.CreateDirectory("/cg/devices");
        fs.Writes.Clear();
        fs.Created.Clear();
        return (fs, mounts);
    }

    private static List<(string File, string Rule)> DeviceWrites(FakeCgroupFs fs) =>
        fs.Writes.Where(w => w.Path.StartsWith("/cg/devices/gocker/c1/", StringComparison.Ordinal))
            .Select(w => (Path.GetFileName(w.Path), w.Value)).ToList();

    [Fact]
    public void EveryNewCgroupDeniesAllThenAllowsTheDefaultNodesOneRulePerWrite()
    {
        var (fs, mounts) = WithDevices();
        new V1CgroupManager(mounts, "gocker/c1", fs).Create(ResourceLimits.None);
        var writes = DeviceWrites(fs);
        Assert.Equal(("devices.deny", "a"), writes[0]);
        Assert.Equal(
            ["c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:2 rwm", "c 136:* rwm"],
            writes.Skip(1).Select(w => { Assert.Equal("devices.allow", w.File); return w.Rule; }));
    }

    [Fact]
    public void PrivilegedAllowsEveryDevice()
    {
        var (fs, mounts) = WithDevices();
        new V1CgroupManager(mounts, "gocker/c1", fs).Create(ResourceLimits.None with { AllDevices = true });
        Assert.Equal([("devices.allow", "a")], DeviceWrites(fs));
    }

    [Fact]
    public void TheDevicesHierarchyIsJoinedAndRemovedWithTheOthers()
    {
        var (fs, mounts) = WithDevices();
        var mgr = new V1CgroupManager(mounts, "gocker/c1", fs);
        mgr.Create(ResourceLimits.None);
        Assert.Contains("/cg/devices/gocker/c1/cgroup.procs", mgr.ProcsFiles);
        mgr.Remove();
        Assert.Contains("/cg/devices/gocker/c1", fs.Removed);
    }

    [Fact]
    public void AnUpdateDoesNotTouchTheDeviceRules()
    {
        var (fs, mounts) = WithDevices();
        var mgr = new V1CgroupManager(mounts, "gocker/c1", fs);
        mgr.Create(ResourceLimits.None);
        fs.Writes.Clear();
        mgr.Apply(ResourceLimits.Parse(new HostFacts("0-1", "0", CgroupVersion.V1), pidsLimit: "10"));
        Assert.Empty(DeviceWrites(fs));
    }

    [Fact]
    public void AFailedRuleLeavesNoCgroupBehind()
    {
        var (fs, mounts) = WithDevices();
        fs.OnWrite = (f, path, value) => path.EndsWith("devices.deny", StringComparison.Ordinal)
            ? throw new IOException("Operation not permitted", 1) : false;
        var e = Assert.Throws<GockerException>(() => new V1CgroupManager(mounts, "gocker/c1", fs).Create(ResourceLimits.None));
        Assert.Contains("devices.deny", e.Message);
        Assert.DoesNotContain(fs.Dirs, d => d.EndsWith("/gocker/c1", StringComparison.Ordinal));
    }
}
