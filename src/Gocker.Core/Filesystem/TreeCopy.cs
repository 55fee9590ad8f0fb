using Gocker.Core.Interop;

namespace Gocker.Core.Filesystem;

/// <summary>Copies a merged directory of an <see cref="OverlayView"/> into a new directory, as Docker
/// copies an image's content into a new volume: owners, modes (setuid included), mtimes, symlinks,
/// hard links within the copy, device nodes and fifos; sockets are skipped, xattrs are not copied.
/// The destination is gocker's own fresh directory: nothing in it can be a symlink that was not
/// created by this copy, and children are created only inside directories the copy made.</summary>
public static class TreeCopy
{
    public static void CopyInto(OverlayView view, OverlayView.Node dir, string destination)
    {
        var links = new Dictionary<(ulong Dev, ulong Ino), string>();
        var dirTimes = new List<(string Path, long Mtime)>();
        foreach (var node in view.Walk(dir))
        {
            var rel = node.Rel[(dir.Rel.Length == 0 ? 0 : dir.Rel.Length + 1)..];
            var path = $"{destination}/{rel}";
            var e = node.Entry;
            if (e.Type == EntryType.Regular && e.Links > 1)
            {
                if (links.TryGetValue((e.Dev, e.Inode), out var first))
                {
                    Libc.Check(Libc.Link(first, path), $"link {path}");
                    continue; // one inode: owner, mode and time are the first name's
                }
                links[(e.Dev, e.Inode)] = path;
            }
            if (!CreateOne(view, node, path))
                continue;
            SetOwnerAndMode(path, e);
            if (e.Type == EntryType.Directory)
                dirTimes.Add((path, e.MtimeSeconds));
            else
                Libc.SetTimesNoFollow(path, e.MtimeSeconds);
        }
        // The root takes the image directory's owner and mode (Docker's copy does the same).
        SetOwnerAndMode(destination, dir.Entry);
        dirTimes.Add((destination, dir.Entry.MtimeSeconds));
        // Directory times last: creating an entry changes its directory's mtime.
        for (int i = dirTimes.Count - 1; i >= 0; i--)
            Libc.SetTimesNoFollow(dirTimes[i].Path, dirTimes[i].Mtime);
    }

    private static bool CreateOne(OverlayView view, OverlayView.Node node, string path)
    {
        var e = node.Entry;
        switch (e.Type)
        {
            case EntryType.Directory:
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                return true;
            case EntryType.Regular:
                using (var input = view.OpenRead(node))
                using (var fd = Libc.Open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW, 0b110_000_000))
                using (var output = new FileStream(fd, FileAccess.Write, 0))
                    input.CopyTo(output, 1 << 16);
                return true;
            case EntryType.Symlink:
                File.CreateSymbolicLink(path, view.ReadLink(node));
                return true;
            case EntryType.CharDevice or EntryType.BlockDevice:
                uint type = e.Type == EntryType.CharDevice ? Libc.S_IFCHR : Libc.S_IFBLK;
                Libc.Check(Libc.Mknod(path, type | 0b110_000_000, Libc.Makedev(e.DevMajor, e.DevMinor)), $"mknod {path}");
                return true;
            case EntryType.Fifo:
                Libc.Check(Libc.Mkfifo(path, 0b110_000_000), $"mkfifo {path}");
                return true;
            default:
                return false; // a socket is a live endpoint, not content
        }
    }

    private static void SetOwnerAndMode(string path, LayerEntry e)
    {
        Libc.Check(Libc.Lchown(path, e.Uid, e.Gid), $"chown {path}");
        // After chown, which clears setuid and setgid.
        if (e.Type != EntryType.Symlink)
            Libc.Check(Libc.Chmod(path, e.Mode), $"chmod {path}");
    }
}
