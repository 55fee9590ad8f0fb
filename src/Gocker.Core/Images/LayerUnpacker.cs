using System.Formats.Tar;
using Gocker.Core.Interop;

namespace Gocker.Core.Images;

/// <summary>Unpacks a layer tarball into a directory as root would: owners, modes (setuid
/// included), symlinks, hard links, device nodes, mtimes. The tarball is untrusted: no entry may
/// land outside the destination, neither through ".." nor through a symlink unpacked earlier.</summary>
public static class LayerUnpacker
{
    public static void Unpack(Stream tar, string destination)
    {
        var dest = Path.GetFullPath(destination).TrimEnd('/');
        var dirTimes = new List<(string Path, long Mtime)>();
        using var reader = new TarReader(tar, leaveOpen: true);
        TarEntry? entry;
        while ((entry = reader.GetNextEntry()) is not null)
        {
            var rel = Normalize(entry.Name);
            if (rel is null)
                continue; // the archive's "./" itself
            var path = $"{dest}/{rel}";
            EnsureParents(dest, rel);
            ExtractOne(entry, dest, path);
            long mtime = entry.ModificationTime.ToUnixTimeSeconds();
            if (entry.EntryType == TarEntryType.Directory)
                dirTimes.Add((path, mtime));
            else
                Libc.SetTimesNoFollow(path, mtime);
        }
        // Directory times last: every file written into a directory changes its mtime.
        for (int i = dirTimes.Count - 1; i >= 0; i--)
            Libc.SetTimesNoFollow(dirTimes[i].Path, dirTimes[i].Mtime);
    }

    /// <summary>"./a/b/", "/a/b" and "a//b" all mean "a/b"; ".." anywhere is refused.</summary>
    internal static string? Normalize(string name)
    {
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
            throw new GockerException($"invalid tar entry {name}: it leaves the layer");
        return parts.Length == 0 ? null : string.Join('/', parts);
    }

    /// <summary>Every parent must be a real directory inside the destination (a symlink planted by
    /// an earlier entry would redirect this one to anywhere on the host).</summary>
    private static void EnsureParents(string dest, string rel)
    {
        var parts = rel.Split('/');
        var path = dest;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            path = $"{path}/{parts[i]}";
            var info = new DirectoryInfo(path);
            if (info.LinkTarget is not null)
                throw new GockerException($"invalid tar entry {rel}: /{string.Join('/', parts[..(i + 1)])} is a symlink");
            if (!info.Exists)
                Directory.CreateDirectory(path);
        }
    }

    private static void ExtractOne(TarEntry entry, string dest, string path)
    {
        uint mode = (uint)entry.Mode & 0xfff;
        var existing = new FileInfo(path);
        if (entry.EntryType != TarEntryType.Directory && (existing.Exists || existing.LinkTarget is not null))
            existing.Delete();
        else if (entry.EntryType == TarEntryType.Directory && existing.Exists)
            existing.Delete(); // a file where a directory comes

        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (new DirectoryInfo(path).LinkTarget is not null)
                    File.Delete(path);
                Directory.CreateDirectory(path);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                using (var fd = Libc.Open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW, 0b110_000_000))
                using (var output = new FileStream(fd, FileAccess.Write, 0))
                    entry.DataStream?.CopyTo(output);
                break;
            case TarEntryType.SymbolicLink:
                File.CreateSymbolicLink(path, entry.LinkName);
                break;
            case TarEntryType.HardLink:
                var target = Normalize(entry.LinkName) ?? throw new GockerException($"invalid hard link {entry.Name}");
                Libc.Check(Libc.Link($"{dest}/{target}", path), $"link {entry.Name}");
                return; // shares the target's inode: owner and mode are the target's
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                var ptx = (PosixTarEntry)entry;
                uint type = entry.EntryType == TarEntryType.CharacterDevice ? Libc.S_IFCHR : 0x6000u;
                Libc.Check(Libc.Mknod(path, type | mode, Libc.Makedev((uint)ptx.DeviceMajor, (uint)ptx.DeviceMinor)), $"mknod {entry.Name}");
                break;
            case TarEntryType.Fifo:
                Libc.Check(Libc.Mkfifo(path, mode), $"mkfifo {entry.Name}");
                break;
            default:
                return; // pax/GNU metadata entries are folded into their file by TarReader
        }

        var (uid, gid) = entry is PosixTarEntry p ? ((uint)p.Uid, (uint)p.Gid) : (0u, 0u);
        Libc.Check(Libc.Lchown(path, uid, gid), $"chown {entry.Name}");
        // After chown, which clears setuid and setgid bits.
        if (entry.EntryType != TarEntryType.SymbolicLink)
            Libc.Check(Libc.Chmod(path, mode), $"chmod {entry.Name}");
    }
}
