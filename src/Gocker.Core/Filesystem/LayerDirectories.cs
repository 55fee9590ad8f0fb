using System.Runtime.InteropServices;
using Gocker.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Filesystem;

/// <summary>The real <see cref="ILayerFs"/>. A running container can rename and replace files in its
/// upper dir while it is read, so no path under a layer is walked by name: each parent directory is
/// opened with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) from the layer's root, and the entry is
/// then reached through /proc/self/fd/N/NAME (the kernel jumps to that exact directory). A symlink
/// swapped in on the way fails the read instead of leading it outside the layer.</summary>
public sealed class LayerDirectories : ILayerFs, IDisposable
{
    private const ulong Beneath = Libc.RESOLVE_BENEATH | Libc.RESOLVE_NO_SYMLINKS;

    private readonly Dictionary<string, SafeFileHandle> _roots = new(StringComparer.Ordinal);
    // The last directory opened in each layer: a listing stats every name of one directory in a row.
    private readonly Dictionary<string, (string Rel, SafeFileHandle? Fd)> _parents = new(StringComparer.Ordinal);

    public LayerEntry? Lstat(string layer, string rel)
    {
        if (rel.Length == 0)
            return ToEntry(Libc.Fstat(RootFd(layer), layer));
        if (Child(layer, rel) is not { } path)
            return null;
        if (Libc.Lstat(path, out var st) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is Errno.ENOENT or Errno.ENOTDIR)
                return null;
            throw new SyscallException($"lstat {layer}/{rel}", errno);
        }
        return ToEntry(st);
    }

    public IEnumerable<string> List(string layer, string rel)
    {
        var fd = rel.Length == 0 ? null : Open(layer, rel, Libc.O_PATH | Libc.O_DIRECTORY);
        if (rel.Length > 0 && fd is null)
            return [];
        try
        {
            var dir = $"/proc/self/fd/{(int)(fd ?? RootFd(layer)).DangerousGetHandle()}";
            return Directory.EnumerateFileSystemEntries(dir).Select(p => p[(dir.Length + 1)..]).ToList();
        }
        finally
        {
            fd?.Dispose();
        }
    }

    public bool IsOpaque(string layer, string rel) =>
        Child(layer, rel) is { } path && Images.OverlayWhiteouts.IsOpaque(path);

    public string ReadLink(string layer, string rel) =>
        (Child(layer, rel) is { } path ? new FileInfo(path).LinkTarget : null)
        ?? throw new GockerException($"{layer}/{rel} changed while it was read");

    public Stream OpenRead(string layer, string rel)
    {
        var fd = Open(layer, rel, Libc.O_RDONLY | Libc.O_NOFOLLOW)
            ?? throw new GockerException($"{layer}/{rel} changed while it was read");
        return new FileStream(fd, FileAccess.Read, 0);
    }

    /// <summary>/proc/self/fd/N/NAME for the entry, its parent held open; null when the parent is gone.</summary>
    private string? Child(string layer, string rel)
    {
        int slash = rel.LastIndexOf('/');
        var parentRel = slash < 0 ? "" : rel[..slash];
        SafeFileHandle? parent;
        if (parentRel.Length == 0)
        {
            parent = RootFd(layer);
        }
        else
        {
            if (!_parents.TryGetValue(layer, out var cached) || cached.Rel != parentRel)
            {
                cached.Fd?.Dispose();
                cached = (parentRel, Open(layer, parentRel, Libc.O_PATH | Libc.O_DIRECTORY));
                _parents[layer] = cached;
            }
            parent = cached.Fd;
        }
        return parent is null ? null : $"/proc/self/fd/{(int)parent.DangerousGetHandle()}/{rel[(slash + 1)..]}";
    }

    /// <summary>openat2 beneath the layer's root, no symlink anywhere; null when it does not exist, or
    /// only through a symlink (ELOOP), which for a layer is the same thing.</summary>
    private SafeFileHandle? Open(string layer, string rel, int flags)
    {
        int fd = Libc.Openat2Raw(RootFd(layer), rel, flags, 0, Beneath);
        if (fd >= 0)
            return new SafeFileHandle(fd, ownsHandle: true);
        int errno = Marshal.GetLastPInvokeError();
        const int ELOOP = 40;
        if (errno is Errno.ENOENT or Errno.ENOTDIR or ELOOP)
            return null;
        throw new SyscallException($"open {layer}/{rel}", errno);
    }

    private SafeFileHandle RootFd(string layer)
    {
        if (!_roots.TryGetValue(layer, out var fd))
        {
            fd = Libc.Open(layer, Libc.O_PATH | Libc.O_DIRECTORY);
            _roots[layer] = fd;
        }
        return fd;
    }

    private static LayerEntry ToEntry(in Libc.Stat st)
    {
        var type = (st.Mode & Libc.S_IFMT) switch
        {
            Libc.S_IFDIR => EntryType.Directory,
            Libc.S_IFREG => EntryType.Regular,
            Libc.S_IFLNK => EntryType.Symlink,
            Libc.S_IFCHR => EntryType.CharDevice,
            Libc.S_IFBLK => EntryType.BlockDevice,
            Libc.S_IFIFO => EntryType.Fifo,
            _ => EntryType.Socket,
        };
        return new LayerEntry(type, st.Mode & 0xfff, st.Uid, st.Gid, st.Size, st.MtimeSec,
            Libc.Major(st.Rdev), Libc.Minor(st.Rdev), st.Dev, st.Ino, st.Nlink);
    }

    public void Dispose()
    {
        foreach (var (_, fd) in _parents.Values)
            fd?.Dispose();
        foreach (var fd in _roots.Values)
            fd.Dispose();
        _parents.Clear();
        _roots.Clear();
    }
}
