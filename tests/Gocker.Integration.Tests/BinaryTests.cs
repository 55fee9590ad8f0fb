using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>The build output: one static executable, gocker-init a symlink to it.</summary>
public sealed class BinaryTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    [Fact]
    public async Task Gocker_is_statically_linked()
    {
        var r = await ProcessRunner.RunAsync(new ProcessSpec { FileName = "ldd", Args = [GockerBinary.Path] });
        var text = r.Stdout + r.Stderr;   // ldd exits non-zero for a static binary on some versions
        Assert.True(text.Contains("statically linked") || text.Contains("not a dynamic executable"),
            $"ldd says the binary is dynamic:\n{r}");
        Assert.DoesNotContain("=>", text);
    }

    [Fact]
    public void Gocker_is_a_fixed_address_executable_so_a_start_relocates_nothing()
    {
        // ELF e_type at offset 16: 2 = ET_EXEC (3 = ET_DYN would be static-pie: the whole data segment
        // relocated, i.e. touched, at every start of every gocker process).
        var header = new byte[18];
        using (var f = File.OpenRead(GockerBinary.Path))
            f.ReadExactly(header);
        Assert.Equal(2, BitConverter.ToUInt16(header, 16));
    }

    [Fact]
    public async Task Gocker_init_by_hand_refuses_with_125()
    {
        var r = await ProcessRunner.RunAsync(new ProcessSpec { FileName = Path.Combine(GockerBinary.Directory, "gocker-init") });
        Assert.Equal(125, r.ExitCode);
        Assert.Contains("runs only as a container's init", r.Stderr);
    }

    [Fact]
    public void Gocker_init_is_a_symlink_to_gocker()
    {
        var init = new FileInfo(Path.Combine(GockerBinary.Directory, "gocker-init"));
        Assert.True(init.Exists, $"{init.FullName} is missing");
        Assert.Equal("gocker", init.LinkTarget);
    }

    [Fact]
    public async Task The_default_image_is_found_beside_the_binary()
    {
        Assert.True(File.Exists(Path.Combine(GockerBinary.Directory, "images", "busybox.tar")));
        var r = (await box.RunBusybox("busybox", "--help")).ShouldSucceed();
        Assert.Contains("BusyBox", r.Stdout + r.Stderr);
    }
}
