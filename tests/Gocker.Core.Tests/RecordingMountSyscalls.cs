using Gocker.Core.Filesystem;

namespace Gocker.Core.Tests;

/// <summary>A fake <see cref="IMountSyscalls"/> that records every call in order.</summary>
internal sealed class RecordingMountSyscalls : IMountSyscalls
{
    public List<string> Calls { get; } = new();
    public List<(string? Source, string Target, string? FsType, MountFlags Flags, string? Data)> Mounts { get; } = new();

    public void Mount(string? source, string target, string? fstype, MountFlags flags, string? data, string? lockedFlagsOf = null)
    {
        if (lockedFlagsOf is not null)
            flags |= SourceFlags.GetValueOrDefault(lockedFlagsOf);
        Mounts.Add((source, target, fstype, flags, data));
        Calls.Add($"mount {fstype ?? source} {target}");
    }

    public void MakeCharDevice(string path, uint major, uint minor) => Calls.Add($"mknod {path} {major}:{minor}");

    public void Symlink(string target, string linkPath) => Calls.Add($"symlink {linkPath} -> {target}");

    public void ChangeDirectory(string path) => Calls.Add($"chdir {path}");

    public string PrepareTarget(string root, string relative, bool file) => $"{root}/{relative}";

    /// <summary>The locked flags of the mount holding each path, as init would read them (none otherwise).</summary>
    public Dictionary<string, MountFlags> SourceFlags { get; } = new();

    public MountTarget OpenInRoot(string root, string destination, bool file)
    {
        Calls.Add($"open {root}{destination}{(file ? " (file)" : "")}");
        return new MountTarget($"{root}{destination}");
    }

    /// <summary>Paths that exist, for <see cref="When"/>; anything else is missing.</summary>
    public Dictionary<string, PathKind> Existing { get; } = new();

    public void When(string path, PathKinds kinds, Action then)
    {
        var kind = Existing.TryGetValue(path, out var k) ? k : PathKind.Missing;
        var bit = kind switch { PathKind.Directory => PathKinds.Directory, PathKind.File => PathKinds.File, _ => PathKinds.Missing };
        if ((kinds & bit) != 0)
            then();
    }

    public void MakeDevice(string path, DeviceNode node) =>
        Calls.Add($"mknod {path} {(node.Block ? 'b' : 'c')} {node.Major}:{node.Minor} {Convert.ToString(node.Mode, 8)} {node.Uid}:{node.Gid}");

    public void PivotRoot(string newRoot) => Calls.Add($"pivot_root {newRoot}");
}
