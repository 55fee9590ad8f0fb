using System.Formats.Tar;
using Gocker.Core.Interop;

namespace Gocker.Core.Images;

/// <summary>Unpacks a layer tarball into a directory as root would: owners, modes (setuid
/// included), symlinks, hard links, device nodes, mtimes. The tarball is untrusted: no entry may
/// land outside the destination, neither through ".." nor through a symlink unpacked earlier (nor a
/// hard link through one). Whiteout entries become overlayfs whiteouts (see <see cref="IWhiteoutWriter"/>).</summary>
public static class LayerUnpacker
{
    /// <summary>Returns the bytes of file content unpacked (the layer's size as `docker images` counts it).</summary>
    public static long Unpack(Stream tar, string destination, IWhiteoutWriter? whiteouts = null)
    {
        long size = 0;
        whiteouts ??= OverlayWhiteouts.Instance;
        var dest = Path.GetFullPath(destination).TrimEnd('/');
        var dirTimes = new List<(string Path, long Mtime)>();
        using var reader = new TarReader(tar, leaveOpen: true);
        TarEntry? entry;
        while ((entry = reader.GetNextEntry()) is not null)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes
                or TarEntryType.LongLink or TarEntryType.LongPath)
                continue; // metadata (git archive's pax_global_header), no file
            var rel = Normalize(entry.Name);
            if (rel is null)
                continue; // the archive's "./" itself
            var path = $"{dest}/{rel}";
            EnsureParents(dest, rel);
            if (IsWhiteout(rel, out var hidden))
            {
                ApplyWhiteout(whiteouts, dest, rel, hidden);
                continue;
            }
            ExtractOne(entry, dest, path);
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile)
                size += entry.Length;
            long mtime = entry.ModificationTime.ToUnixTimeSeconds();
            if (entry.EntryType == TarEntryType.Directory)
                dirTimes.Add((path, mtime));
            else
                Libc.SetTimesNoFollow(path, mtime);
        }
        // Directory times last: every file written into a directory changes its mtime.
        for (int i = dirTimes.Count - 1; i >= 0; i--)
            Libc.SetTimesNoFollow(dirTimes[i].Path, dirTimes[i].Mtime);
        return size;
    }

    /// <summary>"./a/b/", "/a/b" and "a//b" all mean "a/b"; ".." anywhere is refused.</summary>
    internal static string? Normalize(string name)
    {
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
            throw new GockerException($"invalid tar entry {name}: it leaves the layer");
        return parts.Length == 0 ? null : string.Join('/', parts);
    }

    /// <summary>".wh.NAME" hides NAME; ".wh..wh..opq" (hidden = null) makes its directory opaque.
    /// Other ".wh..wh." names are aufs bookkeeping, dropped as Docker drops them.</summary>
    private static bool IsWhiteout(string rel, out string? hidden)
    {
        int slash = rel.LastIndexOf('/');
        var name = rel[(slash + 1)..];
        hidden = null;
        if (!name.StartsWith(OverlayWhiteouts.WhiteoutPrefix, StringComparison.Ordinal))
            return false;
        if (name.StartsWith(OverlayWhiteouts.WhiteoutPrefix + OverlayWhiteouts.WhiteoutPrefix, StringComparison.Ordinal))
            return true;
        hidden = rel[..(slash + 1)] + name[OverlayWhiteouts.WhiteoutPrefix.Length..];
        return true;
    }

    private static void ApplyWhiteout(IWhiteoutWriter whiteouts, string dest, string rel, string? hidden)
    {
        if (hidden is not null)
        {
            if (hidden.EndsWith('/') || hidden.Split('/')[^1] is "." or "..")
                throw new GockerException($"invalid whiteout {rel}");
            var path = $"{dest}/{hidden}";
            // A whiteout hides what lower layers have; an entry of this same layer stays (image-spec).
            if (!Libc.LstatExists(path))
                whiteouts.Whiteout(path);
            return;
        }
        if (rel.EndsWith(OverlayWhiteouts.OpaqueMarker, StringComparison.Ordinal))
        {
            int slash = rel.LastIndexOf('/');
            whiteouts.MarkOpaque(slash < 0 ? dest : $"{dest}/{rel[..slash]}");
        }
    }

    /// <summary>A hard link's target must be reached through real directories of the layer: link(2)
    /// follows symlinks in the path, so "evil -> /etc" and a link to "evil/shadow" would put the host's
    /// file into the image.</summary>
    private static void CheckLinkTarget(string dest, string target, string entryName)
    {
        var parts = target.Split('/');
        var path = dest;
        for (int i = 0; i < parts.Length; i++)
        {
            path = $"{path}/{parts[i]}";
            if (!Libc.LstatExists(path))
                throw new GockerException($"invalid hard link {entryName}: its target /{target} is not in the layer");
            bool last = i == parts.Length - 1;
            var st = Libc.Lstat(path);
            if (!last && (st.Mode & Libc.S_IFMT) != Libc.S_IFDIR)
                throw new GockerException($"invalid hard link {entryName}: /{string.Join('/', parts[..(i + 1)])} is not a directory");
            if (last && (st.Mode & Libc.S_IFMT) == Libc.S_IFDIR)
                throw new GockerException($"invalid hard link {entryName}: its target /{target} is a directory");
        }
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
                CheckLinkTarget(dest, target, entry.Name);
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
