using Gocker.Core.Containers;

namespace Gocker.Core.Tests.Containers;

/// <summary>ContainerFiles.Create taking a spare that native/recycle.c kept: the directory renamed into
/// place, every file rewritten in its own inode, nothing of the previous content left.</summary>
public sealed class ContainerFilesSpareTests : TempRoot
{
    public ContainerFilesSpareTests() : base("spare") => Root.EnsureCreated();

    /// <summary>A spare as recycle.c leaves it, its files holding longer content than the next one's.</summary>
    private string MakeSpare(int slot)
    {
        var spare = Path.Combine(Root.SpareDir, slot.ToString());
        Directory.CreateDirectory(Path.Combine(spare, "rootfs"));
        var old = string.Concat(Enumerable.Repeat("the previous container's content\n", 40));
        foreach (var f in new[] { "hostname", "hosts", "resolv.conf", "config.json" })
            File.WriteAllText(Path.Combine(spare, f + ".spare"), old);
        File.WriteAllText(Path.Combine(spare, "container.log.spare"), "");
        return spare;
    }

    /// <summary>Container <paramref name="id"/>'s directory made by Create, which may take a spare.</summary>
    private ContainerFiles CreateFiles(char id, string hostname, string hosts = "", string resolvConf = "")
    {
        var files = new ContainerFiles(Root.ContainerDir(Id(id)));
        files.Create(hostname, hosts: hosts, resolvConf: resolvConf, spareDir: Root.SpareDir);
        return files;
    }

    [Fact]
    public void A_spare_becomes_the_directory_with_only_the_new_content()
    {
        var spare = MakeSpare(0);
        var files = CreateFiles('a', "newhost", "127.0.0.1\tlocalhost\n", "nameserver 10.0.0.1\n");

        Assert.False(Directory.Exists(spare));
        Assert.Equal("newhost\n", File.ReadAllText(files.HostnameFile));
        Assert.Equal("127.0.0.1\tlocalhost\n", File.ReadAllText(files.HostsFile));
        Assert.Equal("nameserver 10.0.0.1\n", File.ReadAllText(files.ResolvConfFile));
        Assert.Equal(0, new FileInfo(files.LogFile).Length);
        Assert.True(Directory.Exists(files.Upper) && Directory.Exists(files.Work) && Directory.Exists(files.Rootfs));
        Assert.Empty(Directory.GetFiles(files.Dir, "*.spare"));
        // config.json is the caller's to write (ContainerConfig.Save), into the spare's inode.
        Assert.False(File.Exists(files.ConfigFile));
        Assert.True(File.Exists(files.ConfigFile + ".tmp"));
    }

    [Fact]
    public void Save_rewrites_the_spare_config_whole()
    {
        MakeSpare(0);
        var files = CreateFiles('a', "h");
        var config = new ContainerConfig { Id = Id('a'), Image = "busybox", Args = ["true"], Env = [], Hostname = "h" };
        config.Save(files.ConfigFile);
        Assert.DoesNotContain("previous", File.ReadAllText(files.ConfigFile));
        Assert.Equal(Id('a'), ContainerConfig.Load(files.ConfigFile).Id);
        Assert.False(File.Exists(files.ConfigFile + ".tmp"));
    }

    [Fact]
    public void A_later_slot_is_taken_when_the_first_is_empty_and_each_spare_only_once()
    {
        var spare = MakeSpare(3);
        var a = CreateFiles('a', "a");
        Assert.False(Directory.Exists(spare));
        // No spare left: a new directory, complete as ever.
        var b = CreateFiles('b', "b");
        Assert.Equal("b\n", File.ReadAllText(b.HostnameFile));
        Assert.True(Directory.Exists(b.Upper) && Directory.Exists(b.Work) && Directory.Exists(b.Rootfs));
        Assert.False(File.Exists(b.LogFile));
    }

    [Fact]
    public void A_spare_missing_its_parts_still_makes_a_whole_directory()
    {
        // A sweep of the trash may have deleted some of it before the monitor moved it.
        Directory.CreateDirectory(Path.Combine(Root.SpareDir, "0"));
        var files = CreateFiles('a', "h", "hosts\n", "resolv\n");
        Assert.Equal("h\n", File.ReadAllText(files.HostnameFile));
        Assert.Equal("hosts\n", File.ReadAllText(files.HostsFile));
        Assert.Equal("resolv\n", File.ReadAllText(files.ResolvConfFile));
        Assert.True(Directory.Exists(files.Upper) && Directory.Exists(files.Work) && Directory.Exists(files.Rootfs));
        Assert.Empty(Directory.GetFiles(files.Dir, "*.spare"));
    }

    [Fact]
    public void Overwrite_cuts_a_longer_file_to_the_new_content()
    {
        var path = Path.Combine(Dir, "f");
        File.WriteAllText(path, new string('x', 5000));
        SmallFile.Overwrite(path, "short\n");
        Assert.Equal("short\n", File.ReadAllText(path));
        SmallFile.Overwrite(Path.Combine(Dir, "new"), "made\n");
        Assert.Equal("made\n", File.ReadAllText(Path.Combine(Dir, "new")));
    }
}
