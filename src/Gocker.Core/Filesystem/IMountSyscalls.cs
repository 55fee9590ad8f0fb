namespace Gocker.Core.Filesystem;

/// <summary>The kernel calls that build a container's root filesystem, behind a seam so that the
/// order and arguments are unit-tested without root (see the recording fake in the tests). The real
/// one is <see cref="PlanMountSyscalls"/>: it writes them into the init plan, which the container's
/// init (native/init.c) executes inside the new mount namespace; so nothing here may depend on an
/// answer from the filesystem: a question about it is a condition the init evaluates (<see cref="When"/>).</summary>
public interface IMountSyscalls
{
    /// <param name="lockedFlagsOf">For a read-only remount of a bind: a path whose mount's locked
    /// flags (nosuid, nodev, noexec, atime flags; statfs) are added to <paramref name="flags"/>, since
    /// the kernel refuses to clear them.</param>
    void Mount(string? source, string target, string? fstype, MountFlags flags, string? data, string? lockedFlagsOf = null);

    /// <summary>mknod of a character device, mode 0666 whatever the umask.</summary>
    void MakeCharDevice(string path, uint major, uint minor);

    void Symlink(string target, string linkPath);

    /// <summary>chdir(2): relative overlay lowerdirs are resolved against the current directory.</summary>
    void ChangeDirectory(string path);

    /// <summary>Returns the host path of <paramref name="relative"/> under <paramref name="root"/>, creating
    /// what is missing (a directory, or an empty file when <paramref name="file"/>). Refuses a symlink
    /// anywhere on the way: the image is untrusted, and before pivot_root a symlink would be resolved
    /// against the HOST's root and put a mount on the host.</summary>
    string PrepareTarget(string root, string relative, bool file);

    /// <summary>Opens <paramref name="destination"/> (a container path) inside <paramref name="root"/> as
    /// chroot would resolve it: a symlink on the way (in the image, or in a volume mounted earlier)
    /// resolves against the container's root, and ".." stops there (<see cref="InRootPath"/>). What is
    /// missing is created inside the root: directories, and the last component as an empty file when
    /// <paramref name="file"/>. The returned target names the opened inode for mount(2) (runc's
    /// /proc/self/fd/N), so nothing can swap a symlink in between the check and the mount.</summary>
    MountTarget OpenInRoot(string root, string destination, bool file);

    /// <summary>Runs <paramref name="then"/>'s calls only if what is at <paramref name="path"/> (lstat: a
    /// symlink is a file) is one of <paramref name="kinds"/>.</summary>
    void When(string path, PathKinds kinds, Action then);

    /// <summary>mknod of a host device node copy, with its mode and owner whatever the umask.</summary>
    void MakeDevice(string path, DeviceNode node);

    /// <summary>pivot_root into <paramref name="newRoot"/> and detach the old root.</summary>
    void PivotRoot(string newRoot);
}
