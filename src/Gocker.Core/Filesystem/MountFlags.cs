namespace Gocker.Core.Filesystem;

/// <summary>mount(2) flags (linux/mount.h).</summary>
[Flags]
public enum MountFlags : ulong
{
    None = 0,
    ReadOnly = 1,
    NoSuid = 2,
    NoDev = 4,
    NoExec = 8,
    Synchronous = 16,
    Remount = 32,
    DirSync = 128,
    NoAtime = 1024,
    NoDiratime = 2048,
    Bind = 4096,
    Rec = 16384,
    Private = 1 << 18,
    Slave = 1 << 19,
    RelAtime = 1 << 21,
    StrictAtime = 1 << 24,
}
