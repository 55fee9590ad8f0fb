using System.Text;
using System.Text.Json;
using Gocker.Core.Containers;
using Gocker.Core.Filesystem;
using Gocker.Core.Network;
using Gocker.Core.Security;
using Gocker.Core.Volumes;

namespace Gocker.Core.Tests.Containers;

/// <summary>config.json is written by hand (ContainerConfigWriter) and read by the serializer: the bytes
/// must be the serializer's own, so that a property added to any type in the tree fails here until the
/// writer has it too.</summary>
public class ContainerConfigWriterTests
{
    private static string Serializer(ContainerConfig c) =>
        JsonSerializer.Serialize(c, ConfigJsonContext.Default.ContainerConfig);

    private static string Writer(ContainerConfig c)
    {
        using var stream = new MemoryStream();
        ContainerConfigWriter.Write(stream, c);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static readonly ContainerConfig Minimal = new()
    {
        Id = "0123456789abcdef", Image = "busybox", Args = ["true"], Env = [], Hostname = "0123456789ab",
    };

    private static readonly ContainerConfig Full = new()
    {
        Id = "0123456789abcdef",
        Name = "n<a>m&e'\"é\u2028",
        Image = "busybox:latest",
        ImageId = "sha256:ff",
        ImageLayers = ["sha256:aa", "sha256:bb"],
        ImageRootfs = "/r1:/r2",
        Args = ["sh", "-c", "echo \"$X\" + \\ \t"],
        Entrypoint = ["sh"],
        Cmd = [],
        StopSignal = "SIGINT",
        ExposedPorts = ["80/tcp"],
        Env = ["PATH=/bin", "X=ü"],
        Hostname = "h",
        User = "1000:1000",
        WorkingDir = "/w",
        Tty = true,
        OpenStdin = true,
        Init = true,
        AutoRemove = true,
        LogMaxSize = long.MaxValue,
        LogMaxFiles = -1,
        CreatedAt = 1_764_000_000_123_456_789,
        Resources = new ResourceFlags
        {
            Memory = "1g", MemorySwap = "2g", MemoryReservation = "512m", Cpus = "0.5", CpuShares = "512",
            CpusetCpus = "0-1", CpusetMems = "0", PidsLimit = "100", OomKillDisable = true,
        },
        Mounts =
        [
            new MountSpec
            {
                Type = "volume", Source = "v", Destination = "/d", ReadOnly = true, Origin = "v", Mode = "ro,z",
                Spec = "v:/d:ro,z", Anonymous = true, NoCopy = true, CreateSource = true,
                VolumeLabels = new() { ["a"] = "1", ["b<"] = "2" },
                TmpfsFlags = MountFlags.ReadOnly | (MountFlags)(1UL << 63), TmpfsData = "size=1m",
            },
            new MountSpec { Type = "tmpfs", Destination = "/t", Origin = "tmpfs" },
        ],
        ReadonlyRootfs = true,
        Network = new ContainerNetworkSettings
        {
            Mode = "host", Ip = "10.0.0.2", Publish = ["8080:80"], Expose = ["81"], PublishAll = true,
            AddHosts = ["a:1.2.3.4"], Dns = ["1.1.1.1"], DnsSearch = ["x"], DnsOptions = ["ndots:2"],
        },
        Security = new SecurityConfig
        {
            Privileged = true, CapAdd = ["NET_ADMIN"], CapDrop = ["ALL"], Capabilities = ulong.MaxValue,
            NoNewPrivileges = false, Seccomp = SeccompMode.Profile, SeccompProfile = "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}",
            MaskSystemPaths = false, Ulimits = [new Ulimit("nofile", 1024, 4096)], SecurityOpt = ["seccomp=p.json"],
        },
    };

    public static TheoryData<string> Configs => ["minimal", "full", "defaults-null", "unconfined"];

    private static ContainerConfig Named(string name) => name switch
    {
        "minimal" => Minimal,
        "full" => Full,
        // What a hand-edited or old file can hold: nulls where the type has defaults.
        "defaults-null" => Minimal with { Resources = null!, Mounts = null!, Network = null!, Security = null! },
        "unconfined" => Minimal with { Security = new SecurityConfig { Seccomp = SeccompMode.Unconfined } },
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void WritesTheSerializersBytes(string name)
    {
        var c = Named(name);
        Assert.Equal(Serializer(c), Writer(c));
    }

    [Fact]
    public void SavedConfigLoadsBack()
    {
        var dir = Directory.CreateTempSubdirectory("gocker-config-");
        try
        {
            var path = Path.Combine(dir.FullName, "config.json");
            Full.Save(path);
            var back = ContainerConfig.Load(path);
            Assert.Equal(Serializer(Full), Serializer(back));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
