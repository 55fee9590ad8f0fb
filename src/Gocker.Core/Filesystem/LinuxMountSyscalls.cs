using System.Runtime.InteropServices;
using Gocker.Core.Interop;
using Microsoft.Win32.SafeHandles;

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

    public void ChangeDirectory(string path) => Libc.Check(Libc.Chdir(path), $"chdir {path}");

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

    public MountTarget OpenInRoot(string root, string destination, bool file)
    {
        var rel = InRootPath.Resolve(new DirectoryRootView(root), destination);
        if (rel.Length == 0)
            throw new GockerException($"cannot mount on {destination}: it is the container's root directory");
        var parts = rel.Split('/');
        var current = Libc.Open(root, Libc.O_PATH | Libc.O_DIRECTORY);
        try
        {
            for (int i = 0; i < parts.Length; i++)
            {
                bool last = i == parts.Length - 1;
                var next = OpenOrCreate(current, parts[i], last && file, destination);
                current.Dispose();
                current = next;
            }
            var st = Libc.Fstat(current, destination);
            bool isDir = (st.Mode & Libc.S_IFMT) == Libc.S_IFDIR;
            if (isDir == file)
                throw new GockerException(file
                    ? $"cannot mount a file on {destination}: it is a directory in the container (are you trying to mount a file onto a directory, or vice versa?)"
                    : $"cannot mount a directory on {destination}: it is not a directory in the container (are you trying to mount a directory onto a file, or vice versa?)");
            var target = new MountTarget($"/proc/self/fd/{(int)current.DangerousGetHandle()}", current);
            return target;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    /// <summary>One component below an open directory, never through a symlink (the resolver removed
    /// every symlink from the path; one that appears now was swapped in, and fails with ELOOP).</summary>
    private static SafeFileHandle OpenOrCreate(SafeFileHandle dir, string name, bool file, string destination)
    {
        const ulong resolve = Libc.RESOLVE_BENEATH | Libc.RESOLVE_NO_SYMLINKS;
        int fd = Libc.Openat2Raw(dir, name, Libc.O_PATH, 0, resolve);
        if (fd < 0 && Marshal.GetLastPInvokeError() == Errno.ENOENT)
        {
            if (file)
                Libc.Openat2(dir, name, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL, 0b110_100_100, resolve, $"create {destination}").Dispose();
            else if (Libc.Mkdirat(dir, name, 0b111_101_101) < 0 && Marshal.GetLastPInvokeError() != Errno.EEXIST)
                throw new SyscallException($"mkdir {destination}", Marshal.GetLastPInvokeError());
            fd = Libc.Openat2Raw(dir, name, Libc.O_PATH, 0, resolve);
        }
        if (fd < 0)
            throw new SyscallException($"open {destination} in the container", Marshal.GetLastPInvokeError());
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public MountFlags LockedFlags(string path)
    {
        // statfs(2) f_flags: ST_NOSUID 2, ST_NODEV 4, ST_NOEXEC 8, ST_NOATIME 1024, ST_NODIRATIME 2048, ST_RELATIME 4096.
        long f = Libc.MountFlagsOf(path);
        var flags = MountFlags.None;
        if ((f & 2) != 0) flags |= MountFlags.NoSuid;
        if ((f & 4) != 0) flags |= MountFlags.NoDev;
        if ((f & 8) != 0) flags |= MountFlags.NoExec;
        if ((f & 1024) != 0) flags |= MountFlags.NoAtime;
        if ((f & 2048) != 0) flags |= MountFlags.NoDiratime;
        if ((f & 4096) != 0) flags |= MountFlags.RelAtime;
        return flags;
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
