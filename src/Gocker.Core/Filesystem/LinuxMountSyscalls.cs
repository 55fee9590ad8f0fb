using Gocker.Core.Interop;

namespace Gocker.Core.Filesystem;

/// <summary>The real <see cref="IMountSyscalls"/>.</summary>
public sealed class LinuxMountSyscalls : IMountSyscalls
{
    public void Mount(string? source, string target, string? fstype, MountFlags flags, string? data) =>
        Libc.Check(Libc.Mount(source, target, fstype, flags, data), $"mount {fstype ?? source} on {target}");

    public void MakeCharDevice(string path, uint major, uint minor)
    {
        Libc.Check(Libc.Mknod(path, Libc.S_IFCHR | 0b110_110_110, Libc.Makedev(major, minor)), $"mknod {path}");
        // mknod applies the umask.
        Libc.Check(Libc.Chmod(path, 0b110_110_110), $"chmod {path}");
    }

    public PathKind Kind(string path)
    {
        if (Libc.Lstat(path, out var st) != 0)
            return PathKind.Missing;
        return (st.Mode & Libc.S_IFMT) == Libc.S_IFDIR ? PathKind.Directory : PathKind.File;
    }

    public void MakeDevice(string path, DeviceNode node)
    {
        uint type = node.Block ? Libc.S_IFBLK : Libc.S_IFCHR;
        Libc.Check(Libc.Mknod(path, type | node.Mode, Libc.Makedev(node.Major, node.Minor)), $"mknod {path}");
        Libc.Check(Libc.Chmod(path, node.Mode), $"chmod {path}");
        if (node.Uid != 0 || node.Gid != 0) // init is root: its nodes are root's already
            Libc.Check(Libc.Lchown(path, node.Uid, node.Gid), $"chown {path}");
    }

    public void Symlink(string target, string linkPath) => File.CreateSymbolicLink(linkPath, target);

    public string PrepareTarget(string root, string relative, bool file)
    {
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var path = root;
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i] is "." or "..")
                throw new GockerException($"invalid path in container: {relative}");
            path = $"{path}/{parts[i]}";
            bool last = i == parts.Length - 1;
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
                throw new GockerException($"refusing to mount on /{relative}: /{string.Join('/', parts[..(i + 1)])} is a symlink in the image");
            if (info.Exists)
            {
                if (!last || !file)
                    throw new GockerException($"cannot mount on /{relative}: /{string.Join('/', parts[..(i + 1)])} is not a directory");
                continue;
            }
            if (Directory.Exists(path))
            {
                if (last && file)
                    throw new GockerException($"cannot mount a file on /{relative}: it is a directory in the image");
                continue;
            }
            if (last && file)
                File.WriteAllBytes(path, []);
            else
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                    UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        return path;
    }

    public void PivotRoot(string newRoot)
    {
        // pivot_root(".", ".") through fds (as runc and crun do): no put_old directory inside the new
        // root is needed, the old root ends up stacked on the new one and is detached from there.
        using var oldRoot = Libc.Open("/", Libc.O_DIRECTORY | Libc.O_RDONLY);
        using var newRootFd = Libc.Open(newRoot, Libc.O_DIRECTORY | Libc.O_RDONLY);
        Libc.Check(Libc.Fchdir(newRootFd), $"fchdir {newRoot}");
        Libc.Check(Libc.PivotRoot(".", "."), $"pivot_root {newRoot}");
        Libc.Check(Libc.Fchdir(oldRoot), "fchdir old root");
        // Slave first so that the unmount below cannot propagate to any peer of the old root.
        Libc.Check(Libc.Mount(null, ".", null, MountFlags.Rec | MountFlags.Slave, null), "make old root rslave");
        Libc.Check(Libc.Umount2(".", Libc.MNT_DETACH), "detach old root");
        Libc.Check(Libc.Chdir("/"), "chdir /");
    }
}
